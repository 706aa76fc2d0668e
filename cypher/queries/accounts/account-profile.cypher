// ---
// name: account-profile
// title: One account's profile, activity and connections in numbers
// category: accounts
// description: The profile of the account with this userid or screen_name (without
//   either: the first member of the strongest ring, else the most-followed disclosed
//   account, as an example), with its activity
//   (tweets, retweet share, first and last tweet, main clients, hashtags and link
//   domains), its datasets, and what detection found (rings, coordinated partners).
//   Read it beside account-neighbourhood. A hashed account has no screen name: its
//   caption is the start of its hashed id.
//   Known false positives: none; this is a description, not a finding.
// params:
//   userid: {type: str}
//   screen_name: {type: str}
// ---
CALL () {
  MATCH (a:Account) WHERE a.userid = $userid RETURN a
  UNION
  MATCH (a:Account) WHERE a.screen_name = $screen_name RETURN a
  UNION
  MATCH (g:Ring) WHERE $userid IS NULL AND $screen_name IS NULL
  WITH g ORDER BY g.p_value, g.score DESC, g.ring_id LIMIT 1
  MATCH (a:Account)-[:MEMBER_OF]->(g)
  RETURN a ORDER BY a.userid LIMIT 1
  UNION
  MATCH (a:Disclosed) WHERE $userid IS NULL AND $screen_name IS NULL AND NOT EXISTS { (:Ring) }
  RETURN a ORDER BY a.followers DESC, a.userid LIMIT 1
}
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(t:Tweet)
  RETURN count(t) AS tweets, count(CASE WHEN t.is_retweet THEN 1 END) AS retweets,
         datetime.truncate('second', min(t.created_at)) AS first_tweet,
         datetime.truncate('second', max(t.created_at)) AS last_tweet
}
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(:Tweet)-[:POSTED_VIA]->(c:Client)
  WITH c, count(c) AS n ORDER BY n DESC
  RETURN [x IN collect(c.name) WHERE x IS NOT NULL][..3] AS clients
}
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(t:Tweet)-[:HAS_HASHTAG]->(h:Hashtag)
  WHERE NOT coalesce(t.is_retweet, false)
  WITH h, count(h) AS n ORDER BY n DESC
  RETURN [x IN collect(h.name) WHERE x IS NOT NULL][..5] AS hashtags
}
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(:Tweet)-[:LINKS_TO]->(:Url)-[:ON_DOMAIN]->(d:Domain)
  WITH d, count(d) AS n ORDER BY n DESC
  RETURN [x IN collect(d.name) WHERE x IS NOT NULL][..5] AS domains
}
RETURN a.userid AS userid, a.caption AS caption, a.screen_name AS screen_name,
       a.display_name AS display_name,
       a:Disclosed AS disclosed, a.hashed AS hashed, a.created_at AS created_at,
       a.language AS language, a.location AS location, a.description AS description,
       a.profile_url AS profile_url, a.followers AS followers, a.following AS following,
       tweets, retweets, first_tweet, last_tweet, clients, hashtags, domains,
       COLLECT { MATCH (a)-[:IN_DATASET]->(d:Dataset) RETURN d.name } AS datasets,
       COLLECT { MATCH (a)-[:MEMBER_OF]->(r:Ring) RETURN r.ring_id } AS rings,
       COUNT { (a)-[:COORDINATED]-(:Account) } AS coordinated_edges
