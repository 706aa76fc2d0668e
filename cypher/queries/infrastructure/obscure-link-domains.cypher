// ---
// name: obscure-link-domains
// title: Little-known sites that a group of accounts links to again and again
// category: infrastructure
// description: Domains linked in tweets by at least min_accounts accounts yet by no
//   more than max_pct percent of all linking accounts (obscure), ranked by repeaters:
//   accounts that linked the domain at least min_repeat times. A small site that the same
//   group keeps posting is being pushed. Shortener domains are left out (see
//   shortener-use).
//   Known false positives: a local news site with a loyal readership; the own blog of a
//   handful of authors; feeds that post every article of a small outlet.
// params:
//   min_accounts: {type: int, default: 3, min: 2}
//   min_repeat: {type: int, default: 3, min: 1}
//   max_pct: {type: float, default: 5.0, min: 0.0, max: 100.0, description: "largest share of linking accounts, in percent"}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
CALL () {
  MATCH (x:Account) WHERE x.links > 0 RETURN count(x) AS linking
}
// The loaders' counts (over all of a domain's links) pick the candidates: exact for a
// domain without shortened links, an upper bound for one with some.
MATCH (d:Domain)
WHERE d.accounts >= $min_accounts AND (d.shortener OR 100.0 * d.accounts / linking <= $max_pct)
MATCH (d)<-[:ON_DOMAIN]-(u:Url)<-[:LINKS_TO]-(t:Tweet)<-[:POSTED]-(a:Account)
WHERE NOT coalesce(u.is_shortener, false)
WITH linking, d, a, count(t) AS links, count(DISTINCT u) AS urls
WITH linking, d, count(a) AS accounts, sum(links) AS tweets,
     collect(CASE WHEN links >= $min_repeat THEN a.userid END) AS repeaters
WHERE accounts >= $min_accounts AND 100.0 * accounts / linking <= $max_pct
RETURN d.name AS domain, size(repeaters) AS repeaters, accounts, tweets,
       round(100.0 * accounts / linking, 3) AS pct_of_accounts,
       COUNT { (d)<-[:ON_DOMAIN]-(:Url) } AS urls, repeaters[..50] AS repeater_userids
ORDER BY repeaters DESC, tweets DESC, domain
LIMIT toInteger($limit)
