// ---
// name: reciprocal-rings
// title: Closed circles of accounts that retweet, reply to and mention each other both ways
// category: amplification
// description: Reciprocal pairs are accounts that each retweeted, replied to or mentioned
//   the other at least min_each_way times. A ring is a circle of such pairs: for each
//   reciprocal pair, common counts the accounts that are reciprocal partners of both, and
//   closure is common divided by all their other partners (1.0: they talk back and forth
//   with exactly the same accounts). Accounts that keep conversations going inside a
//   closed group inflate engagement; pairs with several common partners and high closure
//   are that group, so the largest circles come first (by common, then closure); a pair
//   of friends in a closed threesome or foursome ranks below them. Popular accounts
//   reciprocate with many people who do not know each other, so their closure is low.
//   x_to_y and y_to_x count the interactions.
//   Known false positives: real circles of friends, colleagues or a small community that
//   talk among themselves; small closed groups in a small sample.
// params:
//   min_each_way: {type: int, default: 1, min: 1, description: "interactions in the weaker direction"}
//   min_common: {type: int, default: 2, min: 0, description: "common reciprocal partners (1 lets any triangle of friends in)"}
//   limit: {type: int, default: 100, min: 1, max: 100000}
// ---
CALL () {
  MATCH (a:Account)-[:POSTED]->(:Tweet)-[:RETWEET_OF|REPLY_TO]->(:Tweet)<-[:POSTED]-(b:Account)
  WHERE a <> b
  RETURN a, b
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(:Tweet)-[:MENTIONS]->(b:Account)
  WHERE a <> b
  RETURN a, b
}
WITH a, b, count(*) AS n
WITH CASE WHEN a.userid < b.userid THEN a ELSE b END AS x,
     CASE WHEN a.userid < b.userid THEN b ELSE a END AS y,
     CASE WHEN a.userid < b.userid THEN n ELSE 0 END AS xy,
     CASE WHEN a.userid < b.userid THEN 0 ELSE n END AS yx
WITH x, y, sum(xy) AS x_to_y, sum(yx) AS y_to_x
WHERE x_to_y >= $min_each_way AND y_to_x >= $min_each_way
UNWIND [[x, y], [y, x]] AS edge
WITH edge[0] AS z, collect(edge[1]) AS partners
CALL (z, partners) {
  UNWIND partners AS u
  UNWIND partners AS v
  WITH u, v WHERE u.userid < v.userid
  RETURN u AS p1, v AS p2, 1 AS common, 0 AS degree
  UNION ALL
  UNWIND partners AS u
  RETURN CASE WHEN z.userid < u.userid THEN z ELSE u END AS p1,
         CASE WHEN z.userid < u.userid THEN u ELSE z END AS p2, 0 AS common,
         size(partners) AS degree
}
WITH p1, p2, sum(common) AS common, sum(degree) AS degrees
WHERE degrees > 0 AND common >= $min_common
WITH p1, p2, common, degrees - 2 - common AS union_size
WITH p1, p2, common, CASE WHEN union_size = 0 THEN 0.0
                          ELSE toFloat(common) / union_size END AS closure
ORDER BY common DESC, closure DESC, p1.userid, p2.userid
LIMIT toInteger($limit)
RETURN p1.userid AS userid_1, p1.screen_name AS screen_name_1,
       p2.userid AS userid_2, p2.screen_name AS screen_name_2, round(closure, 3) AS closure,
       common,
       COUNT { (p1)-[:POSTED]->(:Tweet)-[:RETWEET_OF|REPLY_TO]->(:Tweet)<-[:POSTED]-(p2) } +
       COUNT { (p1)-[:POSTED]->(:Tweet)-[:MENTIONS]->(p2) } AS x_to_y,
       COUNT { (p2)-[:POSTED]->(:Tweet)-[:RETWEET_OF|REPLY_TO]->(:Tweet)<-[:POSTED]-(p1) } +
       COUNT { (p2)-[:POSTED]->(:Tweet)-[:MENTIONS]->(p1) } AS y_to_x
ORDER BY common DESC, closure DESC, userid_1, userid_2
