// ---
// name: rare-client-sharing
// title: Accounts sharing a rare client app
// category: infrastructure
// description: Client apps used by at least min_accounts accounts but by no more than
//   max_pct percent of all posting accounts, ranked by accounts. The platform's own apps
//   (the common list, which any sample shares) are left out, so the ranking starts
//   with third-party tools. An obscure app name shared by a group of accounts is often
//   the operator's own publishing tool; the created_from/created_to span and disclosed
//   count say whether the group also looks alike otherwise. exclusive counts the
//   accounts that posted only through this app.
//   Known false positives: niche but public apps (Tweetbot, scheduling tools, news feed
//   services like dlvr.it or IFTTT used by unrelated publishers).
// params:
//   min_accounts: {type: int, default: 3, min: 2}
//   max_pct: {type: float, default: 5.0, min: 0.0, max: 100.0, description: "largest share of posting accounts, in percent"}
//   common: {type: list[str], default: ["Twitter for Android", "Twitter for iPhone", "Twitter for iPad", "Twitter for Mac", "Twitter Web App", "Twitter Web Client", "Twitter Lite", "Mobile Web (M2)", "TweetDeck", "TweetDeck Web App"], description: "client names never counted as rare"}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
CALL () {
  MATCH (x:Account) WHERE EXISTS { (x)-[:POSTED]->(:Tweet) } RETURN count(x) AS posting
}
MATCH (c:Client)<-[:POSTED_VIA]-(:Tweet)<-[:POSTED]-(a:Account)
WHERE NOT c.name IN $common
WITH posting, c, a, count(*) AS tweets
WITH posting, c, collect(a) AS users, sum(tweets) AS tweets
WHERE size(users) >= $min_accounts AND 100.0 * size(users) / posting <= $max_pct
RETURN c.name AS client, size(users) AS accounts, tweets,
       round(100.0 * size(users) / posting, 3) AS pct_of_accounts,
       size([u IN users WHERE u:Disclosed]) AS disclosed,
       size([u IN users WHERE COUNT { (u)-[:POSTED]->(:Tweet)-[:POSTED_VIA]->(:Client) } =
             COUNT { (u)-[:POSTED]->(:Tweet)-[:POSTED_VIA]->(c) }]) AS exclusive,
       reduce(m = null, u IN users | CASE WHEN m IS NULL OR u.created_at < m THEN u.created_at ELSE m END) AS created_from,
       reduce(m = null, u IN users | CASE WHEN m IS NULL OR u.created_at > m THEN u.created_at ELSE m END) AS created_to,
       [u IN users | u.userid][..50] AS userids
ORDER BY accounts DESC, client
LIMIT toInteger($limit)
