"""The naive loader the fast one is measured against: one auto-commit transaction per
record, each MERGEing the tweet, its author and its links row by row (the pattern of most
tutorials). Same readers, same graph; only the write strategy differs.

    python benchmarks/naive_load.py FILE [--rows 5000]   (prints rows/s as JSON)
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path
from typing import LiteralString

from toolkit.db.connect import Graph
from toolkit.db.schema import apply_schema
from toolkit.db.settings import Settings
from toolkit.load.batches import text_hash
from toolkit.sources import Account, Tweet, iter_records, plan_inputs

TWEET: LiteralString = """
MERGE (t:Tweet {tweetid: $tweetid})
SET t += $props, t.dataset = coalesce(t.dataset, 'naive')
MERGE (a:Account {userid: $userid})
MERGE (a)-[:POSTED]->(t)
FOREACH (c IN $client | MERGE (x:Client {name: c}) MERGE (t)-[:POSTED_VIA]->(x))
FOREACH (h IN $hashtags | MERGE (x:Hashtag {name: h[0]}) ON CREATE SET x.display = h[1]
                          MERGE (t)-[:HAS_HASHTAG]->(x))
FOREACH (u IN $urls | MERGE (x:Url {url: u[0]}) ON CREATE SET x.raw = u[1]
                      MERGE (t)-[:LINKS_TO]->(x))
FOREACH (m IN $mentions | MERGE (x:Account {userid: m}) MERGE (t)-[:MENTIONS]->(x))
FOREACH (r IN $retweet_of | MERGE (x:Tweet {tweetid: r}) MERGE (t)-[:RETWEET_OF]->(x))
FOREACH (r IN $reply_to | MERGE (x:Tweet {tweetid: r}) MERGE (t)-[:REPLY_TO]->(x))
FOREACH (r IN $quotes | MERGE (x:Tweet {tweetid: r}) MERGE (t)-[:QUOTES]->(x))
"""
ACCOUNT: LiteralString = "MERGE (a:Account {userid: $userid}) SET a += $props"


def naive_load(graph: Graph, path: Path, rows: int) -> dict[str, float]:
    """Load the first `rows` records of `path` one auto-commit transaction each."""
    apply_schema(graph)
    started = time.monotonic()
    done = 0
    with graph.driver.session(database=graph.database) as session:
        for record in itertools.islice(iter_records(plan_inputs([path])), rows):
            if isinstance(record, Tweet):
                props = {"text": record.text, "created_at": record.created_at,
                         "is_retweet": record.is_retweet, "language": record.language,
                         "text_hash": None if record.is_retweet else text_hash(record.text)}
                session.run(TWEET, tweetid=record.tweetid, userid=record.userid,
                            props={k: v for k, v in props.items() if v is not None},
                            client=[record.client] if record.client else [],
                            hashtags=[list(h) for h in record.hashtags],
                            urls=[[u.url, u.raw] for u in record.links],
                            mentions=record.mentions,
                            retweet_of=[record.retweet_of] if record.retweet_of else [],
                            reply_to=[record.reply_to] if record.reply_to else [],
                            quotes=[record.quotes] if record.quotes else []).consume()
            elif isinstance(record, Account):
                props = {"screen_name": record.screen_name, "followers": record.followers}
                session.run(ACCOUNT, userid=record.userid,
                            props={k: v for k, v in props.items() if v is not None}).consume()
            done += 1
    seconds = time.monotonic() - started
    return {"records": done, "seconds": seconds, "records_per_s": done / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with Graph(Settings.resolve()) as graph:
        print(json.dumps(naive_load(graph, args.file, args.rows)))


if __name__ == "__main__":
    main()
