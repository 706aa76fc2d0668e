// ---
// name: rings-overview
// title: Every significant ring of every detection run, drawn as clusters
// category: rings
// description: The rings of all runs with a p-value at most max_p (the strongest first),
//   each drawn as a cluster: the ring with its members around it. Accounts found by
//   several detectors (co-retweet and co-tweet, say) join their rings' clusters, so one
//   operation seen from several sides shows as clusters sharing members; a cluster on
//   its own is a pattern only one detector saw. Open one ring with ring-graph for its
//   coordination edges.
//   Known false positives: those of each detector kind; rings of runs with different
//   parameters on the same data overlap by construction (compare runs with
//   detection-runs).
// result: graph
// params:
//   max_p: {type: float, default: 0.01, min: 0.0, max: 1.0, description: "only rings with p_value at most this"}
//   rings: {type: int, default: 25, min: 1, max: 500, description: "rings drawn, strongest first"}
//   members: {type: int, default: 60, min: 1, max: 1000, description: "members drawn per ring"}
// ---
MATCH (g:Ring) WHERE g.p_value <= $max_p
WITH g ORDER BY g.p_value, g.score DESC, g.ring_id LIMIT toInteger($rings)
CALL (g) {
  MATCH (m:Account)-[member_of:MEMBER_OF]->(g)
  RETURN m, member_of ORDER BY m.userid LIMIT toInteger($members)
}
RETURN g AS ring, collect(m) AS members, collect(member_of) AS member_of
ORDER BY g.p_value, g.score DESC, g.ring_id
