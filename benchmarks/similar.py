"""Benchmark: `infoops detect co-similar-tweet` end to end on a ~1M-tweet generated release
that holds the Chinese-language operation, against coordination-network-toolkit's
`compute co_similar_tweet` on the same rows.

    INFOOPS_NEO4J_HOME=... NEO4J_URI=bolt://127.0.0.1:7711 NEO4J_PASSWORD=... \\
        .venv/bin/python benchmarks/similar.py --load

Data: one world of the sample generator (`--accounts` accounts over 30 days: 50,000 give
~1M rows, with all eight planted operations and the decoys), generated once into
`--data-dir`. `--load` replaces the local server's database with it through the bulk
loader (`infoops load --bulk --force`); without it the graph already there is used.

Ours: `detect` (events read out of Neo4j, normalization, tokens, MinHash/LSH groups, pairs,
rings, write-back) in a child process, so its peak RSS is its own; window 60 s, minimum
weight 3, similarity 0.8, the null model off (cnt has none), then once more with the null
model (`--null-reps`) for the rings' p-values. cnt: its 8-column CSV of the same rows
(message = tweet text as posted, timestamp = snowflake ms, retweets carry repost_id) with
`--time_window 60000`, the same minimum weight and similarity and 2 cpus; its preprocess
and compute steps are timed apart. Both networks are clustered into rings the same way
(Leiden, `toolkit.detect.rings`) and scored against the Chinese operation's members.
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
from typing import Any

import numpy as np
import pandas as pd
from cnt_driver import compute_network

from toolkit.db.server import LocalServer
from toolkit.db.settings import Settings
from toolkit.sources.normalize import TWITTER_EPOCH_MS

HERE = Path(__file__).resolve().parent
DATASET = "similar"
OPS = ("copy-paste-zh", "copy-paste")


def sample(data_dir: Path, accounts: int) -> Path:
    """The world's directory (generated once)."""
    from toolkit.sample import SampleParams, generate

    out = data_dir / f"{DATASET}{accounts}"
    if not (out / "ground_truth.json").exists():
        generate(out, SampleParams(accounts=accounts, days=30, name=DATASET))
    return out


def load(out: Path) -> dict[str, Any]:
    from toolkit.load.bulk import bulk_load

    began = time.perf_counter()
    result = bulk_load(LocalServer(), Settings.resolve(), sorted(out.glob("*.csv")),
                       dataset=DATASET, force=True)
    return {"seconds": round(time.perf_counter() - began, 1), "rows": result.summary.rows,
            "phases": {k: round(v, 1) for k, v in result.phases.items()}}


def truth(out: Path) -> dict[str, set[str]]:
    gt = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    return {o["kind"]: set(o["members"]) for o in gt["operations"]}


def score(members: pd.DataFrame, rings: pd.DataFrame, want: set[str]) -> dict[str, Any]:
    from toolkit.demo import best_ring

    s = best_ring(members, rings, want)
    return {"ring_size": s.size, "precision": round(float(s.precision), 3),
            "recall": round(float(s.recall), 3), "p_value": s.p_value}


def run_child(window: int, min_weight: int, similarity: float, null_reps: int) -> None:
    """Child process: one detection run; prints timings, rings and peak RSS as JSON."""
    from toolkit.db.connect import Graph
    from toolkit.detect.events import Kind
    from toolkit.detect.runs import DetectParams, detect

    began = time.perf_counter()
    with Graph(Settings.resolve()) as graph:
        result = detect(graph, DetectParams(Kind.CO_SIMILAR_TWEET, window_s=window,
                                            min_weight=min_weight, similarity=similarity,
                                            null_reps=null_reps, dataset=DATASET))
    print(json.dumps({
        "seconds": time.perf_counter() - began, "parts": result.seconds,
        "events": result.events, "edges": len(result.edges), "rings": len(result.rings),
        "members": result.members.to_dict(orient="list"),
        "ring_stats": result.rings[["ring", "size", "p_value"]].to_dict(orient="list"),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def ours(args: argparse.Namespace, null_reps: int) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, "--child", "--window", str(args.window), "--min-weight",
         str(args.min_weight), "--similarity", str(args.similarity), "--null-reps",
         str(null_reps)], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.splitlines()[-1])


def write_cnt_csv(out: Path, path: Path) -> int:
    """cnt's 8 columns from the release's tweets file; returns the rows written."""
    tweets = pd.read_csv(next(out.glob("*_tweets_csv_hashed.csv")), dtype=str,
                         keep_default_na=False)
    ms = (tweets["tweetid"].astype(np.int64).to_numpy() >> 22) + TWITTER_EPOCH_MS
    retweet = tweets["is_retweet"] == "true"
    urls = tweets["urls"].str.strip("[]").str.replace("'", "").str.replace(", ", " ")
    frame = pd.DataFrame({
        "message_id": tweets["tweetid"], "user_id": tweets["userid"],
        "username": tweets["user_screen_name"],
        "repost_id": tweets["retweet_tweetid"].where(retweet, ""),
        "reply_id": tweets["in_reply_to_tweetid"], "message": tweets["tweet_text"],
        "timestamp": ms, "urls": urls})
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return len(frame)


def cnt(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    from toolkit.detect.rings import find_rings

    with tempfile.TemporaryDirectory(dir=args.data_dir) as tmp:
        src, db = Path(tmp) / "cnt.csv", Path(tmp) / "cnt.db"
        rows = write_cnt_csv(out, src)
        preprocess_s, compute_s, directed = compute_network(
            db, src, "co_similar_tweet", "--time_window", str(args.window * 1000),
            "--min_edge_weight", str(args.min_weight), "--similarity_threshold",
            str(args.similarity), "--n_cpus", "2")
    pairs: dict[tuple[str, str], int] = {}
    for a, b, w in directed:  # folded to unordered pairs, the larger direction's weight
        key = (min(a, b), max(a, b))
        pairs[key] = max(pairs.get(key, 0), int(w))
    edges = pd.DataFrame([(a, b, w) for (a, b), w in pairs.items()],
                         columns=["a", "b", "weight"])
    members, rings = find_rings(edges)
    return {"rows": rows, "preprocess_seconds": round(preprocess_s, 1),
            "compute_seconds": round(compute_s, 1), "edges": len(edges), "rings": len(rings),
            "members": members, "rings_frame": rings}


def normalizer_cost(out: Path, rows: int = 200_000) -> dict[str, Any]:
    """CPU microseconds per text of `normalize_text` (and of cnt's own lower-casing and
    mention stripping, for scale) on the release's first `rows` original tweets, by kind of text:
    ASCII, with a Han character, other scripts."""
    from coordination_network_toolkit.similarity import message_preprocessor

    from toolkit.sources.text import normalize_text

    tweets = pd.read_csv(next(out.glob("*_tweets_csv_hashed.csv")), dtype=str,
                         keep_default_na=False, nrows=rows * 2)
    texts = tweets.loc[tweets["is_retweet"] == "false", "tweet_text"].head(rows).tolist()
    han = [any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts]
    groups = {"ascii": [t for t in texts if t.isascii()],
              "han": [t for t, h in zip(texts, han, strict=True) if h],
              "other": [t for t, h in zip(texts, han, strict=True) if not h and not t.isascii()]}
    cost: dict[str, Any] = {}
    for name, group in groups.items():
        for label, fn in (("infoops", normalize_text), ("cnt", message_preprocessor)):
            began = time.process_time()  # CPU time: the machine is shared
            for text in group:
                fn(text)
            cost[f"{name}_{label}_us"] = round((time.process_time() - began) / max(len(group), 1)
                                               * 1e6, 2)
        cost[f"{name}_texts"] = len(group)
    return cost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accounts", type=int, default=50_000)
    ap.add_argument("--data-dir", type=Path, default=HERE.parent / ".scratch" / "bench")
    ap.add_argument("--load", action="store_true", help="replace the database with the data")
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--min-weight", type=int, default=3)
    ap.add_argument("--similarity", type=float, default=0.8)
    ap.add_argument("--null-reps", type=int, default=100)
    ap.add_argument("--skip-cnt", action="store_true")
    ap.add_argument("--normalizer", action="store_true",
                    help="only time the text normalizer on the release's texts")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_child(args.window, args.min_weight, args.similarity, args.null_reps)
        return
    args.data_dir.mkdir(parents=True, exist_ok=True)
    out = sample(args.data_dir, args.accounts)
    if args.normalizer:
        print(json.dumps(normalizer_cost(out), indent=1))
        return
    report: dict[str, Any] = {"data": str(out)}
    if args.load:
        report["load"] = load(out)
    planted = truth(out)
    mine = ours(args, 0)
    found = (pd.DataFrame(mine["members"]), pd.DataFrame(mine["ring_stats"]))
    report["infoops"] = {
        "events": mine["events"], "edges": mine["edges"], "rings": mine["rings"],
        "seconds_end_to_end": round(mine["seconds"], 1),
        "parts": {k: round(v, 1) for k, v in mine["parts"].items()},
        "peak_rss_mb": round(mine["peak_rss_mb"]),
        **{op: score(*found, planted[op]) for op in OPS}}
    if args.null_reps:
        tested = ours(args, args.null_reps)
        found = (pd.DataFrame(tested["members"]), pd.DataFrame(tested["ring_stats"]))
        report["infoops_with_null"] = {
            "null_reps": args.null_reps, "seconds_end_to_end": round(tested["seconds"], 1),
            "parts": {k: round(v, 1) for k, v in tested["parts"].items()},
            "peak_rss_mb": round(tested["peak_rss_mb"]),
            **{op: score(*found, planted[op]) for op in OPS}}
    if not args.skip_cnt:
        theirs = cnt(args, out)
        members, rings = theirs.pop("members"), theirs.pop("rings_frame")
        report["cnt"] = {**theirs, **{op: score(members, rings.assign(p_value=np.nan),
                                                planted[op]) for op in OPS}}
        report["speedup_vs_cnt_compute"] = round(
            theirs["compute_seconds"] / report["infoops"]["seconds_end_to_end"], 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
