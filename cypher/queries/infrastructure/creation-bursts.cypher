// ---
// name: creation-bursts
// title: Days on which unusually many accounts were created
// category: infrastructure
// description: Days with at least min_accounts account creations, ranked by accounts, with
//   the typical (median) number on days that saw any creation, the disclosed count, and
//   the accounts. Operators register accounts in batches; a day far above the median,
//   mostly disclosed accounts, with similar handles (see handle-patterns) is a batch.
//   Known false positives: days when the platform or a big event drew many sign-ups;
//   recent days in a sample of new users.
// params:
//   min_accounts: {type: int, default: 3, min: 1}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (a:Account) WHERE a.created_at IS NOT NULL
WITH a.created_at AS day, collect(a) AS users
WITH collect({day: day, users: users}) AS days,
     percentileDisc(size(users), 0.5) AS median
UNWIND days AS d
WITH d, median WHERE size(d.users) >= $min_accounts
RETURN d.day AS day, size(d.users) AS accounts, median AS median_per_day,
       size([u IN d.users WHERE u:Disclosed]) AS disclosed,
       [u IN d.users | u.caption][..20] AS names,
       [u IN d.users | u.userid][..100] AS userids
ORDER BY accounts DESC, day
LIMIT toInteger($limit)
