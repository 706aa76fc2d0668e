"""Benchmark: `infoops detect` end to end (read-out from Neo4j, pairs, rings, null model,
write-back) against coordination-network-toolkit's `compute co_retweet` on the same events.

    NEO4J_URI=bolt://127.0.0.1:7703 NEO4J_PASSWORD=... \\
        .venv/bin/python benchmarks/detect.py --tweets 2500000 --retweets 300000 --wipe
    NEO4J_URI=... .venv/bin/python benchmarks/detect.py --release   # a loaded sample release

Data, synthetic (the default; seeded): `--accounts` accounts post `--tweets` tweets over
`--days` days, of which `--retweets` are retweets of earlier tweets with heavy-tailed
popularity, plus a few viral supernodes (`--viral` tweets retweeted `--viral-size` times
each, 60% in the first hour), plus a 30-account ring retweeting 40 tweets within 30 s. Tweet
ids are snowflakes. The graph is written straight with UNWIND batches (the loader is
benchmarked in load.py). With `--release` the graph is whatever is loaded (a generated
release: `infoops sample generate --accounts 50000 --out R`, `infoops load --bulk R/*.csv`)
and co-hashtag with a 15-minute window is measured too.

Runs, each in a child process so its peak RSS and CPU are its own (the null model's worker
processes included): co-retweet without a null model and `--weighting count` (cnt's
network: the edge sets are compared), co-retweet with the default significance test, and
on a release co-hashtag `--window 900` with every default, plus the edges counting would
have found there (`--weighting count`, no null model). cnt gets its 8-column CSV of the
same co-retweet events (timestamp = snowflake time in seconds, ms fraction kept) and runs
with the same window, minimum weight and 2 cpus; only its `compute` step is timed. Wall
seconds and CPU seconds are both reported: on a shared machine the CPU is what a run costs.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

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


def run_detect(kind: str, window: int, min_weight: float, null_reps: int, weighting: str,
               events_out: str | None) -> None:
    """Child process: one detection run; prints timings, counts and peak RSS as JSON (and
    writes the events it read to `events_out`, for cnt's CSV)."""
    from toolkit.detect.events import Kind, read_events
    from toolkit.detect.runs import DetectParams, detect
    began, cpu0 = time.perf_counter(), _cpu()
    params = DetectParams(Kind(kind), window_s=window, min_weight=min_weight,
                          null_reps=null_reps, weighting=weighting)
    with Graph(Settings.resolve()) as graph:
        result = detect(graph, params)
        if events_out:
            read_events(graph, Kind(kind)).to_parquet(events_out)
    seconds, cpu = time.perf_counter() - began, _cpu() - cpu0
    edges = sorted(zip(result.edges["a"], result.edges["b"], result.edges["weight"].tolist(),
                       strict=True))
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "parts": result.seconds,
                      "events": result.events, "edges": edges if weighting == "count" else [],
                      "edges_found": len(result.edges),
                      "edges_written": int(result.selection.edges.sum()),
                      "rings_found": len(result.rings),
                      "rings_written": int(result.selection.rings.sum()),
                      "largest_ring_written": int(result.rings["size"][
                          result.selection.rings].max()) if result.selection.rings.any() else 0,
                      "null": result.null, "run_id": result.run_id,
                      "hyperactive": len(result.hyperactive),
                      "peak_rss_mb": max(resource.getrusage(who).ru_maxrss for who in (
                          resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024}))


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the null model's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(kind: str, window: int, min_weight: float, null_reps: int, weighting: str,
          events_out: Path | None = None) -> dict:
    args = [sys.executable, __file__, "--child", kind, "--window", str(window),
            "--min-weight", str(min_weight), "--null-reps", str(null_reps),
            "--weighting", weighting]
    if events_out:
        args += ["--events-out", str(events_out)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def cnt_csv_from_events(events: pd.DataFrame, path: Path) -> None:
    """cnt's 8-column CSV of co-retweet events: the retweet, its author, the retweeted id."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message",
                    "timestamp", "urls"])
        for r in events.itertuples(index=False):
            w.writerow([r.tweetid, r.account, r.account, r.target, "", "text",
                        f"{r.time_ms / 1000:.3f}", ""])


def run_cnt(src: Path, window: int, min_weight: float) -> tuple[float, float, list]:
    """cnt's compute co_retweet on `src`: wall and CPU seconds, its undirected edges."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cnt.db"
        cnt = str(Path(sys.executable).with_name("compute_networks"))
        subprocess.run([cnt, str(db), "preprocess", "--format", "csv", str(src)], check=True,
                       capture_output=True)
        began, cpu0 = time.perf_counter(), _cpu()
        subprocess.run([cnt, str(db), "compute", "co_retweet", "--time_window", str(window),
                        "--min_edge_weight", str(int(min_weight)), "--n_cpus", "2"],
                       check=True, capture_output=True)
        wall, cpu = time.perf_counter() - began, _cpu() - cpu0
        with sqlite3.connect(db) as con:
            rows = con.execute("select user_1, user_2, weight from co_retweet_network "
                               "where user_1 < user_2").fetchall()
    return wall, cpu, sorted((a, b, w) for a, b, w in rows)


def _brief(run: dict) -> dict:
    return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in run.items()
            if k not in ("edges", "parts")} | {
        "parts": {k: round(v, 2) for k, v in run["parts"].items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tweets", type=int, default=2_500_000)
    ap.add_argument("--retweets", type=int, default=300_000)
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--viral", type=int, default=3)
    ap.add_argument("--viral-size", type=int, default=30_000)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-weight", type=float, default=3)
    ap.add_argument("--null-reps", type=int, default=100)
    ap.add_argument("--weighting", default="idf", help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wipe", action="store_true", help="empty the database first")
    ap.add_argument("--skip-setup", action="store_true", help="reuse the graph already there")
    ap.add_argument("--release", action="store_true",
                    help="measure the release loaded in the database (no synthetic data)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--events-out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_detect(args.child, args.window, args.min_weight, args.null_reps, args.weighting,
                   args.events_out)
        return
    if not args.release:
        setup_synthetic(args)
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.parquet"
        plain = child("co-retweet", args.window, args.min_weight, 0, "count", events)
        significant = child("co-retweet", args.window, args.min_weight, args.null_reps, "idf")
        src = Path(tmp) / "cnt.csv"
        cnt_csv_from_events(pd.read_parquet(events), src)
        cnt_s, cnt_cpu, theirs = run_cnt(src, args.window, args.min_weight)
    ours = [tuple(e) for e in plain["edges"]]
    report["co-retweet"] = {
        "retweet_events": plain["events"], "cnt_edges": len(theirs),
        "identical_edges": theirs == ours, "cnt_compute_seconds": round(cnt_s, 2),
        "cnt_compute_cpu_seconds": round(cnt_cpu, 2),
        "without_null_model": _brief(plain), "with_significance": _brief(significant),
        "null_free_vs_cnt": round(plain["seconds"] / cnt_s, 2),
        "with_significance_vs_cnt": round(significant["seconds"] / cnt_s, 2),
        "with_significance_vs_cnt_cpu": round(significant["cpu_seconds"] / cnt_cpu, 2),
    }
    if args.release:
        counted = child("co-hashtag", 900, args.min_weight, 0, "count")
        hashtag = child("co-hashtag", 900, args.min_weight, args.null_reps, "idf")
        report["co-hashtag-900"] = {"counted_edges_found": counted["edges_found"],
                                    "counted_rings_found": counted["rings_found"],
                                    "defaults": _brief(hashtag)}
    print(json.dumps(report, indent=1))


def setup_synthetic(args: argparse.Namespace) -> None:
    """Generate the synthetic data and write it as the graph (unless --skip-setup)."""
    d = generate(args)
    print(f"data: {len(d['ms']):,} tweets, {int(d['rt'].sum()):,} retweets, "
          f"{args.viral} viral tweets x {args.viral_size:,}", file=sys.stderr)
    if args.skip_setup:
        return
    with Graph(Settings.resolve()) as graph:
        n = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
        if n and not args.wipe:
            sys.exit(f"the database holds {n:,} nodes; pass --wipe to empty it")
        with graph.driver.session(database=graph.database) as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS"
                  ).consume()
        print(f"graph written in {write_graph(graph, d):.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
