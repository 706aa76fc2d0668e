// ---
// name: identical-descriptions
// title: Profile descriptions shared word for word by several accounts
// category: infrastructure
// description: Profile descriptions (compared lower-cased, spaces trimmed, at least
//   min_length characters) that at least min_accounts accounts carry. People write their
//   own bios; a bio pasted into a batch of profiles comes from a template.
//   Known false positives: bios made of a quote, a slogan of a movement or a team, or
//   company staff using the employer's line.
// params:
//   min_accounts: {type: int, default: 2, min: 2}
//   min_length: {type: int, default: 15, min: 1}
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
MATCH (a:Account)
WHERE size(trim(coalesce(a.description, ''))) >= $min_length
WITH toLower(trim(a.description)) AS bio, collect(a) AS users
WHERE size(users) >= $min_accounts
RETURN left(bio, 160) AS description, size(users) AS accounts,
       size([u IN users WHERE u:Disclosed]) AS disclosed,
       [u IN users | u.caption][..20] AS names, [u IN users | u.userid][..100] AS userids
ORDER BY accounts DESC, description
LIMIT toInteger($limit)
