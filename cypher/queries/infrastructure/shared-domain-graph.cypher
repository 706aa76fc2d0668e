// ---
// name: shared-domain-graph
// title: The accounts around one site drawn: profile links and links in tweets
// category: infrastructure
// description: One domain (default: the site that the most account profiles link to,
//   shorteners aside) with the accounts that link to it, as a graph: through their
//   profile URL, and through one example tweet each for accounts that post its links
//   (those posting most first). Disclosed accounts are red. Thirty accounts of one
//   release gathered around one small site is what shared-profile-domains and
//   obscure-link-domains rank; this shows who they are. A domain linked more often than
//   max_tweets times is read from its first max_tweets links only.
//   Known false positives: big platforms (youtube.com, instagram.com) gather unrelated
//   people; pick a small site.
// result: graph
// params:
//   domain: {type: str, description: "a registered domain, e.g. from shared-profile-domains"}
//   limit: {type: int, default: 50, min: 1, max: 500, description: "accounts drawn for each kind of link"}
//   max_tweets: {type: int, default: 20000, min: 1, max: 1000000, description: "link tweets read at most"}
// ---
CALL () {
  MATCH (d:Domain) WHERE d.name = $domain RETURN d
  UNION
  WITH $domain AS chosen WHERE chosen IS NULL
  MATCH (a:Account)-[:PROFILE_LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(d:Domain)
  WHERE NOT coalesce(u.is_shortener, false)
  WITH d, count(DISTINCT a) AS accounts
  RETURN d ORDER BY accounts DESC, d.name LIMIT 1
}
CALL (d) {
  MATCH p = (a:Account)-[:PROFILE_LINKS_TO]->(:Url)-[:ON_DOMAIN]->(d)
  RETURN a, 'profile links to it' AS link, 1 AS links, p
  ORDER BY a.userid LIMIT toInteger($limit)
  UNION
  MATCH (d)<-[:ON_DOMAIN]-(:Url)<-[:LINKS_TO]-(t:Tweet)
  WITH t LIMIT toInteger($max_tweets)
  MATCH (a:Account)-[:POSTED]->(t)
  WITH a, count(t) AS links, min(t.tweetid) AS example
  ORDER BY links DESC, a.userid LIMIT toInteger($limit)
  CALL (a, d, example) {
    MATCH (t:Tweet {tweetid: example}) USING INDEX t:Tweet(tweetid)
    MATCH p = (a)-[:POSTED]->(t)-[:LINKS_TO]->(:Url)-[:ON_DOMAIN]->(site:Domain)
    WHERE site = d
    RETURN p LIMIT 1
  }
  RETURN a, 'tweets link to it' AS link, links, p
}
RETURN d.name AS domain, a.userid AS userid, a.caption AS account,
       a:Disclosed AS disclosed, link, links,
       p AS path
