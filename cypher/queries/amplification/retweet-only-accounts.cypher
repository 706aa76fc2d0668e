// ---
// name: retweet-only-accounts
// title: Accounts that mostly retweet
// category: amplification
// description: Accounts with at least min_tweets tweets of which at least min_share are
//   retweets (default three in four: amplifiers mix in posts of their own to look
//   real), with the number of distinct authors they retweet and the share going to
//   their top author, the busiest first (most retweets): a share is noisy for an account
//   with a dozen tweets, volume is what amplifies. Amplifier accounts exist to retweet;
//   a low distinct_authors with a high top_author_share marks an account that boosts one
//   voice.
//   Known false positives: many real users mostly retweet (lurkers, fans, curators);
//   use this list to prioritise, together with co-retweet-pairs.
// params:
//   min_tweets: {type: int, default: 10, min: 1}
//   min_share: {type: float, default: 0.75, min: 0.0, max: 1.0}
//   limit: {type: int, default: 100, min: 1, max: 100000}
// ---
MATCH (a:Account)-[:POSTED]->(t:Tweet)
WITH a, count(t) AS tweets, count(CASE WHEN t.is_retweet THEN 1 END) AS retweets
WHERE tweets >= $min_tweets AND toFloat(retweets) / tweets >= $min_share
OPTIONAL MATCH (a)-[:POSTED]->(:Tweet)-[:RETWEET_OF]->(:Tweet)<-[:POSTED]-(author:Account)
WITH a, tweets, retweets, author, count(*) AS n ORDER BY n DESC
WITH a, tweets, retweets, count(author) AS distinct_authors, collect(n)[0] AS top_n
RETURN a.userid AS userid, a.screen_name AS screen_name, a:Disclosed AS disclosed, tweets,
       retweets, round(toFloat(retweets) / tweets, 3) AS retweet_share, distinct_authors,
       round(toFloat(coalesce(top_n, 0)) / retweets, 3) AS top_author_share
ORDER BY retweets DESC, retweet_share DESC, userid
LIMIT toInteger($limit)
