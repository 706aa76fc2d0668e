// ---
// name: dataset-summary
// title: Nodes by label, and accounts and tweets per dataset
// category: overview
// description: The first row ('(whole graph)') counts every node label; each further
//   row is one loaded dataset with its accounts, disclosed accounts, tweets, time span
//   and the loader's row and rejection counts. Read it first: a dataset with many
//   rejected rows or a short span limits what every other query can show.
//   Known false positives: none, but stub tweets (only referenced by a retweet or reply)
//   count as Tweet nodes of the whole graph while belonging to no dataset.
// ---
CALL () {
  RETURN '(whole graph)' AS dataset, null AS format, COUNT { (:Account) } AS accounts,
         COUNT { (:Disclosed) } AS disclosed, COUNT { (:Tweet) } AS tweets,
         null AS first_tweet, null AS last_tweet, COUNT { (:Hashtag) } AS hashtags,
         COUNT { (:Url) } AS urls, COUNT { (:Domain) } AS domains,
         COUNT { (:Client) } AS clients, null AS rows, null AS rejected
  UNION ALL
  MATCH (ds:Dataset)
  // first and last tweet from the ends of the created_at index, not from every tweet
  CALL (ds) {
    OPTIONAL MATCH (t:Tweet) USING INDEX t:Tweet(created_at)
    WHERE t.created_at IS NOT NULL AND t.dataset = ds.name
    RETURN datetime.truncate('second', t.created_at) AS first_tweet ORDER BY t.created_at
    LIMIT 1
  }
  CALL (ds) {
    OPTIONAL MATCH (t:Tweet) USING INDEX t:Tweet(created_at)
    WHERE t.created_at IS NOT NULL AND t.dataset = ds.name
    RETURN datetime.truncate('second', t.created_at) AS last_tweet
    ORDER BY t.created_at DESC LIMIT 1
  }
  WITH ds, first_tweet, last_tweet, COUNT { (t:Tweet {dataset: ds.name}) } AS tweets
  RETURN ds.name AS dataset, ds.format AS format,
         COUNT { (:Account)-[:IN_DATASET]->(ds) } AS accounts,
         COUNT { (:Disclosed)-[:IN_DATASET]->(ds) } AS disclosed,
         tweets, first_tweet, last_tweet, null AS hashtags, null AS urls, null AS domains,
         null AS clients, ds.rows AS rows, ds.rejected AS rejected
}
RETURN dataset, format, accounts, disclosed, tweets, first_tweet, last_tweet, hashtags, urls,
       domains, clients, rows, rejected
