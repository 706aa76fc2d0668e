// ---
// name: account-neighbourhood
// title: Who one account interacts with, and who shares its infrastructure
// category: accounts
// description: Accounts linked to the chosen one (userid or screen_name; without either,
//   the first member of the strongest ring, else the most-followed disclosed account),
//   one row per neighbour and relation:
//   retweets / replies to / mentions (outgoing), retweeted by / replied to by /
//   mentioned by (incoming), coordinated (a detection edge), and shares profile domain.
//   weight counts the interactions. Neighbours that appear under several relations, or
//   that are disclosed too, deserve a look with account-profile; account-graph draws
//   them. Accounts show as captions: screen name, else the start of the hashed id.
//   Known false positives: popular accounts are everyone's neighbours.
// params:
//   userid: {type: str}
//   screen_name: {type: str}
//   limit: {type: int, default: 100, min: 1, max: 100000}
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
  RETURN b, CASE type(r) WHEN 'RETWEET_OF' THEN 'retweets' WHEN 'REPLY_TO' THEN 'replies to'
         ELSE 'quotes' END AS relation, count(*) AS weight
  UNION ALL
  MATCH (a)-[:POSTED]->(:Tweet)<-[r:RETWEET_OF|REPLY_TO|QUOTES]-(:Tweet)<-[:POSTED]-(b:Account)
  WHERE b <> a
  RETURN b, CASE type(r) WHEN 'RETWEET_OF' THEN 'retweeted by' WHEN 'REPLY_TO'
         THEN 'replied to by' ELSE 'quoted by' END AS relation, count(*) AS weight
  UNION ALL
  MATCH (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(b:Account) WHERE b <> a
  RETURN b, 'mentions' AS relation, count(*) AS weight
  UNION ALL
  MATCH (b:Account)-[:POSTED]->(:Tweet)-[:MENTIONS]->(a) WHERE b <> a
  RETURN b, 'mentioned by' AS relation, count(*) AS weight
  UNION ALL
  MATCH (a)-[c:COORDINATED]-(b:Account)
  RETURN b, 'coordinated (' + c.kind + ')' AS relation, count(*) AS weight
  UNION ALL
  MATCH (a)-[:PROFILE_LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(:Domain)<-[:ON_DOMAIN]-(:Url)<-[:PROFILE_LINKS_TO]-(b:Account)
  WHERE b <> a AND NOT coalesce(u.is_shortener, false)
  RETURN b, 'shares profile domain' AS relation, count(*) AS weight
}
RETURN a.caption AS account, relation, b.userid AS userid, b.caption AS neighbour,
       b:Disclosed AS disclosed, weight
ORDER BY weight DESC, relation, userid
LIMIT toInteger($limit)
