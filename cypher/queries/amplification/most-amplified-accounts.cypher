// ---
// name: most-amplified-accounts
// title: Accounts whose tweets are amplified by repeat co-retweeters (retweet concentration)
// category: amplification
// description: Authors ranked by the retweets they received from repeat co-amplifiers
//   (accounts that retweeted at least min_shared tweets within window_s of the same other
//   account), with all retweets received, distinct retweeters, and top5_share, the share
//   of their retweets given by their five most frequent retweeters. An account boosted by
//   a ring shows many repeater retweets; a celebrity shows many retweets from a diffuse
//   crowd (low top5_share, few repeaters). retweets is the count the loaders keep on
//   each account.
//   source says how the repeaters were found: as co-retweet-pairs finds its pairs, from
//   the candidate pairs of a matching stored co-retweet run (see co-retweet-pairs), or
//   from every retweet.
//   Known false positives: an account a ring chose as a target is not itself part of the
//   ring; fan clubs concentrate their retweets on their idol.
// params:
//   window_s: {type: int, default: 60, min: 1, max: 86400}
//   min_shared: {type: int, default: 3, min: 1}
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
// The authors the repeaters retweeted, and the most retweeted ones (which rank next when
// fewer than limit authors were reached): only these are read.
CALL (repeaters) {
  UNWIND repeaters AS fan
  MATCH (fan)-[:POSTED]->(:Tweet)-[:RETWEET_OF]->(:Tweet)<-[:POSTED]-(author:Account)
  WHERE author <> fan
  RETURN author, count(*) AS from_repeaters
  UNION ALL
  MATCH (author:Account) WHERE author.retweeted > 0
  WITH author ORDER BY author.retweeted DESC, author.userid LIMIT toInteger($limit)
  RETURN author, 0 AS from_repeaters
}
WITH run_id, author, sum(from_repeaters) AS from_repeaters, author.retweeted AS retweets
ORDER BY from_repeaters DESC, retweets DESC, author.userid
LIMIT toInteger($limit)
CALL (author) {
  MATCH (author)-[:POSTED]->(:Tweet)<-[:RETWEET_OF]-(:Tweet)<-[:POSTED]-(fan:Account)
  WHERE fan <> author
  WITH fan, count(*) AS given ORDER BY given DESC
  RETURN count(fan) AS retweeters, reduce(s = 0, g IN collect(given)[..5] | s + g) AS top5
}
RETURN author.userid AS userid, author.screen_name AS screen_name,
       author:Disclosed AS disclosed, retweets, retweeters, from_repeaters,
       round(toFloat(top5) / retweets, 3) AS top5_share,
       coalesce('pairs of detection run ' + run_id, 'counted from the retweets') AS source
ORDER BY from_repeaters DESC, retweets DESC, userid
