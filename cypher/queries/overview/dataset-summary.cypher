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
  MATCH (a:Account) WITH count(a) AS accounts
  MATCH (d:Disclosed) WITH accounts, count(d) AS disclosed
  MATCH (t:Tweet) WITH accounts, disclosed, count(t) AS tweets
  MATCH (h:Hashtag) WITH accounts, disclosed, tweets, count(h) AS hashtags
  MATCH (u:Url) WITH accounts, disclosed, tweets, hashtags, count(u) AS urls
  MATCH (m:Domain) WITH accounts, disclosed, tweets, hashtags, urls, count(m) AS domains
  MATCH (c:Client) WITH accounts, disclosed, tweets, hashtags, urls, domains, count(c) AS clients
  RETURN '(whole graph)' AS dataset, null AS format, accounts, disclosed, tweets,
         null AS first_tweet, null AS last_tweet, hashtags, urls, domains, clients,
         null AS rows, null AS rejected
  UNION ALL
  MATCH (ds:Dataset)
  CALL (ds) {
    MATCH (t:Tweet {dataset: ds.name})
    RETURN count(t) AS tweets, datetime.truncate('second', min(t.created_at)) AS first_tweet,
           datetime.truncate('second', max(t.created_at)) AS last_tweet
  }
  RETURN ds.name AS dataset, ds.format AS format,
         COUNT { (:Account)-[:IN_DATASET]->(ds) } AS accounts,
         COUNT { (:Disclosed)-[:IN_DATASET]->(ds) } AS disclosed,
         tweets, first_tweet, last_tweet, null AS hashtags, null AS urls, null AS domains,
         null AS clients, ds.rows AS rows, ds.rejected AS rejected
}
RETURN dataset, format, accounts, disclosed, tweets, first_tweet, last_tweet, hashtags, urls,
       domains, clients, rows, rejected
