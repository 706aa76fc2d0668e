// ---
// name: retweet-bursts
// title: Tweets retweeted in a burst long after they were posted (retweets per minute)
// category: amplification
// description: For each tweet, its busiest minute of retweets that began at least
//   min_delay_s after the tweet itself, with the retweets in that minute, the delay, and
//   the share of all its retweets. A popular tweet gets its fastest retweets in the
//   first minutes, while followers see it; a tight burst hours later, with no new
//   trigger, is what scheduled amplification looks like. peak_userids lists who took part
//   (userids, since hashed accounts have no screen name): the same accounts across
//   several bursts are a ring (see co-retweet-pairs).
//   Known false positives: a celebrity quoting or retweeting an old tweet, which sends
//   a second wave; a tweet trending again in another time zone's morning.
// params:
//   min_delay_s: {type: int, default: 180, min: 0, description: "ignore retweets sooner than this after the tweet"}
//   min_per_minute: {type: int, default: 5, min: 2}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (t:Tweet)<-[:RETWEET_OF]-(rt:Tweet)<-[:POSTED]-(a:Account)
WHERE t.created_at IS NOT NULL AND rt.created_at IS NOT NULL
  AND rt.created_at.epochMillis - t.created_at.epochMillis >= $min_delay_s * 1000
WITH t, datetime.truncate('minute', rt.created_at) AS minute, count(rt) AS retweets,
     collect(a.userid) AS accounts
WHERE retweets >= $min_per_minute
WITH t, minute, retweets, accounts ORDER BY retweets DESC, minute
WITH t, collect({minute: minute, retweets: retweets, accounts: accounts})[0] AS peak,
     count(minute) AS burst_minutes
OPTIONAL MATCH (author:Account)-[:POSTED]->(t)
RETURN t.tweetid AS tweetid, author.screen_name AS author, datetime.truncate('second', t.created_at) AS created_at,
       peak.minute AS peak_minute, peak.retweets AS peak_retweets,
       duration.inSeconds(t.created_at, peak.minute).minutes AS delay_min,
       COUNT { (t)<-[:RETWEET_OF]-() } AS retweets, burst_minutes,
       peak.accounts[..25] AS peak_userids
ORDER BY peak_retweets DESC, tweetid
LIMIT toInteger($limit)
