// ---
// name: activity-over-time
// title: Tweets, retweets and active accounts per hour, day, week or month
// category: overview
// description: One row per period and dataset: tweets, how many were retweets, and how
//   many distinct accounts posted. Spikes that no news event explains, or activity that
//   switches on and off with office hours in one time zone, are worth a closer look with
//   the amplification queries. Times are UTC.
//   Known false positives: real news events, and gaps in collection (a dataset that
//   stops early looks like activity stopping).
// params:
//   bucket: {type: str, default: day, choices: [hour, day, week, month], description: "period length"}
//   dataset: {type: str, description: "only this dataset (default all)"}
// ---
MATCH (a:Account)-[:POSTED]->(t:Tweet)
WHERE t.created_at IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
WITH datetime.truncate($bucket, t.created_at) AS period, t.dataset AS dataset, t, a
RETURN period, dataset, count(t) AS tweets,
       count(CASE WHEN t.is_retweet THEN 1 END) AS retweets,
       count(DISTINCT a) AS accounts
ORDER BY period, dataset
