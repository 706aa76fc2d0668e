// ---
// name: co-retweet-pairs
// title: Accounts that retweet the same tweets within seconds of each other, repeatedly
// category: amplification
// description: Pairs of accounts that retweeted at least min_shared of the same tweets,
//   each time within window_s seconds of each other. Once is chance; a pair that meets
//   again and again in the same minute is scheduled or scripted. shared counts distinct
//   tweets; examples lists some of them. The pairs of one ring share members: look at
//   the accounts that recur, or run the co-retweet detector for rings and significance.
//   Known false positives: accounts that follow the same few celebrities and retweet
//   within seconds of each posting (viral first minute); tweets with more retweets than
//   max_retweets are skipped for that reason and for speed.
// params:
//   window_s: {type: int, default: 60, min: 1, max: 86400, description: "seconds between the two retweets"}
//   min_shared: {type: int, default: 3, min: 1, description: "distinct tweets retweeted together"}
//   max_retweets: {type: int, default: 2000, min: 2, description: "skip tweets retweeted more often"}
//   limit: {type: int, default: 100, min: 1, max: 100000}
// ---
MATCH (orig:Tweet)<-[:RETWEET_OF]-(r1:Tweet)
WITH orig, count(r1) AS retweets WHERE 2 <= retweets <= $max_retweets
MATCH (orig)<-[:RETWEET_OF]-(r1:Tweet)<-[:POSTED]-(a1:Account)
MATCH (orig)<-[:RETWEET_OF]-(r2:Tweet)<-[:POSTED]-(a2:Account)
WHERE a1.userid < a2.userid
  AND abs(r1.created_at.epochMillis - r2.created_at.epochMillis) <= $window_s * 1000
WITH a1, a2, count(DISTINCT orig) AS shared, collect(DISTINCT orig.tweetid) AS tweets,
     min(r1.created_at) AS first_at, max(r1.created_at) AS last_at
WHERE shared >= $min_shared
RETURN a1.userid AS userid_1, a1.screen_name AS screen_name_1,
       a2.userid AS userid_2, a2.screen_name AS screen_name_2,
       shared, datetime.truncate('second', first_at) AS first_at,
       datetime.truncate('second', last_at) AS last_at, tweets[..10] AS examples
ORDER BY shared DESC, userid_1, userid_2
LIMIT toInteger($limit)
