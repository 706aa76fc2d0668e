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
  One exception: an account with the `Disclosed` label has its profile from a users file,
  and a row that is not from one (`row.users` false: a profile on tweet rows) only fills
  the fields it lacks (`w` false: `coalesce(p, row.p)`), so the users file wins in any
  load order.
- `POSTED`: one author per tweet, that of its first row. Before a batch is written the
  writer reads the authors its tweets already have (`AUTHORS`): a later row naming
  another is refused, a reference's claimed author posts only a tweet nobody has posted,
  and a row for a stub posted by a claim replaces the claim (`UNPOST`, then `POSTED`).
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
RETURN created
"""

DATASET_FILES: Final[LiteralString] = """
MATCH (d:Dataset {name: $name})
RETURN coalesce(d.files, []) AS files, coalesce(d.file_formats, []) AS formats,
       coalesce(d.file_rows, []) AS rows, coalesce(d.file_rejected, []) AS rejected,
       coalesce(d.file_tweets, []) AS tweets,
       [d.format, d.rows, d.rejected, d.tweets] AS totals
"""

FINISH_DATASET: Final[LiteralString] = """
MATCH (d:Dataset {name: $name})
WITH d, COUNT { (d)<-[:IN_DATASET]-(:Account) } AS accounts
SET d.files = $files, d.file_formats = $formats, d.file_rows = $file_rows,
    d.file_rejected = $file_rejected, d.file_tweets = $file_tweets, d.format = $format,
    d.rows = $rows, d.rejected = $rejected, d.tweets = $tweets, d.accounts = accounts
RETURN accounts
"""

DROP_EMPTY_DATASET: Final[LiteralString] = """
MATCH (d:Dataset {name: $name})
WHERE d.files IS NULL AND NOT EXISTS { (d)--() }
DELETE d
"""

MERGE_ACCOUNTS: Final[LiteralString] = """
UNWIND $rows AS r
MERGE (a:Account {userid: r.userid})
WITH a, r, r.users OR NOT a:Disclosed AS w  // w: the row's profile wins
SET a.screen_name = coalesce(CASE WHEN w THEN r.screen_name END, a.screen_name, r.screen_name),
    a.display_name = coalesce(CASE WHEN w THEN r.display_name END, a.display_name, r.display_name),
    a.description = coalesce(CASE WHEN w THEN r.description END, a.description, r.description),
    a.location = coalesce(CASE WHEN w THEN r.location END, a.location, r.location),
    a.profile_url = coalesce(CASE WHEN w THEN r.profile_url END, a.profile_url, r.profile_url),
    a.followers = coalesce(CASE WHEN w THEN r.followers END, a.followers, r.followers),
    a.following = coalesce(CASE WHEN w THEN r.following END, a.following, r.following),
    a.created_at = coalesce(CASE WHEN w THEN r.created_at END, a.created_at, r.created_at),
    a.language = coalesce(CASE WHEN w THEN r.language END, a.language, r.language),
    a.hashed = coalesce(CASE WHEN w THEN r.hashed END, a.hashed, r.hashed),
    // the name just chosen (the same expression: a second clause reading it plans an Eager)
    a.caption = CASE WHEN coalesce(CASE WHEN w THEN r.screen_name END, a.screen_name,
                                   r.screen_name) <> ''
                     THEN coalesce(CASE WHEN w THEN r.screen_name END, a.screen_name,
                                   r.screen_name)
                     ELSE r.short END
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

AUTHORS: Final[LiteralString] = """
UNWIND $rows AS tweetid
MATCH (a:Account)-[:POSTED]->(t:Tweet {tweetid: tweetid})
RETURN tweetid, a.userid AS author, t.time_source IS NULL AS stub
"""

UNPOST: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (:Account {userid: row[0]})-[p:POSTED]->(:Tweet {tweetid: row[1]})
DELETE p
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
