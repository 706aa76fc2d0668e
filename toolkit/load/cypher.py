"""The loader's Cypher: one named constant per write, each batched with `UNWIND $rows`.

Every write MERGEs on a constrained key (see cypher/schema.cypher), so re-running any of
them changes nothing. Node queries come first, relationship queries MATCH both ends by key
and MERGE the relationship (the ends exist: the node step of the same batch made them).
Relationship rows are `[from_key, to_key]` pairs: lists encode faster than maps.

Property rules (also tested in tests/test_load.py):
- Account and Tweet properties: `SET p = coalesce(row.p, p)`, so a None (not known here)
  never overwrites, and of conflicting values the last loaded wins, across batches as
  within one (the batch keeps the last non-None value per key). Not `SET += map`: a
  dynamic map makes the planner add an `Eager` (it cannot tell the key is not written).
- `Tweet.dataset` is the first dataset that loaded the tweet (`coalesce`).
- `PROFILE_LINKS_TO` keeps every profile URL an account was loaded with (a profile that
  changed between snapshots links to both), while `Account.profile_url` holds the last:
  relationships accumulate, within a batch as across batches, so batch boundaries (and
  where a crashed load stopped) never change the graph.
- `Account.caption` (what Browser and the queries show) is the screen name the account
  ends up with, else the short form of its id (`batches.account_caption`), worked out
  from the row and the stored name in the same SET (a second SET reading the name just
  written plans an `Eager`); a bare key gets the short form when created.
- `Hashtag.display`, `Url.raw`, `Url.is_shortener` are set when the node is created: the
  first spelling seen stays, so loading another dataset never rewrites them.
"""

from __future__ import annotations

from typing import Final, LiteralString

# -- nodes ------------------------------------------------------------------------------
MERGE_DATASET: Final[LiteralString] = """
OPTIONAL MATCH (existing:Dataset {name: $name})
WITH existing IS NULL AS created
MERGE (d:Dataset {name: $name})
ON CREATE SET d.loaded_at = datetime()
SET d.format = $format, d.files = $files
RETURN created
"""

FINISH_DATASET: Final[LiteralString] = """
MATCH (d:Dataset {name: $name})
WITH d, COUNT { (d)<-[:IN_DATASET]-(:Account) } AS accounts
SET d.rows = $rows, d.rejected = $rejected, d.tweets = $tweets, d.accounts = accounts
RETURN accounts
"""

MERGE_ACCOUNTS: Final[LiteralString] = """
UNWIND $rows AS row
MERGE (a:Account {userid: row.userid})
SET a.screen_name = coalesce(row.screen_name, a.screen_name),
    a.display_name = coalesce(row.display_name, a.display_name),
    a.description = coalesce(row.description, a.description),
    a.location = coalesce(row.location, a.location),
    a.profile_url = coalesce(row.profile_url, a.profile_url),
    a.followers = coalesce(row.followers, a.followers),
    a.following = coalesce(row.following, a.following),
    a.created_at = coalesce(row.created_at, a.created_at),
    a.language = coalesce(row.language, a.language),
    a.hashed = coalesce(row.hashed, a.hashed),
    a.caption = CASE WHEN row.screen_name <> '' THEN row.screen_name
                     WHEN row.screen_name IS NULL AND a.screen_name <> '' THEN a.screen_name
                     ELSE row.short END
"""

MERGE_ACCOUNT_KEYS: Final[LiteralString] = """
UNWIND $rows AS row
MERGE (a:Account {userid: row[0]})
ON CREATE SET a.caption = row[1]
"""

LABEL_DISCLOSED: Final[LiteralString] = """
UNWIND $rows AS userid
MATCH (a:Account {userid: userid})
SET a:Disclosed
"""

MERGE_TWEETS: Final[LiteralString] = """
UNWIND $rows AS row
MERGE (t:Tweet {tweetid: row.tweetid})
SET t.text = coalesce(row.text, t.text),
    t.created_at = CASE WHEN row.ms IS NULL THEN t.created_at
                        ELSE datetime({epochMillis: row.ms}) END,
    t.time_source = coalesce(row.time_source, t.time_source),
    t.language = coalesce(row.language, t.language),
    t.is_retweet = coalesce(row.is_retweet, t.is_retweet),
    t.like_count = coalesce(row.like_count, t.like_count),
    t.retweet_count = coalesce(row.retweet_count, t.retweet_count),
    t.reply_count = coalesce(row.reply_count, t.reply_count),
    t.quote_count = coalesce(row.quote_count, t.quote_count),
    t.text_hash = coalesce(row.text_hash, t.text_hash),
    t.dataset = coalesce(t.dataset, $dataset)
"""

MERGE_TWEET_KEYS: Final[LiteralString] = """
UNWIND $rows AS tweetid
MERGE (:Tweet {tweetid: tweetid})
"""

MERGE_HASHTAGS: Final[LiteralString] = """
UNWIND $rows AS row
MERGE (h:Hashtag {name: row[0]})
ON CREATE SET h.display = row[1]
"""

MERGE_URLS: Final[LiteralString] = """
UNWIND $rows AS row
MERGE (u:Url {url: row[0]})
ON CREATE SET u.raw = row[1], u.is_shortener = row[2]
"""

MERGE_DOMAINS: Final[LiteralString] = """
UNWIND $rows AS name
MERGE (:Domain {name: name})
"""

MERGE_CLIENTS: Final[LiteralString] = """
UNWIND $rows AS name
MERGE (:Client {name: name})
"""

# -- relationships ----------------------------------------------------------------------
POSTED: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Account {userid: row[0]})
MATCH (t:Tweet {tweetid: row[1]})
MERGE (a)-[:POSTED]->(t)
"""

RETWEET_OF: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (o:Tweet {tweetid: row[1]})
MERGE (t)-[:RETWEET_OF]->(o)
"""

REPLY_TO: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (o:Tweet {tweetid: row[1]})
MERGE (t)-[:REPLY_TO]->(o)
"""

QUOTES: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (o:Tweet {tweetid: row[1]})
MERGE (t)-[:QUOTES]->(o)
"""

MENTIONS: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (a:Account {userid: row[1]})
MERGE (t)-[:MENTIONS]->(a)
"""

HAS_HASHTAG: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (h:Hashtag {name: row[1]})
MERGE (t)-[:HAS_HASHTAG]->(h)
"""

LINKS_TO: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (u:Url {url: row[1]})
MERGE (t)-[:LINKS_TO]->(u)
"""

ON_DOMAIN: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (u:Url {url: row[0]})
MATCH (d:Domain {name: row[1]})
MERGE (u)-[:ON_DOMAIN]->(d)
"""

POSTED_VIA: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (t:Tweet {tweetid: row[0]})
MATCH (c:Client {name: row[1]})
MERGE (t)-[:POSTED_VIA]->(c)
"""

PROFILE_LINKS_TO: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Account {userid: row[0]})
MATCH (u:Url {url: row[1]})
MERGE (a)-[:PROFILE_LINKS_TO]->(u)
"""

IN_DATASET: Final[LiteralString] = """
MATCH (d:Dataset {name: $dataset})
UNWIND $rows AS userid
MATCH (a:Account {userid: userid})
MERGE (a)-[:IN_DATASET]->(d)
"""
