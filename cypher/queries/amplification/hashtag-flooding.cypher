// ---
// name: hashtag-flooding
// title: Many accounts pushing one hashtag within a short span
// category: amplification
// description: Hashtags that at least min_accounts different accounts used in their own
//   tweets (retweets excluded) within window_s seconds. peak_accounts is the largest
//   crowd in one window; floods counts the windows that reached min_accounts; hashtags
//   pushed by a ring come in repeated tight waves, while a community's hashtags spread
//   out over the day. Windows are fixed slots plus half-shifted slots (no wave is split).
//   Known false positives: live events (a goal, a TV finale, a countdown at midnight)
//   make honest crowds tweet one hashtag in the same minute; check who they are.
// params:
//   window_s: {type: int, default: 120, min: 1, max: 86400}
//   min_accounts: {type: int, default: 5, min: 2}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (h:Hashtag)<-[:HAS_HASHTAG]-(t:Tweet)<-[:POSTED]-(a:Account)
WHERE t.created_at IS NOT NULL AND NOT coalesce(t.is_retweet, false)
UNWIND [0, toInteger($window_s) / 2] AS shift
WITH h, shift, (t.created_at.epochSeconds + shift) / toInteger($window_s) AS slot,
     collect(DISTINCT a.userid) AS accounts, min(t.created_at) AS first_at
WHERE size(accounts) >= $min_accounts
WITH h, shift, slot, accounts, first_at ORDER BY size(accounts) DESC, first_at
WITH h, collect({shift: shift, accounts: accounts, first_at: first_at}) AS waves
WITH h, waves[0] AS peak, size([w IN waves WHERE w.shift = 0]) AS floods
RETURN coalesce(h.display, h.name) AS hashtag, size(peak.accounts) AS peak_accounts, floods,
       datetime.truncate('second', peak.first_at) AS peak_at, COUNT { (h)<-[:HAS_HASHTAG]-() } AS tweets,
       peak.accounts[..30] AS peak_userids
ORDER BY peak_accounts DESC, floods DESC, hashtag
LIMIT toInteger($limit)
