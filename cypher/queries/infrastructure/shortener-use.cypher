// ---
// name: shortener-use
// title: Shortened links posted by several accounts
// category: infrastructure
// description: Links through URL shorteners (bit.ly and the like: the target is hidden
//   until clicked) that at least min_accounts different accounts posted, ranked by
//   accounts. Each person who shortens a link gets their own short code; many accounts
//   posting the very same short link copied it from one source, often a campaign brief.
//   Expand the link by hand (carefully) to see where it leads.
//   Known false positives: a short link in a viral tweet that people quote or paste;
//   official accounts of one organisation sharing its own link.
// params:
//   min_accounts: {type: int, default: 2, min: 2}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (u:Url)<-[:LINKS_TO]-(t:Tweet)<-[:POSTED]-(a:Account)
WHERE u.is_shortener AND NOT coalesce(t.is_retweet, false)
WITH u, count(DISTINCT a) AS accounts, count(t) AS tweets, min(t.created_at) AS first_at,
     max(t.created_at) AS last_at, collect(DISTINCT a.userid) AS userids
WHERE accounts >= $min_accounts
OPTIONAL MATCH (u)-[:ON_DOMAIN]->(d:Domain)
RETURN u.url AS url, d.name AS shortener, accounts, tweets,
       datetime.truncate('second', first_at) AS first_at,
       datetime.truncate('second', last_at) AS last_at,
       userids[..50] AS userids
ORDER BY accounts DESC, tweets DESC, url
LIMIT toInteger($limit)
