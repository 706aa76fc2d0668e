// ---
// name: handle-patterns
// title: Handles made of a word and a long run of digits, grouped by shape
// category: infrastructure
// description: Screen names matching pattern (default: letters followed by at least six
//   digits, the shape sign-up forms suggest and bulk-registration scripts produce),
//   grouped by shape (letters + number of digits). A group with one shape, created in
//   the same weeks, sharing clients or profile sites, was probably made by one script.
//   Hashed accounts are left out: their screen name is a hash, not a choice.
//   Known false positives: real users who kept the suggested handle; numbers that are
//   birth years plus other digits.
// params:
//   pattern: {type: str, default: "^[A-Za-z_]+[0-9]{6,}$", description: "Java regular expression on screen_name"}
//   min_accounts: {type: int, default: 3, min: 1}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (a:Account)
WHERE a.screen_name =~ $pattern AND NOT coalesce(a.hashed, false)
WITH a, size(a.screen_name) - size(reduce(s = a.screen_name, d IN ['0','1','2','3','4','5','6','7','8','9'] | replace(s, d, ''))) AS digits
WITH 'letters+' + toString(digits) + ' digits' AS shape, collect(a) AS users
WHERE size(users) >= $min_accounts
RETURN shape, size(users) AS accounts, size([u IN users WHERE u:Disclosed]) AS disclosed,
       reduce(m = null, u IN users | CASE WHEN m IS NULL OR u.created_at < m THEN u.created_at ELSE m END) AS created_from,
       reduce(m = null, u IN users | CASE WHEN m IS NULL OR u.created_at > m THEN u.created_at ELSE m END) AS created_to,
       [u IN users | u.screen_name][..20] AS screen_names, [u IN users | u.userid][..100] AS userids
ORDER BY accounts DESC, shape
LIMIT toInteger($limit)
