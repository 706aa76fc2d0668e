// ---
// name: languages
// title: Tweet languages and account interface languages
// category: overview
// description: One row per language code: tweets in it, accounts tweeting in it, and
//   accounts whose declared interface language it is. A gap between the two (accounts set
//   to zh-cn tweeting in English) hints at operators writing for a foreign audience;
//   repurposed-accounts finds accounts that switched language.
//   Known false positives: 'und' is emoji-only or very short text; multilingual users.
// params:
//   limit: {type: int, default: 50, min: 1, max: 10000}
// ---
CALL () {
  MATCH (a:Account)-[:POSTED]->(t:Tweet) WHERE t.language IS NOT NULL
  RETURN t.language AS language, count(t) AS tweets, count(DISTINCT a) AS tweeting_accounts,
         0 AS interface_accounts
  UNION ALL
  MATCH (a:Account) WHERE a.language IS NOT NULL
  RETURN a.language AS language, 0 AS tweets, 0 AS tweeting_accounts,
         count(a) AS interface_accounts
}
RETURN language, sum(tweets) AS tweets, sum(tweeting_accounts) AS tweeting_accounts,
       sum(interface_accounts) AS interface_accounts
ORDER BY tweets DESC, interface_accounts DESC, language
LIMIT toInteger($limit)
