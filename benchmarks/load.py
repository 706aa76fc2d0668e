"""Load benchmark: a ~1M-row IO-archive tweets file from the sample generator, loaded by
`load_files` in a child process (peak RSS of that process), against the naive per-row
loader on a slice, plus where the time goes: reading, batching, the CPU seconds the loader
and the server (JMX) spend per 100k rows, and the rate of Tweet-node MERGEs alone.

    NEO4J_URI=... NEO4J_PASSWORD=... python benchmarks/load.py [--rows 1000000] --wipe

It empties the database (refuses without --wipe unless it is already empty).
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from toolkit.db.connect import Graph
from toolkit.db.settings import Settings
from toolkit.load import cypher
from toolkit.load.batches import Batch
from toolkit.load.loader import load_files
from toolkit.sample.generate import generate
from toolkit.sample.params import SampleParams
from toolkit.sources import Tweet, iter_records, plan_inputs

HERE = Path(__file__).resolve().parent
TWEETS_PER_ACCOUNT = 20.7  # generator output per account at ~40k accounts (26 at 4k)


def sample_file(data_dir: Path, rows: int) -> Path:
    """The generated tweets file (made once, then reused)."""
    out = data_dir / f"rows_{rows}"
    path = out / "sample_campaign_tweets_csv_hashed.csv"
    if not path.exists():
        generate(out, SampleParams(accounts=max(2000, int(rows / TWEETS_PER_ACCOUNT))))
    return path


def wipe(graph: Graph) -> None:
    """Empty the database; relationships first, so a client app's node with a million
    relationships is not deleted in one transaction (which exceeds the memory pool)."""
    with graph.driver.session(database=graph.database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS"
                    ).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 50000 ROWS"
                    ).consume()


def reading_costs(path: Path, rows: int) -> dict[str, float]:
    """Records/s of the readers alone, and of readers + batching + planning (no server)."""
    started = time.monotonic()
    records = list(itertools.islice(iter_records(plan_inputs([path])), rows))
    read_s = time.monotonic() - started
    started = time.monotonic()
    for start in range(0, len(records), 20_000):
        batch = Batch()
        for record in records[start:start + 20_000]:
            if isinstance(record, Tweet):
                batch.add_tweet(record)
            else:
                batch.add_account(record)  # type: ignore[arg-type]
        batch.steps()
    batch_s = time.monotonic() - started
    return {"records": len(records), "read_per_s": len(records) / read_s,
            "batch_per_s": len(records) / batch_s,
            "read_and_batch_per_s": len(records) / (read_s + batch_s)}


def server_cpu_seconds(graph: Graph) -> float:
    """CPU time the Neo4j server's JVM has used so far (JMX; 10 ms resolution)."""
    return graph.read(
        "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes "
        "RETURN attributes.ProcessCpuTime.value AS ns")[0]["ns"] / 1e9


def tweet_node_ceiling(graph: Graph, path: Path, rows: int = 40_000) -> float:
    """Tweet nodes/s of the loader's own MERGE_TWEETS alone (no relationships, nothing
    else running) on fresh tweets from `path`: a bound no load of this data can beat,
    since every input row makes at least one Tweet node."""
    batch = Batch()
    for record in itertools.islice(iter_records(plan_inputs([path])), rows):
        if isinstance(record, Tweet):
            batch.add_tweet(record)
    tweets = list(batch.tweets.values())
    started = time.monotonic()
    for start in range(0, len(tweets), 20_000):
        graph.write(cypher.MERGE_TWEETS, rows=tweets[start:start + 20_000], dataset="bench")
    return len(tweets) / (time.monotonic() - started)


def child_load(path: Path, batch_rows: int, writers: int) -> None:
    """Run in a child process: load and print the summary as JSON."""
    with Graph(Settings.resolve()) as graph:
        summary = load_files(graph, [path], dataset="bench", rejects_path=Path("/dev/null"),
                             batch_rows=batch_rows, writers=writers)
    print(json.dumps(asdict(summary), default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=5_000)
    parser.add_argument("--read-rows", type=int, default=100_000)
    parser.add_argument("--batch-rows", type=int, default=20_000)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/infoops-bench-load"))
    parser.add_argument("--wipe", action="store_true")
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        child_load(args.child, args.batch_rows, args.writers)
        return
    path = sample_file(args.data_dir, args.rows)
    with Graph(Settings.resolve()) as graph:
        if graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"] and not args.wipe:
            sys.exit("the database is not empty: pass --wipe to let the benchmark empty it")
        wipe(graph)
        costs = reading_costs(path, args.read_rows)
        ceiling = tweet_node_ceiling(graph, path)
        wipe(graph)
        server_cpu = server_cpu_seconds(graph)
        started = time.monotonic()
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--batch-rows",
             str(args.batch_rows), "--writers", str(args.writers)],
            capture_output=True, text=True, check=True)
        wall = time.monotonic() - started
        summary = json.loads(child.stdout)
        server_cpu = server_cpu_seconds(graph) - server_cpu
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb, loader_cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        wipe(graph)
        naive = subprocess.run(
            [sys.executable, str(HERE / "naive_load.py"), str(path), "--rows",
             str(args.naive_rows)], capture_output=True, text=True, check=True)
        naive_rate = json.loads(naive.stdout)["records_per_s"]
        wipe(graph)
    rate = summary["rows"] / summary["seconds"]
    report = {
        "file": str(path), "rows": summary["rows"], "tweets": summary["tweets"],
        "load_seconds": round(summary["seconds"], 1), "wall_seconds": round(wall, 1),
        "rows_per_s": round(rate), "peak_rss_mb": round(peak_mb),
        "naive_records_per_s": round(naive_rate, 1), "ratio_vs_naive": round(rate / naive_rate, 1),
        "read_per_s": round(costs["read_per_s"]), "batch_per_s": round(costs["batch_per_s"]),
        "read_and_batch_per_s": round(costs["read_and_batch_per_s"]),
        "loader_cpu_s_per_100k_rows": round(loader_cpu / summary["rows"] * 1e5, 1),
        "server_cpu_s_per_100k_rows": round(server_cpu / summary["rows"] * 1e5, 1),
        "tweet_nodes_per_s_alone": round(ceiling),
        "nodes": summary["nodes"], "relationships": summary["relationships"],
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
