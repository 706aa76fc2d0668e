// ---
// name: ring-graph
// title: A ring drawn: its members and the coordination edges between them
// category: rings
// description: One ring (default: the strongest, by p-value, then score) as a graph: the
//   ring in the middle, its members around it (Disclosed accounts in red), and the
//   COORDINATED edges of its detection run among them, the heaviest first, captioned with
//   their weight (how many targets the pair acted on together). A tight mesh of heavy
//   edges is a ring that acts as one; a star around one account is an account that many
//   others follow in time. Members whose edges fall past limit are left out, so the
//   ring's size on its caption can exceed the accounts drawn.
//   Known false positives: those of the detector kind; a ring with a large p-value is no
//   stronger than chance (its caption shows p).
// result: graph
// params:
//   ring_id: {type: str, description: "a ring_id from rings-overview or rings-of-run (default the strongest ring)"}
//   limit: {type: int, default: 200, min: 1, max: 2000, description: "coordination edges drawn, heaviest first"}
// ---
CALL () {
  MATCH (g:Ring) WHERE g.ring_id = $ring_id RETURN g
  UNION
  MATCH (g:Ring) WHERE $ring_id IS NULL
  RETURN g ORDER BY g.p_value, g.score DESC, g.ring_id LIMIT 1
}
MATCH (x:Account)-[mx:MEMBER_OF]->(g)
MATCH (x)-[c:COORDINATED {run_id: g.run_id}]->(y:Account)-[my:MEMBER_OF]->(g)
RETURN g AS ring, x AS account_1, c AS coordinated, y AS account_2, mx AS member_of_1,
       my AS member_of_2
ORDER BY c.weight DESC, x.userid, y.userid
LIMIT toInteger($limit)
