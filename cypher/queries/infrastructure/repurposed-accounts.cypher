// ---
// name: repurposed-accounts
// title: Accounts that went silent for a long time, then came back changed
// category: infrastructure
// description: For each account with at least min_tweets tweets, the longest silence
//   between two of its tweets; accounts silent for at least min_gap_days are listed with
//   what changed across the silence, each with the date it showed: the main tweet
//   language (language_switch, language_since), the main client app (client_switch,
//   client_since), and the share of tweets posted in office hours (weekdays 09:00-18:00)
//   on the wall clock of tz (office_hours_shift when the share rose by at least
//   min_office_shift; office_hours_since). Tweets of the account containing one of
//   handover_phrases ("test new owner", "account for sale", ...) are listed as evidence.
//   A dormant account that wakes up in a new language, from a new client, in another
//   country's office hours has probably changed hands (bought, stolen or reactivated by
//   an operator); the 2019 analyses of the PRC accounts read exactly these signs. Rows
//   with more changes come first.
//   Known false positives: people who return after a break and now post for work, or who
//   moved abroad; accounts whose archive lost the tweets in between. A bad time zone name
//   fails with the server's message (use an IANA name such as Asia/Shanghai).
// params:
//   min_gap_days: {type: int, default: 180, min: 1}
//   min_tweets: {type: int, default: 5, min: 2}
//   tz: {type: str, default: "Asia/Shanghai", description: "IANA time zone of the office hours"}
//   min_office_shift: {type: float, default: 0.3, min: 0.0, max: 1.0, description: "rise in the share of tweets in office hours"}
//   handover_phrases: {type: list[str], default: ["test new owner", "new owner", "account for sale", "selling this account", "account sold", "bought this account", "出售账号", "出售帳號", "账号出售", "帳號出售", "新主人"], description: "phrases (case-insensitive) that mark a sale or hand-over"}
//   limit: {type: int, default: 50, min: 1, max: 100000}
//   dataset: {type: str, description: "only this dataset (default all)"}
// ---
MATCH (a:Account)-[:POSTED]->(t:Tweet)
WHERE t.created_at IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
WITH a, t ORDER BY t.created_at
WITH a, collect(t) AS tweets
WHERE size(tweets) >= $min_tweets
WITH a, tweets, reduce(best = {i: 0, days: -1}, i IN range(1, size(tweets) - 1) |
       CASE WHEN duration.inDays(tweets[i - 1].created_at, tweets[i].created_at).days > best.days
            THEN {i: i, days: duration.inDays(tweets[i - 1].created_at, tweets[i].created_at).days}
            ELSE best END) AS gap
WHERE gap.days >= $min_gap_days
WITH a, tweets, gap, tweets[..gap.i] AS before, tweets[gap.i..] AS after
CALL (before) {
  UNWIND before AS t WITH t.language AS language, count(*) AS n
  RETURN language AS language_before ORDER BY n DESC, language LIMIT 1
}
CALL (after) {
  UNWIND after AS t WITH t.language AS language, count(*) AS n
  RETURN language AS language_after ORDER BY n DESC, language LIMIT 1
}
CALL (before) {
  UNWIND before AS t OPTIONAL MATCH (t)-[:POSTED_VIA]->(c:Client)
  WITH c.name AS client, count(*) AS n
  RETURN client AS client_before ORDER BY n DESC, client LIMIT 1
}
CALL (after) {
  UNWIND after AS t OPTIONAL MATCH (t)-[:POSTED_VIA]->(c:Client)
  WITH t, c.name AS client ORDER BY t.created_at
  WITH collect({client: client, at: t.created_at}) AS posts
  UNWIND posts AS p WITH posts, p.client AS client, count(*) AS n
  ORDER BY n DESC, client LIMIT 1
  RETURN client AS client_after, [p IN posts WHERE p.client = client][0].at AS client_at
}
CALL (before) {
  UNWIND before AS t
  OPTIONAL MATCH (t)-[:HAS_HASHTAG]->(h:Hashtag)
  WITH h, count(h) AS n ORDER BY n DESC
  RETURN [x IN collect(h.name) WHERE x IS NOT NULL][..5] AS hashtags_before
}
CALL (after) {
  UNWIND after AS t
  OPTIONAL MATCH (t)-[:HAS_HASHTAG]->(h:Hashtag)
  WITH h, count(h) AS n ORDER BY n DESC
  RETURN [x IN collect(h.name) WHERE x IS NOT NULL][..5] AS hashtags_after
}
WITH a, tweets, gap, before, after, language_before, language_after, client_before,
     client_after, client_at, hashtags_before, hashtags_after,
     [t IN before | datetime({datetime: t.created_at, timezone: $tz})] AS local_before,
     [t IN after | datetime({datetime: t.created_at, timezone: $tz})] AS local_after
WITH a, tweets, gap, before, after, language_before, language_after, client_before,
     client_after, client_at, hashtags_before, hashtags_after,
     toFloat(size([d IN local_before WHERE d.dayOfWeek <= 5 AND 9 <= d.hour < 18]))
       / size(before) AS office_before,
     [d IN local_after WHERE d.dayOfWeek <= 5 AND 9 <= d.hour < 18] AS office_after
WITH a, tweets, gap, language_before, language_after, client_before, client_after, client_at,
     hashtags_before, hashtags_after, office_before,
     toFloat(size(office_after)) / size(after) AS office_share_after,
     office_after[0] AS office_at,
     coalesce(language_before <> language_after, false) AS language_switch,
     coalesce(client_before <> client_after, false) AS client_switch,
     [t IN after WHERE t.language = language_after][0].created_at AS language_at,
     [t IN tweets WHERE t.text IS NOT NULL
        AND any(p IN $handover_phrases WHERE toLower(t.text) CONTAINS toLower(p))] AS handover
WITH *, office_share_after - office_before >= $min_office_shift AS office_hours_shift
RETURN a.userid AS userid, a.screen_name AS screen_name, a:Disclosed AS disclosed,
       gap.days AS silent_days, datetime.truncate('second', tweets[gap.i - 1].created_at) AS last_before,
       datetime.truncate('second', tweets[gap.i].created_at) AS first_after, gap.i AS tweets_before,
       size(tweets) - gap.i AS tweets_after,
       language_before, language_after, language_switch,
       CASE WHEN language_switch THEN date(language_at) END AS language_since,
       client_before, client_after, client_switch,
       CASE WHEN client_switch THEN date(client_at) END AS client_since,
       round(office_before, 2) AS office_share_before,
       round(office_share_after, 2) AS office_share_after, office_hours_shift,
       CASE WHEN office_hours_shift THEN date(office_at) END AS office_hours_since,
       [t IN handover[..5] | {tweetid: t.tweetid, created_at: t.created_at,
                              text: left(t.text, 140)}] AS handover_tweets,
       hashtags_before, hashtags_after
ORDER BY toInteger(language_switch) + toInteger(client_switch)
           + toInteger(office_hours_shift) + sign(size(handover)) DESC,
         silent_days DESC, userid
LIMIT toInteger($limit)
