// ---
// name: shared-client-graph
// title: The accounts around one client app drawn, with an example tweet each
// category: infrastructure
// description: One client app (default: the busiest app outside the common list, by
//   tweets) with the accounts that post through it, as a graph: each account with one
//   example tweet sent through the app, the most active first; Disclosed accounts are
//   red. An operator's own publishing tool shows as an app whose accounts are nearly all
//   disclosed (rare-client-sharing ranks such apps). An app used for more than
//   max_tweets tweets is read from its first max_tweets tweets only.
//   Known false positives: niche but public apps (schedulers, news feed services)
//   gather unrelated publishers.
// result: graph
// params:
//   client: {type: str, description: "a client name, e.g. from rare-client-sharing"}
//   common: {type: list[str], default: ["Twitter for Android", "Twitter for iPhone", "Twitter for iPad", "Twitter for Mac", "Twitter Web App", "Twitter Web Client", "Twitter Lite", "Mobile Web (M2)", "TweetDeck", "TweetDeck Web App"], description: "apps never chosen by default"}
//   limit: {type: int, default: 50, min: 1, max: 500, description: "accounts drawn"}
//   max_tweets: {type: int, default: 20000, min: 1, max: 1000000, description: "tweets read at most"}
// ---
CALL () {
  MATCH (c:Client) WHERE c.name = $client RETURN c
  UNION
  MATCH (c:Client) WHERE $client IS NULL AND NOT c.name IN $common
  RETURN c ORDER BY COUNT { (c)<-[:POSTED_VIA]-() } DESC, c.name LIMIT 1
}
CALL (c) {
  MATCH (c)<-[:POSTED_VIA]-(t:Tweet)
  WITH t LIMIT toInteger($max_tweets)
  MATCH (a:Account)-[:POSTED]->(t)
  RETURN a, count(t) AS tweets, min(t.tweetid) AS example
  ORDER BY tweets DESC, a.userid LIMIT toInteger($limit)
}
CALL (a, c, example) {
  MATCH (t:Tweet {tweetid: example}) USING INDEX t:Tweet(tweetid)
  MATCH p = (a)-[:POSTED]->(t)-[:POSTED_VIA]->(c)
  RETURN p LIMIT 1
}
RETURN c.name AS client, a.userid AS userid, a.caption AS account,
       a:Disclosed AS disclosed, tweets, p AS path
