// ---
// name: detection-runs
// title: Detection runs stored in the graph, newest first
// category: rings
// description: Every coordination detection run with its kind, parameters (JSON), code
//   version, how many edges and rings it wrote and found, and the rings it left out by
//   reason (p-value above --keep-p, more than --max-ring-size accounts; JSON). Runs with
//   different parameters live side by side; pick a run_id here for rings-of-run.
//   Known false positives: none; this is an index.
// params:
//   limit: {type: int, default: 50, min: 1, max: 10000}
// ---
MATCH (r:DetectionRun)
RETURN r.run_id AS run_id, r.kind AS kind, datetime.truncate('second', r.created_at) AS created_at,
       r.params AS params, r.code_version AS code_version, r.edges AS edges, r.rings AS rings,
       r.edges_found AS edges_found, r.rings_found AS rings_found,
       r.rings_left_out AS rings_left_out
ORDER BY r.created_at DESC, run_id
LIMIT toInteger($limit)
