// ---
// name: top-domains
// title: Most linked domains, with accounts and shortener share
// category: overview
// description: Registered domains of links in tweets, by number of tweets, with distinct
//   accounts and URLs. is_shortener marks domains whose links hide their target (bit.ly
//   and the like); see shortener-use. A small site with many tweets from few accounts
//   is worth checking with obscure-link-domains. Over the whole graph the counts are the
//   ones the loaders keep on each domain (fast at any size); with dataset they are counted.
//   Known false positives: news sites and video platforms dominate any sample honestly.
// params:
//   limit: {type: int, default: 50, min: 1, max: 100000}
//   dataset: {type: str, description: "only this dataset (default all)"}
// ---
CALL () {
  MATCH (d:Domain) WHERE $dataset IS NULL AND d.tweets > 0
  RETURN d, d.tweets AS tweets, d.accounts AS accounts, d.urls AS urls,
         d.shortener AS is_shortener
  UNION ALL
  WITH $dataset AS dataset WHERE dataset IS NOT NULL
  MATCH (d:Domain)<-[:ON_DOMAIN]-(u:Url)<-[:LINKS_TO]-(t:Tweet)<-[:POSTED]-(a:Account)
  WHERE t.dataset = dataset
  RETURN d, count(t) AS tweets, count(DISTINCT a) AS accounts, count(DISTINCT u) AS urls,
         count(CASE WHEN u.is_shortener THEN 1 END) > 0 AS is_shortener
}
RETURN d.name AS domain, tweets, accounts, urls, is_shortener
ORDER BY tweets DESC, domain
LIMIT toInteger($limit)
