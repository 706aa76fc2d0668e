// ---
// name: rings-of-run
// title: Rings found by a detection run, with members and evidence
// category: rings
// description: The rings of one detection run (default: the newest run; rings-overview
//   draws the rings of every run), by score: size, density of coordination edges among
//   members, score and p-value (how unusual such a ring is against the run's null model;
//   small is unusual; rounded to 4 places), the members (captions: screen name, else the
//   start of the hashed id), and the strongest coordination edges inside the ring with
//   their evidence (shared tweets, URLs, hashtags or text hashes) and time span.
//   Known false positives: those of the detector kind (see its documentation); a ring
//   with a large p-value is no stronger than chance.
// params:
//   run_id: {type: str, description: "a run_id from detection-runs (default the newest)"}
//   max_p: {type: float, default: 1.0, min: 0.0, max: 1.0, description: "only rings with p_value at most this"}
//   edges: {type: int, default: 10, min: 0, max: 1000, description: "evidence edges per ring"}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
CALL () {
  MATCH (r:DetectionRun) WHERE r.run_id = $run_id RETURN r
  UNION
  MATCH (r:DetectionRun) WHERE $run_id IS NULL
  RETURN r ORDER BY r.created_at DESC LIMIT 1
}
MATCH (ring:Ring)-[:FOUND_BY]->(r)
WHERE coalesce(ring.p_value, 0.0) <= $max_p
CALL (ring, r) {
  MATCH (m:Account)-[:MEMBER_OF]->(ring)
  WITH collect(m) AS members
  CALL (members, r) {
    UNWIND members AS x
    MATCH (x)-[c:COORDINATED {run_id: r.run_id}]->(y:Account)
    WHERE y IN members
    WITH x, y, c ORDER BY c.weight DESC LIMIT toInteger($edges)
    RETURN collect({from: x.caption, to: y.caption, weight: c.weight,
                    first_at: datetime.truncate('second', c.first_at),
                    last_at: datetime.truncate('second', c.last_at),
                    evidence: c.evidence}) AS evidence
  }
  RETURN [m IN members | m.caption] AS members, [m IN members | m.userid] AS userids,
         evidence
}
RETURN r.run_id AS run_id, ring.ring_id AS ring_id, ring.kind AS kind, ring.size AS size,
       round(ring.density, 3) AS density, round(ring.score, 3) AS score,
       round(ring.p_value, 4) AS p_value, members, userids, evidence
ORDER BY ring.score DESC, ring_id
LIMIT toInteger($limit)
