"""Benchmark: `infoops detect co-retweet` end to end (read-out from Neo4j, pairs, rings,
write-back) against coordination-network-toolkit's `compute co_retweet` on the same data.

    NEO4J_URI=bolt://127.0.0.1:7703 NEO4J_PASSWORD=... \\
        .venv/bin/python benchmarks/detect.py --tweets 2500000 --retweets 300000 --wipe

Data (seeded): `--accounts` accounts post `--tweets` tweets over `--days` days, of which
`--retweets` are retweets of earlier tweets with heavy-tailed popularity, plus a few viral
supernodes (`--viral` tweets retweeted `--viral-size` times each, 60% in the first hour),
plus a 30-account ring retweeting 40 tweets within 30 s. Tweet ids are snowflakes.

The graph is written straight with UNWIND batches (the loader is benchmarked in load.py);
the detection runs in a child process so its peak RSS is its own. cnt gets its 8-column CSV
(timestamp = snowflake time in seconds, ms fraction kept) and runs with the same window,
minimum weight and 2 cpus; only its `compute` step is timed (as the reference 9.7 s for 282k
retweets was). Both edge sets are compared at the end (cnt's directed rows, self-loops
dropped, folded to unordered pairs).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from cnt_driver import compute_network

from toolkit.db.connect import Graph
from toolkit.db.schema import apply_schema
from toolkit.db.settings import Settings
from toolkit.sources.normalize import TWITTER_EPOCH_MS

ACCOUNTS = """UNWIND $rows AS u CREATE (:Account {userid: u})"""
TWEETS = """
UNWIND $rows AS r
MATCH (a:Account {userid: r[0]})
CREATE (a)-[:POSTED]->(:Tweet {tweetid: r[1], created_at: datetime({epochMillis: r[2]}),
                               time_source: 'snowflake', is_retweet: r[3], dataset: 'bench'})
"""
RETWEETS = """
UNWIND $rows AS r
MATCH (t:Tweet {tweetid: r[0]}) MATCH (o:Tweet {tweetid: r[1]})
CREATE (t)-[:RETWEET_OF]->(o)
"""


def generate(args: argparse.Namespace) -> dict[str, np.ndarray]:
    """Columns of the tweets: user, ms, id (snowflake), rt (is retweet), tgt (row index of
    the retweeted tweet, -1 for originals). An account retweets a tweet at most once."""
    rng = np.random.default_rng(args.seed)
    t0 = 1_560_000_000_000
    ring_n, viral_n = 30 * 40, args.viral * args.viral_size
    base = args.tweets - ring_n - viral_n
    organic_rt = args.retweets - ring_n - viral_n
    activity = rng.lognormal(0, 1.5, args.accounts)
    user = [rng.choice(args.accounts, base, p=activity / activity.sum())]
    ms = [np.sort(t0 + rng.integers(0, args.days * 86_400_000, base))]
    tgt = np.full(base, -1, dtype=np.int64)
    # organic retweets of Zipf-popular tweets from the first half (earlier tweets)
    pool = rng.choice(base // 2, 20_000, replace=False)
    rt_rows = rng.choice(np.arange(base // 2, base), organic_rt, replace=False)
    tgt[rt_rows] = pool[(rng.zipf(1.3, organic_rt) - 1) % len(pool)]
    for _ in range(20):  # re-draw repeats: an account retweets a tweet at most once
        dup = np.flatnonzero(pd.DataFrame({"u": user[0], "t": tgt}).duplicated().to_numpy()
                             & (tgt >= 0))
        if not len(dup):
            break
        tgt[dup] = pool[rng.integers(0, len(pool), len(dup))]
    tgts = [tgt]
    for orig in rng.choice(base // 2, args.viral, replace=False):  # viral supernodes
        fast = rng.random(args.viral_size) < 0.6
        delay = np.where(fast, rng.exponential(600_000, args.viral_size),
                         rng.exponential(6 * 3_600_000, args.viral_size))
        user.append(rng.integers(0, args.accounts, args.viral_size))
        ms.append(ms[0][orig] + 1000 + delay.astype(np.int64))
        tgts.append(np.full(args.viral_size, orig))
    ring = rng.choice(args.accounts, 30, replace=False)
    for orig in rng.choice(base // 2, 40, replace=False):  # a planted ring
        user.append(ring)
        ms.append(ms[0][orig] + 60_000 + rng.integers(0, 30_000, 30))
        tgts.append(np.full(30, orig))
    u, m, t = np.concatenate(user), np.concatenate(ms), np.concatenate(tgts)
    dup = (t >= 0) & pd.DataFrame({"u": u, "t": t}).duplicated().to_numpy()
    t[dup] = -1  # a second retweet of the same tweet by the same account: an original
    ids = ((m - TWITTER_EPOCH_MS) << 22) | (np.arange(len(m)) % 4096)
    return {"user": u, "ms": m, "id": ids, "rt": t >= 0, "tgt": t, "ring": ring}


def write_graph(graph: Graph, d: dict[str, np.ndarray], batch: int = 20_000) -> float:
    began = time.perf_counter()
    apply_schema(graph)
    users = [f"u{u}" for u in np.unique(d["user"])]
    for k in range(0, len(users), batch):
        graph.write(ACCOUNTS, rows=users[k:k + batch])
    rows = list(zip([f"u{u}" for u in d["user"]], map(str, d["id"]), d["ms"].tolist(),
                    d["rt"].tolist(), strict=True))
    for k in range(0, len(rows), batch):
        graph.write(TWEETS, rows=rows[k:k + batch])
        print(f"\r  tweets {min(k + batch, len(rows)):,}/{len(rows):,}", end="",
              file=sys.stderr)
    print(file=sys.stderr)
    rt = np.flatnonzero(d["rt"])
    pairs = list(zip(map(str, d["id"][rt]), map(str, d["id"][d["tgt"][rt]]), strict=True))
    for k in range(0, len(pairs), batch):
        graph.write(RETWEETS, rows=pairs[k:k + batch])
    return time.perf_counter() - began


def write_cnt_csv(d: dict[str, np.ndarray], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message",
                    "timestamp", "urls"])
        tgt_id = d["id"][np.maximum(d["tgt"], 0)]
        for u, i, m, rt, t in zip(d["user"], d["id"], d["ms"], d["rt"], tgt_id, strict=True):
            w.writerow([i, f"u{u}", f"u{u}", t if rt else "", "", "text", f"{m / 1000:.3f}",
                        ""])


def run_detect(window: int, min_weight: int) -> None:
    """Child process: one detection run; prints timings, counts and peak RSS as JSON."""
    from toolkit.detect.events import Kind
    from toolkit.detect.runs import DetectParams, detect
    began = time.perf_counter()
    with Graph(Settings.resolve()) as graph:
        result = detect(graph, DetectParams(Kind.CO_RETWEET, window_s=window,
                                            min_weight=min_weight, null_reps=0))
    edges = sorted(zip(result.edges["a"], result.edges["b"], result.edges["weight"].tolist(),
                       strict=True))
    print(json.dumps({"seconds": time.perf_counter() - began, "parts": result.seconds,
                      "events": result.events, "edges": edges, "rings": len(result.rings),
                      "run_id": result.run_id,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tweets", type=int, default=2_500_000)
    ap.add_argument("--retweets", type=int, default=300_000)
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--viral", type=int, default=3)
    ap.add_argument("--viral-size", type=int, default=30_000)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-weight", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wipe", action="store_true", help="empty the database first")
    ap.add_argument("--skip-setup", action="store_true", help="reuse the graph already there")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_detect(args.window, args.min_weight)
        return
    d = generate(args)
    print(f"data: {len(d['ms']):,} tweets, {int(d['rt'].sum()):,} retweets, "
          f"{args.viral} viral tweets x {args.viral_size:,}", file=sys.stderr)
    with Graph(Settings.resolve()) as graph:
        if not args.skip_setup:
            n = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            if n and not args.wipe:
                sys.exit(f"the database holds {n:,} nodes; pass --wipe to empty it")
            with graph.driver.session(database=graph.database) as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS"
                      ).consume()
            print(f"graph written in {write_graph(graph, d):.0f} s", file=sys.stderr)
    child = subprocess.run([sys.executable, __file__, "--child", "--window", str(args.window),
                            "--min-weight", str(args.min_weight)],
                           capture_output=True, text=True, check=True)
    ours = json.loads(child.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        src, db = Path(tmp) / "cnt.csv", Path(tmp) / "cnt.db"
        write_cnt_csv(d, src)
        _, cnt_s, rows = compute_network(db, src, "co_retweet", "--time_window",
                                         str(args.window), "--min_edge_weight",
                                         str(args.min_weight), "--n_cpus", "2")
    theirs = sorted((a, b, w) for a, b, w in rows if a < b)
    ours_edges = [tuple(e) for e in ours["edges"]]
    same = theirs == ours_edges
    print(json.dumps({
        "retweet_events": ours["events"], "edges": len(ours_edges), "rings": ours["rings"],
        "infoops_seconds_end_to_end": round(ours["seconds"], 2),
        "infoops_parts": {k: round(v, 2) for k, v in ours["parts"].items()},
        "infoops_peak_rss_mb": round(ours["peak_rss_mb"]),
        "cnt_compute_seconds": round(cnt_s, 2), "cnt_edges": len(theirs),
        "identical_edges": same, "speedup": round(cnt_s / ours["seconds"], 2),
    }, indent=1))


if __name__ == "__main__":
    main()
