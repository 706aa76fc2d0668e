// ---
// name: shared-profile-domains
// title: Accounts whose profile links point to the same site
// category: infrastructure
// description: Domains that the profile URL of at least min_accounts accounts points to,
//   counting only distinct pages (so one shared link and one page per account both show),
//   with shorteners left out. A batch of accounts each linking its own page on one small
//   site was set up together. identical_url is true when they all link the very same URL.
//   Known false positives: big platforms (instagram.com, youtube.com, linktr.ee) where
//   unrelated people have pages; raise min_accounts or read the domain name.
// params:
//   min_accounts: {type: int, default: 3, min: 2}
//   max_accounts: {type: int, default: 100000, min: 2, description: "leave out domains linked from more profiles"}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (a:Account)-[:PROFILE_LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(d:Domain)
WHERE NOT coalesce(u.is_shortener, false)
WITH d, collect(DISTINCT a) AS users, count(DISTINCT u) AS urls
WHERE $min_accounts <= size(users) <= $max_accounts
RETURN d.name AS domain, size(users) AS accounts, urls, urls = 1 AS identical_url,
       size([u IN users WHERE u:Disclosed]) AS disclosed,
       [u IN users | u.caption][..20] AS names, [u IN users | u.userid][..50] AS userids
ORDER BY accounts DESC, domain
LIMIT toInteger($limit)
