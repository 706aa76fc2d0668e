// ---
// name: account-graph
// title: One account's neighbourhood drawn: who it interacts and coordinates with
// category: accounts
// description: The account with this userid or screen_name (without either: the first
//   member of the strongest ring, else the most-followed disclosed account) and its
//   strongest neighbours as a graph: for each neighbour and relation (retweets, replies
//   to, quotes, mentions, both ways; coordinated in a detection run; profile links to
//   the same site) one example path through the tweets or sites behind it, plus the
//   rings the account belongs to. relation and weight (interactions of that kind) say
//   what each path stands for, in the table view. Neighbours that come back under
//   several relations, or in red (Disclosed), are the ones to open next.
//   Known false positives: popular accounts are everyone's neighbours; a single retweet
//   is a weak tie.
// result: graph
// params:
//   userid: {type: str}
//   screen_name: {type: str}
//   limit: {type: int, default: 30, min: 1, max: 500, description: "neighbour relations drawn, strongest first"}
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
  MATCH (a)-[:POSTED]->(:Tweet)-[r:RETWEET_OF|REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(b:Account)
  WHERE b <> a
  RETURN b, type(r) AS via, false AS incoming, count(*) AS weight
  UNION ALL
  MATCH (a)-[:POSTED]->(:Tweet)<-[r:RETWEET_OF|REPLY_TO|QUOTES]-(:Tweet)<-[:POSTED]-(b:Account)
  WHERE b <> a
  RETURN b, type(r) AS via, true AS incoming, count(*) AS weight
  UNION ALL
  MATCH (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(b:Account) WHERE b <> a
  RETURN b, 'MENTIONS' AS via, false AS incoming, count(*) AS weight
  UNION ALL
  MATCH (b:Account)-[:POSTED]->(:Tweet)-[:MENTIONS]->(a) WHERE b <> a
  RETURN b, 'MENTIONS' AS via, true AS incoming, count(*) AS weight
  UNION ALL
  MATCH (a)-[c:COORDINATED]-(b:Account)
  RETURN b, 'COORDINATED' AS via, false AS incoming, max(c.weight) AS weight
  UNION ALL
  MATCH (a)-[:PROFILE_LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(:Domain)<-[:ON_DOMAIN]-(:Url)<-[:PROFILE_LINKS_TO]-(b:Account)
  WHERE b <> a AND NOT coalesce(u.is_shortener, false)
  RETURN b, 'PROFILE_DOMAIN' AS via, false AS incoming, count(*) AS weight
}
WITH a, b, via, incoming, weight
ORDER BY weight DESC, b.userid, via, incoming
LIMIT toInteger($limit)
CALL (a, b, via, incoming) {
  MATCH p = (a)-[:POSTED]->(:Tweet)-[r:RETWEET_OF|REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(b)
  WHERE NOT incoming AND type(r) = via
  RETURN p LIMIT 1
  UNION
  MATCH p = (b)-[:POSTED]->(:Tweet)-[r:RETWEET_OF|REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(a)
  WHERE incoming AND type(r) = via
  RETURN p LIMIT 1
  UNION
  MATCH p = (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(b)
  WHERE via = 'MENTIONS' AND NOT incoming
  RETURN p LIMIT 1
  UNION
  MATCH p = (b)-[:POSTED]->(:Tweet)-[:MENTIONS]->(a)
  WHERE via = 'MENTIONS' AND incoming
  RETURN p LIMIT 1
  UNION
  MATCH p = (a)-[c:COORDINATED]-(b)
  WHERE via = 'COORDINATED'
  RETURN p ORDER BY c.weight DESC LIMIT 1
  UNION
  MATCH p = (a)-[:PROFILE_LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(:Domain)<-[:ON_DOMAIN]-(:Url)<-[:PROFILE_LINKS_TO]-(b)
  WHERE via = 'PROFILE_DOMAIN' AND NOT coalesce(u.is_shortener, false)
  RETURN p LIMIT 1
}
RETURN a.userid AS userid, a.caption AS account, b.caption AS neighbour,
       CASE WHEN incoming THEN CASE via WHEN 'RETWEET_OF' THEN 'retweeted by'
                                        WHEN 'REPLY_TO' THEN 'replied to by'
                                        WHEN 'QUOTES' THEN 'quoted by' ELSE 'mentioned by' END
            ELSE CASE via WHEN 'RETWEET_OF' THEN 'retweets' WHEN 'REPLY_TO' THEN 'replies to'
                          WHEN 'QUOTES' THEN 'quotes' WHEN 'MENTIONS' THEN 'mentions'
                          WHEN 'COORDINATED' THEN 'coordinated with'
                          ELSE 'shares profile site with' END END AS relation,
       weight, p AS path,
       COLLECT { MATCH q = (a)-[:MEMBER_OF]->(:Ring) RETURN q } AS rings
