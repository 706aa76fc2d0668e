"""Bulk-import benchmark: ~10M generated IO-archive tweet rows in one file through
`infoops load --bulk`'s code path (`toolkit.load.bulk.bulk_load`: CSV conversion in two
processes, neo4j-admin import, restart, schema) on a throw-away local server of its own,
then a few analysis queries timed on the result, and the online loader on a 1M-row slice.

    .venv/bin/python benchmarks/bulk.py [--pieces 10] [--online-rows 1000000]
    .venv/bin/python benchmarks/bulk.py --bulk-rows 1000000   # both paths on the same rows

Data: the sample generator holds a whole world in memory (a 500k-account world needs more
than 17 GB), so the file is made of `--pieces` worlds of `--accounts` accounts each (seeds
and 30-day periods of their own), generated once, concatenated under one header and cached
in `--data-dir`. Peak memory is sampled from /proc every second for the Python processes
(the loader and its converter workers) and for the neo4j-admin JVM.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, LiteralString

from toolkit.db.connect import Graph
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.load.bulk import bulk_load
from toolkit.progress import Progress
from toolkit.queries.catalog import load_catalog
from toolkit.queries.runner import run
from toolkit.sample.generate import generate
from toolkit.sample.params import DEMO_SEED, SampleParams

HERE = Path(__file__).resolve().parent
QUERIES: dict[str, LiteralString] = {
    "count tweets": "MATCH (t:Tweet) RETURN count(t) AS n",
    "count relationships": "MATCH ()-[r]->() RETURN count(r) AS n",
    "tweets of one day (created_at index)":
        "MATCH (t:Tweet) WHERE t.created_at >= datetime('2019-07-01') "
        "AND t.created_at < datetime('2019-07-02') RETURN count(t) AS n",
    "most retweeted tweet": "MATCH (o:Tweet)<-[:RETWEET_OF]-() RETURN o.tweetid AS id, "
        "count(*) AS n ORDER BY n DESC LIMIT 1",
}
PACKAGED = ("top-hashtags", "co-retweet-pairs")


def piece(data_dir: Path, k: int, accounts: int) -> Path:
    """World `k`'s tweets file (generated once)."""
    out = data_dir / f"piece_{k}_{accounts}"
    name = f"piece{k}"
    path = out / f"{name}_tweets_csv_hashed.csv"
    if not path.exists():
        generate(out, SampleParams(seed=DEMO_SEED + k, accounts=accounts, name=name,
                                   start=date(2019, 6, 1) + timedelta(days=30 * k)))
    return path


def tweets_file(data_dir: Path, pieces: int, accounts: int) -> Path:
    """The pieces under one header: one big IO-archive tweets file, as a release has."""
    path = data_dir / f"bench{pieces}x{accounts}_tweets_csv_hashed.csv"
    if path.exists():
        return path
    with ProcessPoolExecutor(2) as pool:
        parts = list(pool.map(piece, [data_dir] * pieces, range(pieces), [accounts] * pieces))
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as out:
        for k, part in enumerate(parts):
            with open(part, "rb") as f:
                header = f.readline()
                if k == 0:
                    out.write(header)
                shutil.copyfileobj(f, out, 1 << 24)
    partial.rename(path)
    return path


def head_rows(path: Path, rows: int) -> Path:
    """The first `rows` rows of `path` (generated text is single-line) as their own file."""
    out = path.with_name(f"head{rows}_tweets_csv_hashed.csv")
    if not out.exists():
        with open(path, "rb") as f, open(out, "wb") as o:
            for _, line in zip(range(rows + 1), f, strict=False):
                o.write(line)
    return out


class PeakRss:
    """Samples the RSS of this process's descendants once a second: peak of the Python ones
    (summed) and of the neo4j-admin JVMs (the server's are left out), so each phase's memory
    is its own. Walking /proc costs CPU in this process (counted in the convert phase's
    CPU): every 0.2 s it took ~10% of a core, once a second ~2%."""

    def __init__(self) -> None:
        self.python = 0
        self.admin = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(1.0):
            python = admin = 0
            for pid, cmd, rss in _processes():
                if pid != me and not _descends(pid, me):
                    continue
                if "java" not in cmd.split(" ", 1)[0]:
                    python += rss
                elif "CommunityEntryPoint" not in cmd and "Neo4jCommand" not in cmd:
                    admin += rss  # neo4j-admin's launcher and the JVM it forks
            self.python = max(self.python, python)
            self.admin = max(self.admin, admin)


def _processes() -> Iterator[tuple[int, str, int]]:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            rss = next((int(line.split()[1]) for line in (entry / "status").read_text()
                        .splitlines() if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError):
            continue
        yield int(entry.name), cmd, rss


def _descends(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            stat = (Path("/proc") / str(pid) / "stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return False


class PhaseCpu(Progress):
    """CPU seconds per bulk phase of this process and its reaped children (the converter
    workers, the neo4j-admin JVM), cut where `bulk_load`'s progress changes phase: on a
    machine shared with other jobs, CPU time says what the phase costs, wall time what it
    got."""

    def __init__(self) -> None:
        super().__init__("bulk")
        self.phase = "convert"
        self.seconds: dict[str, float] = {}
        self._mark = _cpu()

    def changed(self, new_label: bool) -> None:
        if new_label and self.label != self.phase:
            self.close()
            self.phase = self.label

    def close(self) -> None:
        now = _cpu()
        self.seconds[self.phase] = round(now - self._mark, 1)
        self._mark = now


def _cpu() -> float:
    own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def throwaway_server(root: Path, heap: str, pagecache: str) -> Iterator[tuple[LocalServer,
                                                                             Settings]]:
    """A local server of the benchmark's own (fresh home, free ports), stopped after."""
    shutil.rmtree(root, ignore_errors=True)
    server = LocalServer(home=root)
    config = ServerConfig(bolt_port=free_port(), http_port=free_port(), heap=heap,
                          pagecache=pagecache, tx_memory="2g")
    server.start(config)
    try:
        yield server, Settings(config.bolt_uri, "neo4j", server.password(), "neo4j")
    finally:
        server.stop()


def time_queries(graph: Graph) -> dict[str, float]:
    """Seconds per query on the loaded graph (each run once, cold-ish after the import)."""
    seconds: dict[str, float] = {}
    for name, query in QUERIES.items():
        started = time.monotonic()
        graph.read(query)
        seconds[name] = round(time.monotonic() - started, 2)
    catalog = load_catalog(use_env=False)
    for name in PACKAGED:
        started = time.monotonic()
        rows = len(run(graph, catalog.get(name)))
        seconds[f"{name} ({rows} rows)"] = round(time.monotonic() - started, 2)
    return seconds


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def bulk(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The bulk path end to end, with phases, peak memory and query times."""
    with throwaway_server(args.data_dir / "neo4j-bulk", args.heap, args.pagecache) as (
            server, settings):
        before = load_average()
        started = time.monotonic()
        cpu = PhaseCpu()
        with PeakRss() as peak:
            result = bulk_load(server, settings, [path], dataset="bench", force=True,
                               rejects_path=Path("/dev/null"), workers=args.workers,
                               work_dir=args.data_dir / "csv", keep_files=True,
                               max_off_heap=args.off_heap, progress=cpu)
        wall = time.monotonic() - started
        cpu.close()
        after = load_average()
        csv_dir = args.data_dir / "csv"
        csv_gb = sum(p.stat().st_size for p in csv_dir.glob("*.csv")) / 1e9
        shutil.rmtree(csv_dir)
        with Graph(settings) as graph:
            queries = time_queries(graph)
        store = sum(p.stat().st_size for p in (server.home / "data").rglob("*") if p.is_file())
    summary = result.summary
    return {
        "rows": summary.rows, "tweets": summary.tweets, "rejected": summary.rejected,
        "wall_s": round(wall, 1), "rows_per_s": round(summary.rows / wall),
        "phases_s": {k: round(v, 1) for k, v in result.phases.items()},
        "cpu_s (convert includes csv; start/schema/finish run in the server)": cpu.seconds,
        "convert_rows_per_cpu_s": round(summary.rows / cpu.seconds["convert"]),
        "peak_rss_mb": {"python (loader + converters)": peak.python // 1024,
                        "neo4j-admin": peak.admin // 1024},
        "nodes": summary.nodes, "relationships": summary.relationships,
        "store_gb": round(store / 1e9, 2), "csv_gb": round(csv_gb, 2),
        "load_average": {"before": before, "after": after}, "queries_s": queries,
    }


def online(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """`load_files` on the slice, in a child process (benchmarks/load.py's), for its RSS."""
    with throwaway_server(args.data_dir / "neo4j-online", args.heap, args.pagecache) as (
            _, settings):
        env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
               "NEO4J_PASSWORD": settings.password or "", "NEO4J_DATABASE": "neo4j"}
        before = load_average()
        started = time.monotonic()
        with PeakRss() as peak:
            child = subprocess.run([sys.executable, str(HERE / "load.py"), "--child",
                                    str(path)], capture_output=True, text=True, check=True,
                                   env=env)
        wall = time.monotonic() - started
        summary = json.loads(child.stdout)
        with Graph(settings) as graph:
            queries = time_queries(graph)
    return {"rows": summary["rows"], "wall_s": round(wall, 1),
            "rows_per_s": round(summary["rows"] / wall),
            "peak_rss_mb": {"python (benchmark + loader)": peak.python // 1024},
            "load_average": {"before": before, "after": load_average()}, "queries_s": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pieces", type=int, default=10)
    parser.add_argument("--accounts", type=int, default=50_000, help="per piece (~1M rows)")
    parser.add_argument("--online-rows", type=int, default=1_000_000)
    parser.add_argument("--bulk-rows", type=int, help="bulk-load only the first N rows")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="4g")
    parser.add_argument("--off-heap", default="4g", help="neo4j-admin --max-off-heap-memory")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/infoops-bench-bulk"))
    parser.add_argument("--only", choices=("data", "bulk", "online"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = tweets_file(args.data_dir, args.pieces, args.accounts)
    report: dict[str, Any] = {"file": str(path), "file_gb": round(path.stat().st_size / 1e9, 2)}
    if args.only == "data":
        print(json.dumps(report))
        return
    if args.only in (None, "bulk"):
        report["bulk"] = bulk(head_rows(path, args.bulk_rows) if args.bulk_rows else path, args)
    if args.only in (None, "online"):
        report["online"] = online(head_rows(path, args.online_rows), args)
    if "bulk" in report and "online" in report:
        report["bulk_vs_online_rows_per_s"] = round(
            report["bulk"]["rows_per_s"] / report["online"]["rows_per_s"], 1)
    print(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
