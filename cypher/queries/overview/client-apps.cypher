// ---
// name: client-apps
// title: Client apps that posted the tweets, with accounts per app
// category: overview
// description: Source apps by tweets, with distinct accounts, their share of all
//   posting accounts, and how many of those accounts are disclosed. Official apps
//   dominate; an unknown app used by a handful of accounts may be an operator's own
//   tool (see rare-client-sharing).
//   Known false positives: scheduling tools (Buffer, Hootsuite) and news feeds (dlvr.it,
//   IFTTT) are shared by unrelated accounts.
// params:
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
CALL () {
  MATCH (x:Account) WHERE EXISTS { (x)-[:POSTED]->(:Tweet) } RETURN count(x) AS posting
}
MATCH (c:Client)<-[:POSTED_VIA]-(t:Tweet)<-[:POSTED]-(a:Account)
WITH posting, c, count(t) AS tweets, collect(DISTINCT a) AS users
RETURN c.name AS client, tweets, size(users) AS accounts,
       round(100.0 * size(users) / posting, 2) AS pct_of_accounts,
       size([u IN users WHERE u:Disclosed]) AS disclosed
ORDER BY tweets DESC, client
LIMIT toInteger($limit)
