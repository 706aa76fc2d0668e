// ---
// name: copy-paste-text
// title: The same text posted by several accounts within a short window
// category: amplification
// description: Texts (compared by the loader's text_hash, the text as co-tweet compares
//   it: case, width, Traditional/Simplified script, punctuation and emoji folded, and
//   mentions and links removed) that at least min_accounts different accounts posted within
//   window_s seconds of each other. peak_accounts is the largest number of accounts in
//   one window; windows counts how many times the text came in such a wave. A slogan
//   pasted by a ring in one minute is the signature of a script or a shared brief.
//   Windows are fixed time slots of window_s, plus slots shifted by half of it, so a
//   wave is never split in two.
//   Known false positives: news bots of one publisher posting the same headline (they
//   space their posts out, so use a short window), share buttons ("I just signed...")
//   and very short replies ("thank you").
// params:
//   window_s: {type: int, default: 60, min: 1, max: 86400}
//   min_accounts: {type: int, default: 3, min: 2}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (a:Account)-[:POSTED]->(t:Tweet)
WHERE t.text_hash IS NOT NULL AND t.created_at IS NOT NULL AND NOT coalesce(t.is_retweet, false)
UNWIND [0, toInteger($window_s) / 2] AS shift
WITH t.text_hash AS hash, shift, (t.created_at.epochSeconds + shift) / toInteger($window_s) AS slot,
     collect(DISTINCT a.userid) AS accounts, count(t) AS tweets, min(t.created_at) AS first_at,
     collect(t.text)[0] AS text
WHERE size(accounts) >= $min_accounts
WITH hash, shift, slot, accounts, tweets, first_at, text ORDER BY size(accounts) DESC, first_at
WITH hash, collect({shift: shift, accounts: accounts, first_at: first_at, text: text}) AS waves
WITH hash, waves[0] AS peak, size([w IN waves WHERE w.shift = 0]) AS windows
RETURN hash AS text_hash, left(peak.text, 140) AS text, size(peak.accounts) AS peak_accounts,
       windows, datetime.truncate('second', peak.first_at) AS peak_at, peak.accounts[..30] AS peak_userids
ORDER BY peak_accounts DESC, windows DESC, text_hash
LIMIT toInteger($limit)
