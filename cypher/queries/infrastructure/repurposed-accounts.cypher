// ---
// name: repurposed-accounts
// title: Accounts that went silent for a long time, then came back in another language
// category: infrastructure
// description: For each account with at least min_tweets tweets, the longest silence
//   between two of its tweets; accounts silent for at least min_gap_days are listed with
//   their main tweet language and top hashtags before and after the silence. A dormant
//   account that wakes up in a new language, on new topics, has probably changed hands
//   (bought, stolen or reactivated by an operator). language_switch is true when the main
//   language differs; such rows come first.
//   Known false positives: people who return after a break and now post for work, or who
//   moved abroad; accounts whose archive lost the tweets in between.
// params:
//   min_gap_days: {type: int, default: 180, min: 1}
//   min_tweets: {type: int, default: 5, min: 2}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (a:Account)
// Only an account whose first and last tweets (kept by the loaders) are min_gap_days apart
// can have such a silence: only those accounts' tweets are read.
WHERE a.tweets >= $min_tweets
  AND duration.inDays(a.first_tweet, a.last_tweet).days >= $min_gap_days
MATCH (a)-[:POSTED]->(t:Tweet)
WHERE t.created_at IS NOT NULL
WITH a, t ORDER BY t.created_at
WITH a, collect(t) AS tweets
WHERE size(tweets) >= $min_tweets
WITH a, tweets, reduce(best = {i: 0, days: -1}, i IN range(1, size(tweets) - 1) |
       CASE WHEN duration.inDays(tweets[i - 1].created_at, tweets[i].created_at).days > best.days
            THEN {i: i, days: duration.inDays(tweets[i - 1].created_at, tweets[i].created_at).days}
            ELSE best END) AS gap
WHERE gap.days >= $min_gap_days
CALL (tweets, gap) {
  UNWIND tweets[..gap.i] AS t WITH t.language AS language, count(*) AS n
  RETURN language AS before ORDER BY n DESC LIMIT 1
}
CALL (tweets, gap) {
  UNWIND tweets[gap.i..] AS t WITH t.language AS language, count(*) AS n
  RETURN language AS after ORDER BY n DESC LIMIT 1
}
CALL (tweets, gap) {
  UNWIND tweets[..gap.i] AS t
  OPTIONAL MATCH (t)-[:HAS_HASHTAG]->(h:Hashtag)
  WITH h, count(h) AS n ORDER BY n DESC
  RETURN [x IN collect(h.name) WHERE x IS NOT NULL][..5] AS hashtags_before
}
CALL (tweets, gap) {
  UNWIND tweets[gap.i..] AS t
  OPTIONAL MATCH (t)-[:HAS_HASHTAG]->(h:Hashtag)
  WITH h, count(h) AS n ORDER BY n DESC
  RETURN [x IN collect(h.name) WHERE x IS NOT NULL][..5] AS hashtags_after
}
RETURN a.userid AS userid, a.screen_name AS screen_name, a:Disclosed AS disclosed,
       gap.days AS silent_days, tweets[gap.i - 1].created_at AS last_before,
       tweets[gap.i].created_at AS first_after, gap.i AS tweets_before,
       size(tweets) - gap.i AS tweets_after, before AS language_before,
       after AS language_after, coalesce(before <> after, false) AS language_switch, hashtags_before,
       hashtags_after
ORDER BY language_switch DESC, silent_days DESC, userid
LIMIT $limit
