// ---
// name: co-retweet-pairs
// title: Accounts that retweet the same tweets within seconds of each other, repeatedly
// category: amplification
// description: Pairs of accounts that retweeted at least min_shared of the same tweets,
//   each time within window_s seconds of each other. Once is chance; a pair that meets
//   again and again in the same minute is scheduled or scripted. shared counts distinct
//   tweets; examples lists the first ten by tweet id. The pairs of one ring share
//   members: look at the accounts that recur, or run the co-retweet detector for rings and
//   significance.
//   source says how the pairs were found. A stored co-retweet detection run holds every
//   such pair among its COORDINATED edges when it has the same window over the whole graph
//   (no dataset, since or until), was made after the last load, counted shared tweets
//   with a minimum of at most min_shared (no rarity weighting, no damped account) and
//   wrote every edge it found (no null model, or keeping all): then only its pairs are
//   counted, in a second or so, with the same result. Without such a run every retweet is
//   read, which takes seconds per million tweets.
//   Known false positives: accounts that follow the same few celebrities and retweet
//   within seconds of each posting (viral first minute); tweets with more retweets than
//   max_retweets are skipped for that reason and for speed.
// params:
//   window_s: {type: int, default: 60, min: 1, max: 86400, description: "seconds between the two retweets"}
//   min_shared: {type: int, default: 3, min: 1, description: "distinct tweets retweeted together"}
//   max_retweets: {type: int, default: 2000, min: 2, description: "skip tweets retweeted more often"}
//   limit: {type: int, default: 100, min: 1, max: 100000}
// ---
CALL () {
  OPTIONAL MATCH (d:Dataset)
  WITH max(d.written_at) AS written
  // The run's parameters are JSON: each value is read up to its ',' or '}'. Its edges hold
  // every pair below when it counted shared tweets (no rarity weighting), damped no
  // account and wrote every edge it found.
  OPTIONAL MATCH (r:DetectionRun {kind: 'co-retweet'})
  WHERE r.created_at > coalesce(written, datetime({epochMillis: 0}))
    AND toFloat(replace(split(split(r.params, '"window_s": ')[1], ',')[0], '}', ''))
        = toFloat($window_s)
    AND toFloat(replace(split(split(r.params, '"min_weight": ')[1], ',')[0], '}', ''))
        <= $min_shared
    AND r.params CONTAINS '"dataset": null' AND r.params CONTAINS '"since_ms": null'
    AND r.params CONTAINS '"until_ms": null'
    AND (NOT r.params CONTAINS '"weighting"' OR r.params CONTAINS '"weighting": "count"')
    AND size(coalesce(r.hyperactive, [])) = 0 AND coalesce(r.edges_left_out, 0) = 0
  RETURN r.run_id AS run_id ORDER BY r.created_at DESC LIMIT 1
}
CALL (run_id) {
  // A stored run's pairs are the candidates (every pair counted below is one of them), each
  // counted again on its own two accounts' retweets.
  WITH run_id WHERE run_id IS NOT NULL
  MATCH (x:Account)-[c:COORDINATED {run_id: run_id}]->(y:Account)
  WHERE c.evidence_total >= $min_shared
  WITH CASE WHEN x.userid < y.userid THEN x ELSE y END AS a1,
       CASE WHEN x.userid < y.userid THEN y ELSE x END AS a2
  CALL (a1, a2) {
    MATCH (a1)-[:POSTED]->(r1:Tweet)-[:RETWEET_OF]->(orig:Tweet)<-[:RETWEET_OF]-(r2:Tweet)
          <-[:POSTED]-(a2)
    USING JOIN ON orig
    WHERE 2 <= orig.retweets <= $max_retweets
      AND abs(r1.created_at.epochMillis - r2.created_at.epochMillis) <= $window_s * 1000
    WITH orig, r1 ORDER BY orig.tweetid
    RETURN count(DISTINCT orig) AS shared, collect(DISTINCT orig.tweetid) AS tweets,
           min(r1.created_at) AS first_at, max(r1.created_at) AS last_at
  }
  RETURN a1, a2, shared, first_at, last_at, tweets
  UNION ALL
  // Counted: each retweet is paired only with those in its own and the next slot of
  // window_s of the same tweet, never with every other retweet of it.
  WITH run_id WHERE run_id IS NULL
  MATCH (orig:Tweet) WHERE 2 <= orig.retweets <= $max_retweets
  MATCH (orig)<-[:RETWEET_OF]-(r:Tweet)<-[:POSTED]-(a:Account)
  WHERE r.created_at IS NOT NULL
  WITH orig, r.created_at.epochMillis / (toInteger($window_s) * 1000) AS slot,
       collect({a: a, at: r.created_at}) AS here
  ORDER BY slot
  WITH orig, collect({slot: slot, here: here}) AS slots
  UNWIND range(0, size(slots) - 1) AS i
  WITH orig, slots[i].here AS here,
       CASE WHEN slots[i + 1].slot = slots[i].slot + 1 THEN slots[i + 1].here ELSE [] END AS next
  UNWIND here AS x
  UNWIND here + next AS y
  WITH orig, x, y
  WHERE x.a <> y.a AND abs(x.at.epochMillis - y.at.epochMillis) <= $window_s * 1000
  WITH orig, CASE WHEN x.a.userid < y.a.userid THEN x ELSE y END AS e1,
       CASE WHEN x.a.userid < y.a.userid THEN y ELSE x END AS e2
  ORDER BY orig.tweetid
  WITH e1.a AS a1, e2.a AS a2, count(DISTINCT orig) AS shared,
       collect(DISTINCT orig.tweetid) AS tweets, min(e1.at) AS first_at, max(e1.at) AS last_at
  WHERE shared >= $min_shared
  RETURN a1, a2, shared, first_at, last_at, tweets
}
WITH run_id, a1, a2, shared, first_at, last_at, tweets WHERE shared >= $min_shared
RETURN a1.userid AS userid_1, a1.screen_name AS screen_name_1,
       a2.userid AS userid_2, a2.screen_name AS screen_name_2,
       shared, datetime.truncate('second', first_at) AS first_at,
       datetime.truncate('second', last_at) AS last_at, tweets[..10] AS examples,
       coalesce('pairs of detection run ' + run_id, 'counted from the retweets') AS source
ORDER BY shared DESC, userid_1, userid_2
LIMIT toInteger($limit)
