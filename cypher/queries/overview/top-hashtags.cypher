// ---
// name: top-hashtags
// title: Most used hashtags, with how many accounts use them
// category: overview
// description: Hashtags by number of tweets, with distinct accounts, tweets per account
//   and first and last use. A hashtag with many tweets from few accounts (high
//   tweets_per_account) is pushed by a small group; check it with hashtag-flooding.
//   Retweets carry the hashtags of the original and are not counted.
//   Known false positives: fan communities and live events produce the same shape
//   honestly; bots of one publisher tag every post alike.
// params:
//   limit: {type: int, default: 50, min: 1, max: 100000}
//   dataset: {type: str, description: "only this dataset (default all)"}
// ---
MATCH (h:Hashtag)<-[:HAS_HASHTAG]-(t:Tweet)<-[:POSTED]-(a:Account)
WHERE NOT coalesce(t.is_retweet, false) AND ($dataset IS NULL OR t.dataset = $dataset)
WITH h, count(t) AS tweets, count(DISTINCT a) AS accounts, min(t.created_at) AS first_used,
     max(t.created_at) AS last_used
RETURN coalesce(h.display, h.name) AS hashtag, tweets, accounts,
       round(toFloat(tweets) / accounts, 2) AS tweets_per_account,
       datetime.truncate('second', first_used) AS first_used,
       datetime.truncate('second', last_used) AS last_used
ORDER BY tweets DESC, hashtag
LIMIT toInteger($limit)
