"""Query benchmark: every packaged query with its defaults on a generated release of `--rows`
tweets, timed as the server sees it and as an investigator's shell does.

    .venv/bin/python benchmarks/queries.py --rows 1000000                   # this tree
    .venv/bin/python benchmarks/queries.py --rows 1000000 --code before=main  # another commit
    .venv/bin/python benchmarks/queries.py --rows 10000000 --heap 3g --pagecache 4g

Data: the bulk benchmark's file (`benchmarks/bulk.py`: worlds of 50,000 accounts under one
header, cached in `--data-dir`), its first `--rows` rows and the users files of their worlds
(the disclosed accounts), bulk-loaded once with this tree's loader (`infoops load --bulk`'s
code, which also counts the node statistics) into a server kept under
`--data-dir/neo4j-<rows>`, so runs of several code versions meet the same graph.
Stored detection runs are deleted first, so the co-action queries count; `--detect` then
stores a co-retweet run they can use (window 60 s, min weight 3, shared tweets counted, no
null model) and times those three queries again.

Per query and code version (`--code NAME=REF`: a commit extracted with `git archive`, run
with it first on PYTHONPATH; `this` is the working tree):
- `cli_s`: wall time of `infoops query run NAME --format csv --out /dev/null` in a fresh
  process (start-up, connection, EXPLAIN, the query, the output), and `cli_cpu_s`, the CPU
  seconds of that process (its imports and decoding; the server's work is not in it);
- `server_s`: `result_available_after + result_consumed_after` of one run through the
  driver (warm plan cache, since the CLI run planned it), and `server_cpu_s`, the CPU
  seconds the server's JVM spent meanwhile (from /proc): on a machine shared with other
  work, wall time says what a query got, CPU time what it costs;
- `db_hits` and `rows` of one PROFILE run (`--no-profile` skips it).
Queries longer than `--timeout` seconds are stopped by the server and reported as such.
The CPU seconds of `infoops --version` and `infoops --help` are measured per version too.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from bulk import head_rows, tweets_file

import neo4j
from toolkit.db.connect import Graph
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.detect.events import Kind
from toolkit.detect.runs import DetectParams, detect
from toolkit.load.bulk import bulk_load
from toolkit.queries.catalog import Query, parse_file
from toolkit.queries.runner import prepare

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
INFOOPS = str(Path(sys.executable).with_name("infoops"))
LOADED = "benchmark-loaded.json"
CO_ACTION = ("co-retweet-pairs", "most-amplified-tweets", "most-amplified-accounts")
# A run whose edges the co-action queries can use: shared tweets counted, no account damped
# (parameters the detector has where it has them).
COUNTING = {k: v for k, v in (("weighting", "count"), ("hyperactive", 0.0))
            if k in {f.name for f in dataclasses.fields(DetectParams)}}


def server(args: argparse.Namespace) -> tuple[LocalServer, Settings]:
    """The benchmark's server for `--rows`, started (bulk-loading the rows on first use)."""
    home = args.data_dir / f"neo4j-{args.rows}"
    srv = LocalServer(home=home)
    old = srv.config()
    config = ServerConfig(bolt_port=args.bolt_port or (old.bolt_port if old else free_port()),
                          http_port=args.http_port or (old.http_port if old else free_port()),
                          heap=args.heap, pagecache=args.pagecache, tx_memory="2g")
    srv.start(config)
    settings = Settings(config.bolt_uri, "neo4j", srv.password(), "neo4j")
    marker = home / LOADED
    if args.reload or not marker.exists():
        path = head_rows(tweets_file(args.data_dir, 10, 50_000), args.rows)
        started = time.monotonic()
        result = bulk_load(srv, settings, [path, *users_files(args.data_dir, args.rows)],
                           dataset="bench", force=True, rejects_path=Path("/dev/null"))
        marker.write_text(json.dumps({
            "rows": result.summary.rows, "seconds": round(time.monotonic() - started, 1),
            "phases_s": {k: round(v, 1) for k, v in result.phases.items()},
            "commit": _git("rev-parse", "HEAD").strip()}))
    return srv, settings


def users_files(data_dir: Path, rows: int) -> list[Path]:
    """The users files (the disclosed accounts) of the worlds whose tweets the first `rows`
    rows of the benchmark file come from."""
    found, seen = [], 0
    for k in range(10):
        world = data_dir / f"piece_{k}_50000"
        found.append(world / f"piece{k}_users_csv_hashed.csv")
        with open(world / f"piece{k}_tweets_csv_hashed.csv", "rb") as f:
            seen += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b"")) - 1
        if seen >= rows:
            break
    return found


def source_tree(name: str, ref: str, scratch: Path) -> Path:
    """`this`: the working tree; else the commit `ref` extracted under `scratch`."""
    if ref == "this":
        return ROOT
    commit = _git("rev-parse", ref).strip()
    out = scratch / f"src-{commit[:12]}"
    if not out.exists():
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit],
                                 capture_output=True, check=True).stdout
        partial = out.with_suffix(".partial")
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(partial, filter="tar")
        partial.rename(out)
    return out


def catalog(tree: Path) -> list[Query]:
    return [parse_file(p) for p in sorted((tree / "cypher" / "queries").glob("*/*.cypher"))]


def cli(tree: Path, settings: Settings, *args: str, timeout: float = 3600
        ) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds of one `infoops` process running the code of `tree`."""
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password or "", "NEO4J_DATABASE": settings.database}
    if tree != ROOT:
        env["PYTHONPATH"] = str(tree)
    before = _child_cpu()
    started = time.monotonic()
    done = subprocess.run([INFOOPS, *args], capture_output=True, text=True, env=env,
                          timeout=timeout)
    return time.monotonic() - started, _child_cpu() - before, done


def startup(tree: Path, settings: Settings, repeat: int = 5) -> dict[str, float]:
    """Median CPU seconds of `infoops --version` and `infoops --help`."""
    found = {}
    for flag in ("--version", "--help"):
        found[flag] = round(statistics.median(cli(tree, settings, flag)[1]
                                              for _ in range(repeat)), 3)
    return found


def time_all(graph: Graph, queries: list[Query], tree: Path, settings: Settings,
             args: argparse.Namespace, version: str) -> dict[str, dict[str, Any]]:
    rows = {}
    for query in queries:
        if not args.only or query.name in args.only:
            rows[query.name] = time_query(graph, query, tree, settings, args)
            print(version, query.name, rows[query.name], file=sys.stderr, flush=True)
    return rows


def delete_runs(graph: Graph) -> None:
    """No stored detection run: the co-action queries count (the `--detect` pass adds one)."""
    with graph.driver.session(database=graph.database) as session:
        session.run("MATCH ()-[c:COORDINATED]->() CALL (c) { DELETE c } "
                    "IN TRANSACTIONS OF 10000 ROWS").consume()
    graph.write("MATCH (r:DetectionRun) OPTIONAL MATCH (g:Ring)-[:FOUND_BY]->(r) "
                "DETACH DELETE g, r")


def time_query(graph: Graph, query: Query, tree: Path, settings: Settings,
               args: argparse.Namespace) -> dict[str, Any]:
    params = prepare(query).params
    wall, cpu, done = cli(tree, settings, "query", "run", query.name, "--format", "csv",
                          "--out", "/dev/null", "--timeout", str(args.timeout))
    row: dict[str, Any] = {"cli_s": round(wall, 2), "cli_cpu_s": round(cpu, 2)}
    if done.returncode != 0:
        row["error"] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"
        return row
    before = _jvm_cpu(args.jvm)
    summary = _run(graph, query.text, params, args.timeout)
    row["server_s"] = round((summary.result_available_after
                             + summary.result_consumed_after) / 1000, 2)
    row["server_cpu_s"] = round(_jvm_cpu(args.jvm) - before, 2)
    if args.profile:
        profile = _run(graph, "PROFILE " + query.text, params, args.timeout).profile
        row["db_hits"] = _db_hits(profile)
        row["rows"] = profile.get("rows", 0) if profile else 0
    return row


def _run(graph: Graph, text: str, params: dict[str, Any], timeout: float
         ) -> neo4j.ResultSummary:
    with graph.driver.session(database=graph.database,
                              default_access_mode=neo4j.READ_ACCESS) as session:
        return session.run(neo4j.Query(text, timeout=timeout), params).consume()


def _db_hits(plan: dict[str, Any] | None) -> int:
    if not plan:
        return 0
    return int(plan.get("dbHits", 0)) + sum(_db_hits(c) for c in plan.get("children", []))


def server_jvm(home: Path) -> int:
    """The pid of the server JVM of `home` (the bootloader's child)."""
    marker = f"--home-dir={home.absolute()}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"CommunityEntryPoint" in cmdline and marker in cmdline:
                return int(entry.name)
    raise RuntimeError(f"no server JVM for {home}")


def _jvm_cpu(pid: int) -> float:
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=True).stdout


def summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per version: median and worst CLI and server seconds, queries over the goals."""
    out = {}
    for version, rows in results.items():
        cli_s = [r["cli_s"] for r in rows.values()]
        server_s = [r.get("server_s", float("inf")) for r in rows.values()]
        cpu_s = [r.get("server_cpu_s", float("inf")) for r in rows.values()]
        out[version] = {"cli_p50_s": round(statistics.median(cli_s), 2),
                        "cli_max_s": max(cli_s),
                        "server_p50_s": round(statistics.median(server_s), 2),
                        "server_cpu_p50_s": round(statistics.median(cpu_s), 2),
                        "server_cpu_max_s": max(cpu_s),
                        "over_3_s": sorted(n for n, r in rows.items() if r["cli_s"] >= 3),
                        "over_15_s": sorted(n for n, r in rows.items() if r["cli_s"] >= 15)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--code", action="append", default=[],
                        help="NAME=REF (a commit, or 'this'); repeatable; default this=this")
    parser.add_argument("--only", nargs="*", help="only these queries")
    parser.add_argument("--detect", action="store_true",
                        help="store a co-retweet run (window 60, min weight 3) first")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--bolt-port", type=int, help="default: a free port")
    parser.add_argument("--http-port", type=int, help="default: a free port")
    parser.add_argument("--reload", action="store_true", help="bulk-load the rows again")
    parser.add_argument("--stop", action="store_true", help="stop the server at the end")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/infoops-bench-bulk"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    versions = dict(c.split("=", 1) for c in args.code) or {"this": "this"}
    srv, settings = server(args)
    args.jvm = server_jvm(srv.home)
    report: dict[str, Any] = {
        "rows": args.rows, "heap": args.heap, "pagecache": args.pagecache,
        "graph": json.loads((srv.home / LOADED).read_text()),
        "load_average_before": os.getloadavg()[0]}
    with Graph(settings) as graph:
        report["nodes"] = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
        delete_runs(graph)
        results: dict[str, dict[str, Any]] = {}
        for name, ref in versions.items():
            tree = source_tree(name, ref, args.data_dir)
            report.setdefault("startup_cpu_s", {})[name] = startup(tree, settings)
            results[name] = time_all(graph, catalog(tree), tree, settings, args, name)
        if args.detect:
            started = time.monotonic()
            run = detect(graph, DetectParams(Kind.CO_RETWEET, 60.0, 3, null_reps=0,
                                             **COUNTING))
            report["detect"] = {"run_id": run.run_id, "edges": len(run.edges),
                                "seconds": round(time.monotonic() - started, 1)}
            co_action = [q for q in catalog(ROOT) if q.name in CO_ACTION]
            results["this, with the run"] = time_all(graph, co_action, ROOT, settings, args,
                                                     "this, with the run")
    report["load_average_after"] = os.getloadavg()[0]
    report["queries"] = results
    report["summary"] = summary(results)
    if args.stop:
        srv.stop()
    print(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
