"""The read-only Cypher behind every number of the HTML report.

Each query is a named constant so the report can print the exact text next to the
numbers it produced, and a reader can paste it (with the printed parameters) into
Neo4j Browser to check them. Values arrive only as parameters. Two filters recur:

- a tweet belongs to the report when it was loaded from a dataset (stub tweets that
  only stand for a retweeted original carry none) and, with `$dataset`, from that one;
- an account belongs to it when it is `IN_DATASET` (accounts only mentioned or
  retweeted are not counted), and with `$dataset`, in that one.
"""

from __future__ import annotations

from typing import Final, LiteralString

DATASETS: Final[LiteralString] = """
MATCH (d:Dataset)
WHERE $dataset IS NULL OR d.name = $dataset
RETURN d.name AS name, d.format AS format, d.files AS files, d.loaded_at AS loaded_at,
       d.rows AS rows, d.rejected AS rejected, d.tweets AS tweets, d.accounts AS accounts
ORDER BY name
"""

TOTALS: Final[LiteralString] = """
CALL () {
  MATCH (a:Account)
  WHERE EXISTS { (a)-[:IN_DATASET]->(d:Dataset) WHERE $dataset IS NULL OR d.name = $dataset }
  RETURN count(a) AS accounts, count(CASE WHEN a:Disclosed THEN 1 END) AS disclosed
}
CALL () {
  MATCH (t:Tweet)
  WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
  RETURN count(t) AS tweets, count(CASE WHEN t.is_retweet THEN 1 END) AS retweets,
         min(t.created_at) AS first_tweet, max(t.created_at) AS last_tweet
}
RETURN accounts, disclosed, tweets, retweets, first_tweet, last_tweet
"""

TWEETS_PER_DAY: Final[LiteralString] = """
MATCH (t:Tweet)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
  AND t.created_at IS NOT NULL
RETURN date(t.created_at) AS day, count(t) AS tweets
ORDER BY day
"""

# Weekday (1 = Monday) and hour of each tweet on the wall clock of `$tz`.
TWEETS_BY_WEEKDAY_HOUR: Final[LiteralString] = """
MATCH (t:Tweet)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
  AND t.created_at IS NOT NULL
WITH datetime({datetime: t.created_at, timezone: $tz}) AS local
RETURN local.dayOfWeek AS weekday, local.hour AS hour, count(*) AS tweets
"""

ACCOUNTS_CREATED_PER_DAY: Final[LiteralString] = """
MATCH (a:Account)
WHERE a.created_at IS NOT NULL
  AND EXISTS { (a)-[:IN_DATASET]->(d:Dataset) WHERE $dataset IS NULL OR d.name = $dataset }
RETURN date(a.created_at) AS day, count(a) AS accounts,
       count(CASE WHEN a:Disclosed THEN 1 END) AS disclosed
ORDER BY day
"""

CLIENTS: Final[LiteralString] = """
MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:POSTED_VIA]->(c:Client)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
RETURN c.name AS label, count(t) AS tweets, count(DISTINCT a) AS accounts
ORDER BY tweets DESC, label
LIMIT $limit
"""

HASHTAGS: Final[LiteralString] = """
MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:HAS_HASHTAG]->(h:Hashtag)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
RETURN '#' + coalesce(h.display, h.name) AS label, count(t) AS tweets,
       count(DISTINCT a) AS accounts
ORDER BY tweets DESC, label
LIMIT $limit
"""

DOMAINS: Final[LiteralString] = """
MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:LINKS_TO]->(u:Url)-[:ON_DOMAIN]->(d:Domain)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
RETURN d.name AS label, count(DISTINCT t) AS tweets, count(DISTINCT a) AS accounts,
       count(DISTINCT u) AS urls
ORDER BY tweets DESC, label
LIMIT $limit
"""

URLS: Final[LiteralString] = """
MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:LINKS_TO]->(u:Url)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
RETURN u.url AS label, coalesce(u.is_shortener, false) AS shortener, count(t) AS tweets,
       count(DISTINCT a) AS accounts
ORDER BY tweets DESC, label
LIMIT $limit
"""

RUNS: Final[LiteralString] = """
MATCH (r:DetectionRun)
RETURN r.run_id AS run_id, r.kind AS kind, r.params AS params, r.created_at AS created_at,
       r.code_version AS code_version, r.edges AS edges, r.rings AS rings,
       r.edges_found AS edges_found, r.rings_found AS rings_found,
       r.edges_left_out AS edges_left_out, r.rings_left_out AS rings_left_out
ORDER BY created_at DESC, run_id
"""

# The most significant first, then the highest score; rings without a p-value or score
# sort last (Cypher puts nulls last in an ascending order, first in a descending one).
RINGS: Final[LiteralString] = """
MATCH (g:Ring)-[:FOUND_BY]->(:DetectionRun {run_id: $run_id})
RETURN g.ring_id AS ring_id, g.kind AS kind, g.size AS size, g.density AS density,
       g.score AS score, g.p_value AS p_value, g.summary AS summary, g.signals AS signals,
       g.signal_shares AS signal_shares,
       COUNT { (g)<-[:MEMBER_OF]-(:Disclosed) } AS disclosed
ORDER BY g.p_value, g.score IS NULL, g.score DESC, ring_id
LIMIT $limit
"""

RING_MEMBERS: Final[LiteralString] = """
UNWIND $ring_ids AS ring_id
MATCH (a:Account)-[m:MEMBER_OF]->(:Ring {ring_id: ring_id})
RETURN ring_id, a.userid AS userid, a.screen_name AS screen_name, m.role AS role,
       m.leads AS leads, m.episodes AS episodes, m.median_lag_s AS median_lag_s,
       a.display_name AS display_name, a.created_at AS created_at, a.followers AS followers,
       a.following AS following, a.language AS language,
       a:Disclosed AS disclosed, COUNT { (a)-[:POSTED]->(:Tweet) } AS tweets,
       [(a)-[:IN_DATASET]->(d:Dataset) | d.name] AS datasets
ORDER BY ring_id, tweets DESC, userid
"""

RING_EDGES: Final[LiteralString] = """
UNWIND $ring_ids AS ring_id
MATCH (a:Account)-[:MEMBER_OF]->(g:Ring {ring_id: ring_id})<-[:MEMBER_OF]-(b:Account)
MATCH (a)-[c:COORDINATED]->(b)
WHERE c.run_id = g.run_id
RETURN ring_id, a.userid AS source, b.userid AS target, c.weight AS weight,
       c.window_s AS window_s, c.first_at AS first_at, c.last_at AS last_at,
       c.evidence AS evidence, c.evidence_total AS evidence_total, c.p_value AS p_value
ORDER BY ring_id, weight DESC, source, target
"""

# The members' own tweets behind a ring's most shared targets. A target is whatever the
# detector recorded as evidence: a tweet retweeted, replied to or quoted, a URL, a
# domain, a hashtag, a mentioned account, a tweet's sorted hashtags joined as '#a#b' (the
# co-hashtag-sequence detector), or the hash of a copied text.
EVIDENCE_TWEETS: Final[LiteralString] = """
UNWIND $rings AS ring
MATCH (a:Account)-[:POSTED]->(t:Tweet)
WHERE a.userid IN ring.members
CALL (t, ring) {
  MATCH (t)-[:RETWEET_OF|REPLY_TO|QUOTES]->(o:Tweet) WHERE o.tweetid IN ring.targets
  RETURN o.tweetid AS target
  UNION
  MATCH (t)-[:LINKS_TO]->(u:Url) WHERE u.url IN ring.targets
  RETURN u.url AS target
  UNION
  MATCH (t)-[:LINKS_TO]->(:Url)-[:ON_DOMAIN]->(d:Domain) WHERE d.name IN ring.targets
  RETURN d.name AS target
  UNION
  MATCH (t)-[:HAS_HASHTAG]->(h:Hashtag) WHERE h.name IN ring.targets
  RETURN h.name AS target
  UNION
  MATCH (t)-[:MENTIONS]->(m:Account) WHERE m.userid IN ring.targets
  RETURN m.userid AS target
  UNION
  MATCH (t)-[:HAS_HASHTAG]->(h:Hashtag)
  WITH ring, h.name AS tag ORDER BY tag
  WITH ring, collect(tag) AS tags WHERE size(tags) >= 2
  WITH ring, reduce(s = '', x IN tags | s + '#' + x) AS sequence
  WHERE sequence IN ring.targets
  RETURN sequence AS target
  UNION
  WITH t WHERE t.text_hash IN ring.targets
  RETURN t.text_hash AS target
}
RETURN ring.ring_id AS ring_id, target, a.userid AS userid, a.screen_name AS screen_name,
       t.tweetid AS tweetid, t.created_at AS created_at, t.text AS text
ORDER BY ring_id, target, created_at, tweetid
"""

# What a target tweet said and who wrote it (the original of a co-retweet, say).
TARGET_TWEETS: Final[LiteralString] = """
UNWIND $tweet_ids AS tweetid
MATCH (o:Tweet {tweetid: tweetid})
OPTIONAL MATCH (author:Account)-[:POSTED]->(o)
RETURN o.tweetid AS tweetid, o.text AS text, o.created_at AS created_at,
       author.screen_name AS screen_name, author.userid AS userid
"""
