// ---
// name: dataset-links
// title: What connects two datasets: shared accounts, hashtags, domains, tweets, clients
// category: accounts
// description: How two loaded datasets touch: accounts present in both, hashtags and
//   link domains used in both, tweets retweeted from both, and client apps in both, with
//   counts and examples. Without names it compares the first two datasets by name.
//   Overlap between a disclosed operation and an unlabelled collection points at accounts
//   or infrastructure the disclosure missed.
//   Known false positives: popular hashtags, news domains and official clients are
//   shared by any two Twitter samples; look at the rare ones among the examples.
// params:
//   dataset_1: {type: str}
//   dataset_2: {type: str}
//   examples: {type: int, default: 20, min: 1, max: 1000}
// ---
CALL () {
  MATCH (d:Dataset) WITH d ORDER BY d.name
  WITH collect(d.name) AS names
  RETURN coalesce($dataset_1, names[0]) AS d1, coalesce($dataset_2, names[1]) AS d2
}
WITH d1, d2 WHERE d1 IS NOT NULL AND d2 IS NOT NULL AND d1 <> d2
CALL (d1, d2) {
  MATCH (:Dataset {name: d1})<-[:IN_DATASET]-(a:Account)-[:IN_DATASET]->(:Dataset {name: d2})
  RETURN 'accounts in both' AS link, count(a) AS shared, collect(a.caption)[..toInteger($examples)] AS examples
  UNION ALL
  MATCH (h:Hashtag)<-[:HAS_HASHTAG]-(:Tweet {dataset: d1})
  WITH DISTINCT d2, h WHERE EXISTS { (h)<-[:HAS_HASHTAG]-(:Tweet {dataset: d2}) }
  RETURN 'hashtags used in both' AS link, count(h) AS shared, collect(h.name)[..toInteger($examples)] AS examples
  UNION ALL
  MATCH (m:Domain)<-[:ON_DOMAIN]-(:Url)<-[:LINKS_TO]-(:Tweet {dataset: d1})
  WITH DISTINCT d2, m WHERE EXISTS { (m)<-[:ON_DOMAIN]-(:Url)<-[:LINKS_TO]-(:Tweet {dataset: d2}) }
  RETURN 'link domains in both' AS link, count(m) AS shared, collect(m.name)[..toInteger($examples)] AS examples
  UNION ALL
  MATCH (o:Tweet)<-[:RETWEET_OF]-(:Tweet {dataset: d1})
  WITH DISTINCT d2, o WHERE EXISTS { (o)<-[:RETWEET_OF]-(:Tweet {dataset: d2}) }
  RETURN 'tweets retweeted in both' AS link, count(o) AS shared, collect(o.tweetid)[..toInteger($examples)] AS examples
  UNION ALL
  MATCH (c:Client)<-[:POSTED_VIA]-(:Tweet {dataset: d1})
  WITH DISTINCT d2, c WHERE EXISTS { (c)<-[:POSTED_VIA]-(:Tweet {dataset: d2}) }
  RETURN 'client apps in both' AS link, count(c) AS shared, collect(c.name)[..toInteger($examples)] AS examples
}
RETURN d1 AS dataset_1, d2 AS dataset_2, link, shared, examples
