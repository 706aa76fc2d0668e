// ---
// name: connecting-paths
// title: Shortest paths joining two accounts through shared infrastructure and content
// category: accounts
// description: The shortest paths (at most max_hops steps) between two accounts through
//   what they post and use: tweets, retweeted tweets, hashtags, links, link and profile
//   domains, client apps and mentions. Hubs (nodes with more than max_degree
//   relationships, like a big client app or a viral tweet) are not crossed, since
//   everyone shares them. Each row is one path, written as a chain of node captions.
//   Without both accounts the query returns nothing.
//   Known false positives: two accounts can share an obscure hashtag or site by chance;
//   one path is a lead, many short paths are a pattern.
// params:
//   userid_1: {type: str}
//   screen_name_1: {type: str}
//   userid_2: {type: str}
//   screen_name_2: {type: str}
//   max_hops: {type: int, default: 6, min: 1, max: 8}
//   max_degree: {type: int, default: 500, min: 2}
//   limit: {type: int, default: 25, min: 1, max: 1000}
// ---
MATCH (a:Account) WHERE a.userid = $userid_1 OR a.screen_name = $screen_name_1
MATCH (b:Account) WHERE (b.userid = $userid_2 OR b.screen_name = $screen_name_2) AND b <> a
MATCH p = allShortestPaths((a)-[:POSTED|RETWEET_OF|HAS_HASHTAG|LINKS_TO|ON_DOMAIN|PROFILE_LINKS_TO|POSTED_VIA|MENTIONS*..8]-(b))
WHERE length(p) <= $max_hops
  AND all(n IN nodes(p)[1..-1] WHERE COUNT { (n)--() } <= $max_degree)
RETURN length(p) AS hops,
       [n IN nodes(p) | labels(n)[0] + ':' + coalesce(n.screen_name, n.display, n.name, n.url, left(n.text, 40), n.tweetid)] AS path,
       [r IN relationships(p) | type(r)] AS relationships
LIMIT $limit
