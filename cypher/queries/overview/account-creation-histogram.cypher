// ---
// name: account-creation-histogram
// title: Accounts created per day, week, month or year
// category: overview
// description: How many accounts (and disclosed accounts) were created in each period.
//   Sign-ups grow over the years for everyone; a narrow spike of disclosed accounts is a
//   batch made by one operator (see creation-bursts for the days themselves).
//   Known false positives: platform growth spurts and viral sign-up events.
// params:
//   bucket: {type: str, default: month, choices: [day, week, month, year]}
//   disclosed_only: {type: bool, default: false, description: "count only Disclosed accounts"}
// ---
MATCH (a:Account)
WHERE a.created_at IS NOT NULL AND (NOT $disclosed_only OR a:Disclosed)
RETURN date.truncate($bucket, a.created_at) AS period, count(a) AS accounts,
       count(CASE WHEN a:Disclosed THEN 1 END) AS disclosed
ORDER BY period
