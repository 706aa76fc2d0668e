// ---
// name: most-amplified-tweets
// title: Tweets amplified by accounts that co-retweet repeatedly (retweet concentration)
// category: amplification
// description: Every tweet with at least min_retweets retweets, ranked by how many of them
//   came from repeat co-amplifiers: accounts that retweeted at least min_shared tweets
//   within window_s of the same other account. from_repeaters / retweets is the
//   concentration: near 1 means one coordinated cohort did the amplifying; a viral tweet
//   has many retweets from a crowd that rarely meets again, so it ranks low.
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
  MATCH (orig:Tweet)<-[:RETWEET_OF]-(r1:Tweet)
  WITH orig, count(r1) AS retweets WHERE 2 <= retweets <= $max_retweets
  MATCH (orig)<-[:RETWEET_OF]-(r1:Tweet)<-[:POSTED]-(a1:Account)
  MATCH (orig)<-[:RETWEET_OF]-(r2:Tweet)<-[:POSTED]-(a2:Account)
  WHERE a1 <> a2
    AND abs(r1.created_at.epochMillis - r2.created_at.epochMillis) <= $window_s * 1000
  WITH a1, a2, count(DISTINCT orig) AS shared WHERE shared >= $min_shared
  RETURN collect(DISTINCT a1.userid) AS repeaters
}
MATCH (t:Tweet)<-[:RETWEET_OF]-(rt:Tweet)<-[:POSTED]-(a:Account)
WITH repeaters, t, count(rt) AS retweets, count(DISTINCT a) AS retweeters,
     count(CASE WHEN a.userid IN repeaters THEN 1 END) AS from_repeaters
WHERE retweets >= $min_retweets
OPTIONAL MATCH (author:Account)-[:POSTED]->(t)
RETURN t.tweetid AS tweetid, author.userid AS author_userid,
       author.screen_name AS author_screen_name, datetime.truncate('second', t.created_at) AS created_at, retweets,
       retweeters, from_repeaters, round(toFloat(from_repeaters) / retweets, 3) AS concentration,
       left(t.text, 120) AS text
ORDER BY from_repeaters DESC, concentration DESC, retweets DESC, tweetid
LIMIT toInteger($limit)
