// ---
// name: most-amplified-accounts
// title: Accounts whose tweets are amplified by repeat co-retweeters (retweet concentration)
// category: amplification
// description: Authors ranked by the retweets they received from repeat co-amplifiers
//   (accounts that retweeted at least min_shared tweets within window_s of the same other
//   account), with all retweets received, distinct retweeters, and top5_share, the share
//   of their retweets given by their five most frequent retweeters. An account boosted by
//   a ring shows many repeater retweets; a celebrity shows many retweets from a diffuse
//   crowd (low top5_share, few repeaters).
//   Known false positives: an account a ring chose as a target is not itself part of the
//   ring; fan clubs concentrate their retweets on their idol.
// params:
//   window_s: {type: int, default: 60, min: 1, max: 86400}
//   min_shared: {type: int, default: 3, min: 1}
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
MATCH (author:Account)-[:POSTED]->(:Tweet)<-[:RETWEET_OF]-(:Tweet)<-[:POSTED]-(fan:Account)
WHERE fan <> author
WITH repeaters, author, fan, count(*) AS given
ORDER BY given DESC
WITH repeaters, author, sum(given) AS retweets, count(fan) AS retweeters,
     sum(CASE WHEN fan.userid IN repeaters THEN given ELSE 0 END) AS from_repeaters,
     collect(given) AS gifts
WITH author, retweets, retweeters, from_repeaters,
     reduce(s = 0, g IN gifts[..5] | s + g) AS top5
RETURN author.userid AS userid, author.screen_name AS screen_name,
       author:Disclosed AS disclosed, retweets, retweeters, from_repeaters,
       round(toFloat(top5) / retweets, 3) AS top5_share
ORDER BY from_repeaters DESC, retweets DESC, userid
LIMIT toInteger($limit)
