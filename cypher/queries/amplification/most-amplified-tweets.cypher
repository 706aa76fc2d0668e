// ---
// name: most-amplified-tweets
// title: Tweets amplified by accounts that co-retweet repeatedly (retweet concentration)
// category: amplification
// description: Every tweet with at least min_retweets retweets, ranked by how many of them
//   came from repeat co-amplifiers: accounts that retweeted at least min_shared tweets
//   within window_s of the same other account. from_repeaters / retweets is the
//   concentration: near 1 means one coordinated cohort did the amplifying; a viral tweet
//   has many retweets from a crowd that rarely meets again, so it ranks low. retweets is
//   the count the loaders keep on each tweet (its RETWEET_OF relationships).
//   source says how the repeaters were found: as co-retweet-pairs finds its pairs, from
//   the candidate pairs of a matching stored co-retweet run (see co-retweet-pairs), or
//   from every retweet.
//   Known false positives: a close community retweeting its own favourite account on a
//   schedule (a fan club in the same time zone).
// params:
//   window_s: {type: int, default: 60, min: 1, max: 86400}
//   min_shared: {type: int, default: 3, min: 1}
//   min_retweets: {type: int, default: 5, min: 1}
//   max_retweets: {type: int, default: 2000, min: 2, description: "skip larger cascades when finding repeaters"}
//   limit: {type: int, default: 50, min: 1, max: 100000}
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
OPTIONAL CALL (run_id) {
  WITH run_id WHERE run_id IS NOT NULL
  MATCH (a1:Account)-[c:COORDINATED {run_id: run_id}]->(a2:Account)
  WHERE c.evidence_total >= $min_shared
  // each counted again on its own two accounts' retweets
  CALL (a1, a2) {
    MATCH (a1)-[:POSTED]->(r1:Tweet)-[:RETWEET_OF]->(orig:Tweet)<-[:RETWEET_OF]-(r2:Tweet)
          <-[:POSTED]-(a2)
    USING JOIN ON orig
    WHERE 2 <= orig.retweets <= $max_retweets
      AND abs(r1.created_at.epochMillis - r2.created_at.epochMillis) <= $window_s * 1000
    RETURN count(DISTINCT orig) AS shared
  }
  WITH a1, a2 WHERE shared >= $min_shared
  UNWIND [a1, a2] AS repeater
  RETURN DISTINCT repeater
  UNION
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
  WITH e1.a AS a1, e2.a AS a2, count(DISTINCT orig) AS shared
  WHERE shared >= $min_shared
  UNWIND [a1, a2] AS repeater
  RETURN DISTINCT repeater
}
WITH run_id, collect(repeater) AS repeaters
// The tweets the repeaters retweeted, and the most retweeted ones (which rank next when
// fewer than limit tweets were reached): only these are read.
CALL (repeaters) {
  UNWIND repeaters AS fan
  MATCH (fan)-[:POSTED]->(:Tweet)-[:RETWEET_OF]->(t:Tweet)
  RETURN t, count(*) AS from_repeaters
  UNION ALL
  MATCH (t:Tweet) WHERE t.retweets >= $min_retweets
  WITH t ORDER BY t.retweets DESC, t.tweetid LIMIT toInteger($limit)
  RETURN t, 0 AS from_repeaters
}
WITH run_id, t, sum(from_repeaters) AS from_repeaters, t.retweets AS retweets
WHERE retweets >= $min_retweets
WITH run_id, t, from_repeaters, retweets,
     round(toFloat(from_repeaters) / retweets, 3) AS concentration
ORDER BY from_repeaters DESC, concentration DESC, retweets DESC, t.tweetid
LIMIT toInteger($limit)
CALL (t) {
  MATCH (t)<-[:RETWEET_OF]-(:Tweet)<-[:POSTED]-(a:Account)
  RETURN count(DISTINCT a) AS retweeters
}
OPTIONAL MATCH (author:Account)-[:POSTED]->(t)
RETURN t.tweetid AS tweetid, author.userid AS author_userid,
       author.screen_name AS author_screen_name,
       datetime.truncate('second', t.created_at) AS created_at, retweets, retweeters,
       from_repeaters, concentration, left(t.text, 120) AS text,
       coalesce('pairs of detection run ' + run_id, 'counted from the retweets') AS source
ORDER BY from_repeaters DESC, concentration DESC, retweets DESC, tweetid
LIMIT toInteger($limit)
