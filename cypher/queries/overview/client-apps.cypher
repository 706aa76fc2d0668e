// ---
// name: client-apps
// title: Client apps that posted the tweets, with accounts per app
// category: overview
// description: Source apps by tweets, with distinct accounts, their share of all
//   posting accounts, and how many of those accounts are disclosed. Official apps
//   dominate; an unknown app used by a handful of accounts may be an operator's own
//   tool (see rare-client-sharing).
//   Known false positives: scheduling tools (Buffer, Hootsuite) and news feeds (dlvr.it,
//   IFTTT) are shared by unrelated accounts. The counts are the ones the loaders keep on
//   each app and account (read, not counted: fast at any size).
// params:
//   limit: {type: int, default: 50, min: 1, max: 100000}
// ---
CALL () {
  MATCH (x:Account) WHERE x.tweets > 0 RETURN count(x) AS posting
}
MATCH (c:Client) WHERE c.tweets > 0
RETURN c.name AS client, c.tweets AS tweets, c.accounts AS accounts,
       round(100.0 * c.accounts / posting, 2) AS pct_of_accounts, c.disclosed AS disclosed
ORDER BY tweets DESC, client
LIMIT toInteger($limit)
