// ---
// name: connecting-paths
// title: Shortest paths joining two accounts through shared infrastructure and content
// category: accounts
// description: The shortest paths (at most max_hops steps) between two accounts through
//   what they post and use: tweets, retweeted tweets, hashtags, links, link and profile
//   domains, client apps and mentions, drawn as a graph; chain spells each path out in
//   node captions for the table view. Hubs (nodes with more than max_degree
//   relationships, like a big client app or a viral tweet) are not crossed, since
//   everyone shares them. Without the two accounts it joins the first two members of
//   the strongest ring (none when no detection has run).
//   Known false positives: two accounts can share an obscure hashtag or site by chance;
//   one path is a lead, many short paths are a pattern.
// result: graph
// params:
//   userid_1: {type: str}
//   screen_name_1: {type: str}
//   userid_2: {type: str}
//   screen_name_2: {type: str}
//   max_hops: {type: int, default: 6, min: 1, max: 8}
//   max_degree: {type: int, default: 500, min: 2}
//   limit: {type: int, default: 25, min: 1, max: 1000}
// ---
CALL () {
  MATCH (a:Account) WHERE a.userid = $userid_1 OR a.screen_name = $screen_name_1
  MATCH (b:Account) WHERE (b.userid = $userid_2 OR b.screen_name = $screen_name_2) AND b <> a
  RETURN a, b
  UNION
  MATCH (g:Ring)
  WHERE $userid_1 IS NULL AND $screen_name_1 IS NULL AND $userid_2 IS NULL
    AND $screen_name_2 IS NULL
  WITH g ORDER BY g.p_value, g.score DESC, g.ring_id LIMIT 1
  MATCH (m:Account)-[:MEMBER_OF]->(g)
  WITH m ORDER BY m.userid LIMIT 2
  WITH collect(m) AS ends WHERE size(ends) = 2
  RETURN ends[0] AS a, ends[1] AS b
}
MATCH p = allShortestPaths((a)-[:POSTED|RETWEET_OF|HAS_HASHTAG|LINKS_TO|ON_DOMAIN|PROFILE_LINKS_TO|POSTED_VIA|MENTIONS*..8]-(b))
WHERE length(p) <= $max_hops
  AND all(n IN nodes(p)[1..-1] WHERE COUNT { (n)--() } <= $max_degree)
RETURN length(p) AS hops, p AS path,
       [n IN nodes(p) | labels(n)[0] + ':' + coalesce(n.caption, n.display, n.name, n.url, left(n.text, 40), n.tweetid)] AS chain,
       [r IN relationships(p) | type(r)] AS relationships
LIMIT toInteger($limit)
