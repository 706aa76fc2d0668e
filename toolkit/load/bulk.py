"""`bulk_load`: a first, large load through `neo4j-admin database import full`.

Same readers, same normalization and the same per-record rules as `load_files` (the CSVs
come from the loader's own `Batch`, see `bulk_csv`), so the graph is the one the online
loader would build; the import itself writes store files directly (1M rows: ~1 minute,
against ~11 for the online loader's MERGEs; benchmarks/README.md). The price: the local
server's database is replaced, so the server is stopped during the import and started
again after it, and only a local server's empty database (or one the user agreed to
overwrite) is accepted. Community's import creates no constraints: the schema is applied
after the restart. Later, incremental loads go through `load_files`.

Phases: convert (inputs -> CSVs, one process per run of input files or slice of a big
file), import (server stopped), start, schema (constraints and indexes built over the
imported data), finish (Dataset properties, duplicate tweets through the online writer),
statistics (every node's statistics recounted in one pass, `toolkit.load.statistics`).
"""

from __future__ import annotations

import multiprocessing
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..db.connect import Graph
from ..db.schema import apply_schema
from ..db.server import LocalServer
from ..db.settings import Settings
from ..errors import BadParameter, ServerControlError
from ..inert import file_stem
from ..progress import Progress
from ..sources import InputMember, Reject, plan_inputs, reject_error
from . import bulk_csv, cypher, statistics
from .batches import Batch
from .loader import (
    ON_ERROR,
    default_dataset,
    default_rejects_path,
    estimate_rows,
    finish_dataset,
)
from .rejects import RejectsReport
from .summary import LoadSummary
from .writer import Writer

BATCH_ROWS = 50_000
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
COMMUNITY_DATABASE = "neo4j"


@dataclass
class BulkResult:
    """The load's summary (as `load_files` gives it) plus seconds per phase."""

    summary: LoadSummary
    phases: dict[str, float] = field(default_factory=dict)
    import_log: Path | None = None


def bulk_load(
    server: LocalServer,
    settings: Settings,
    paths: Sequence[Path],
    fmt: str = "auto",
    dataset: str | None = None,
    on_error: str = "skip",
    rejects_path: Path | None = None,
    force: bool = False,
    workers: int = 2,
    work_dir: Path | None = None,
    keep_files: bool = False,
    max_off_heap: str = "2g",
    progress: Progress | None = None,
) -> BulkResult:
    """Replace `server`'s database with the graph of `paths` as dataset `dataset`.

    Refuses (before anything is read) a URI that is not this local server, a database other
    than Community's one, and a database that holds data unless `force`. The CSVs go to
    `work_dir` (default: `<home>/import/bulk-<dataset>`), deleted afterwards unless
    `keep_files`."""
    if on_error not in ON_ERROR:
        raise BadParameter("on_error", f"{on_error!r} is not one of {', '.join(ON_ERROR)}")
    if not paths:
        raise BadParameter("paths", "give at least one file or directory to load")
    if workers < 1:
        raise BadParameter("workers", "must be at least 1")
    members = plan_inputs(list(paths), fmt)
    name = dataset if dataset is not None else default_dataset(Path(paths[0]))
    if not name.strip():
        raise BadParameter("dataset", "the dataset name is empty")
    check_target(server, settings, force)
    rejects = RejectsReport(rejects_path or default_rejects_path(name))  # checked now
    try:
        return _bulk_load(server, settings, members, name, on_error == "fail", rejects,
                          workers, work_dir, keep_files, max_off_heap, progress)
    finally:
        rejects.close()


def _bulk_load(server: LocalServer, settings: Settings, members: list[InputMember], name: str,
               fail: bool, rejects: RejectsReport, workers: int, work_dir: Path | None,
               keep_files: bool, max_off_heap: str, progress: Progress | None) -> BulkResult:
    started = time.monotonic()
    phases: dict[str, float] = {}
    out = (work_dir or server.home / "import" / f"bulk-{file_stem(name)}").absolute()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    part = _convert(members, out, name, workers, fail, progress)
    phases["convert"] = time.monotonic() - started
    summary = LoadSummary(dataset=name, format=",".join(dict.fromkeys(m.format for m in members)),
                          files=[m.name for m in members])
    for reject in part.rejects:
        rejects.add(reject)
    if fail and part.rejects:
        raise reject_error(part.rejects[0])
    shared = bulk_csv.PartWriter(out, "shared")
    try:
        bulk_csv.write_shared(part, shared, name, datetime.now(UTC))
    finally:
        shared.close()
    for key, n in shared.rows.items():
        part.rows[key] = part.rows.get(key, 0) + n
    phases["csv"] = time.monotonic() - started - phases["convert"]

    log = out / "import.log"
    mark = time.monotonic()
    _notify(progress, "import")
    server.stop()
    code = server.admin(import_args(out, part, settings.database, max_off_heap), log)
    phases["import"] = time.monotonic() - mark
    mark = time.monotonic()
    _notify(progress, "start")
    server.start()
    if code != 0:
        raise ServerControlError(f"neo4j-admin import failed (exit {code}): "
                                 f"{_last_line(log)}; full log: {log}")
    graph = Graph(settings)
    try:
        graph.wait_online()
        phases["start"] = time.monotonic() - mark
        mark = time.monotonic()
        _notify(progress, "schema")
        apply_schema(graph)
        phases["schema"] = time.monotonic() - mark
        mark = time.monotonic()
        _notify(progress, "finish")
        graph.write(cypher.MERGE_DATASET, name=name)
        late = _write_late(graph, name, part, rejects, fail)
        summary.rows = sum(s.rows for s in part.stats)
        summary.rejected = rejects.count
        summary.decode_errors = sum(s.decode_errors for s in part.stats)
        summary.tweets = sum(s.tweets for s in part.stats)
        summary.rejects_path = rejects.written
        phases["finish"] = time.monotonic() - mark
        mark = time.monotonic()
        statistics.ensure(graph, progress)  # the imported Dataset is not marked: all
        statistics.stamp(graph, name)
        phases["statistics"] = time.monotonic() - mark
        summary.accounts = finish_dataset(graph, name, part.stats)
    finally:
        graph.close()
    _count_created(summary, part, late)
    summary.seconds = time.monotonic() - started
    if not keep_files:
        shutil.rmtree(out, ignore_errors=True)
    return BulkResult(summary, phases, log if keep_files else None)


def check_target(server: LocalServer, settings: Settings, force: bool) -> None:
    """Refuse, in one line, anything but the empty (or `force`d) database of `server`."""
    config = server.config()
    if config is None:
        raise ServerControlError(f"no local Neo4j server at {server.home}: start it once "
                                 "(infoops db start) before a bulk import")
    url = urlsplit(settings.uri)
    if (url.scheme not in ("bolt", "neo4j") or url.hostname not in LOCAL_HOSTS
            or (url.port or 7687) != config.bolt_port):
        raise ServerControlError(
            f"bulk import writes the store files of the local server at {server.home} "
            f"({config.bolt_uri}); {settings.uri} is not it: load remote servers with "
            "infoops load")
    if settings.database != COMMUNITY_DATABASE:
        raise BadParameter("database", f"{settings.database!r}: Neo4j Community has one "
                           f"database, {COMMUNITY_DATABASE!r}; bulk import goes there")
    if force:
        return
    if server.pid() is None:
        if (server.home / "data" / "databases" / settings.database).exists():
            raise ServerControlError(
                f"the server at {server.home} is stopped, so infoops cannot tell whether "
                f"database {settings.database!r} holds data: start it (infoops db start) or "
                "pass --force to overwrite it")
        return
    with Graph(settings) as graph:
        nodes = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if nodes:
        raise ServerControlError(
            f"database {settings.database!r} at {settings.uri} already holds {nodes:,} nodes; "
            "a bulk import replaces it: pass --force to overwrite, or add data with "
            "infoops load")


def import_args(out: Path, part: bulk_csv.Part, database: str, max_off_heap: str) -> list[str]:
    """The `neo4j-admin` arguments importing the CSV files in `out`. Only files holding
    multi-line text are parsed in the slow multi-line mode."""
    args = ["database", "import", "full", database, "--overwrite-destination=true",
            "--bad-tolerance=0", f"--report-file={out / 'import.report'}",
            f"--max-off-heap-memory={max_off_heap}"]
    multiline: list[Path] = []
    groups = [*((g, "nodes", *spec) for g, spec in bulk_csv.NODE_FILES.items()),
              *((g, "relationships", *spec) for g, spec in bulk_csv.REL_FILES.items())]
    for group, kind, target, header in groups:
        sources = [group, bulk_csv.MULTILINE] if group == "tweets" else [group]
        files = sorted(p for g in sources for p in out.glob(f"{g}-*.csv") if p.stat().st_size)
        if not files:
            continue
        head = out / f"header-{group}.csv"
        head.write_text(header + "\n", encoding="utf-8")
        multiline += [p for p in files if p.name.startswith((bulk_csv.MULTILINE, "accounts"))]
        args.append(f"--{kind}={target}=" + ",".join(str(p) for p in (head, *files)))
    if multiline:
        args += ["--multiline-fields-format=v2",
                 "--multiline-fields=" + ",".join(str(p) for p in multiline)]
    return args


def _convert(members: list[InputMember], out: Path, dataset: str, workers: int,
             stop_at_reject: bool, progress: Progress | None) -> bulk_csv.Part:
    """Convert in `workers` processes, each over a run of consecutive inputs (a big plain
    CSV cut into slices). Convert again in one process if two runs share a tweet id (the
    same tweet in two places: merged as the online loader merges it), or if a slice's
    first or last row was rejected (a cut that split a row, or a reject whose reason
    depends on where its file ends)."""
    total = estimate_rows(members) if progress is not None else None
    groups = _split(members, workers)
    if len(groups) > 1:
        parts = _convert_parallel(groups, out, dataset, stop_at_reject, progress, total)
        if not any(p.edge_rejects for p in parts) and all(
                a.tweetids.isdisjoint(b.tweetids)
                for i, a in enumerate(parts) for b in parts[i + 1:]):
            return _merged(parts)
        for stale in out.glob("*.csv"):
            stale.unlink()
    count = [0]

    def tick(n: int) -> None:
        count[0] += n
        if progress is not None:
            progress.update("convert", count[0], total)

    return bulk_csv.convert(members, out, 0, dataset, BATCH_ROWS, stop_at_reject, tick)


_counter: Any = None


def _init_worker(counter: Any) -> None:
    global _counter
    _counter = counter


def _tick(n: int) -> None:
    with _counter.get_lock():
        _counter.value += n


def _convert_group(inputs: list[bulk_csv.Input], out: Path, index: int, dataset: str,
                   stop_at_reject: bool) -> bulk_csv.Part:
    return bulk_csv.convert(inputs, out, index, dataset, BATCH_ROWS, stop_at_reject, _tick)


def _convert_parallel(groups: list[list[bulk_csv.Input]], out: Path, dataset: str,
                      stop_at_reject: bool, progress: Progress | None,
                      total: int | None) -> list[bulk_csv.Part]:
    context = multiprocessing.get_context("fork")  # no re-import of the caller's __main__
    counter = context.Value("q", 0)
    with ProcessPoolExecutor(len(groups), mp_context=context, initializer=_init_worker,
                             initargs=(counter,)) as pool:
        futures: list[Future[bulk_csv.Part]] = [
            pool.submit(_convert_group, group, out, i, dataset, stop_at_reject)
            for i, group in enumerate(groups)
        ]
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
            if progress is not None:
                progress.update("convert", counter.value, total)
            for future in futures:
                if future.done() and future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
        return [f.result() for f in futures]


def _split(members: list[InputMember], workers: int) -> list[list[bulk_csv.Input]]:
    """Consecutive runs of inputs of about equal size in bytes (order is kept, so merging
    the parts in order is reading the inputs in order). A plain IO-archive file across
    which a run ends is cut there, at the next row boundary: one big file, as a release
    ships its tweets, still keeps every worker busy."""
    if workers == 1:
        return [list(members)]
    sizes = [m.path.stat().st_size for m in members]
    share = sum(sizes) / workers
    groups: list[list[bulk_csv.Input]] = [[]]
    done = 0
    for member, size in zip(members, sizes, strict=True):
        cuts = [int(share * k) - done for k in range(len(groups), workers)
                if 0 < share * k - done < size]
        if cuts and bulk_csv.splittable(member):
            start, line = 0, 2
            for offset, at_line in bulk_csv.row_boundaries(member.path, cuts):
                if offset > start:
                    groups[-1].append(bulk_csv.Slice(member, start, offset, line))
                    groups.append([])
                    start, line = offset, at_line
            groups[-1].append(bulk_csv.Slice(member, start, size, line))
        else:
            if groups[-1] and done >= share * len(groups) and len(groups) < workers:
                groups.append([])
            groups[-1].append(member)
        done += size
    return groups


def _merged(parts: list[bulk_csv.Part]) -> bulk_csv.Part:
    first = parts[0]
    for later in parts[1:]:
        first.merge(later)
    return first


def _write_late(graph: Graph, dataset: str, part: bulk_csv.Part, rejects: RejectsReport,
                fail: bool) -> Counter:
    """Tweets seen again after their first row was written: MERGE them online. A late row
    naming another author is rejected by the writer, as online, and counted against its
    file."""
    writer = Writer(graph, dataset, fail=fail)
    by_file = {s.file: s for s in part.stats}
    refused: list[Reject] = []
    try:
        for start in range(0, len(part.late), BATCH_ROWS):
            batch = Batch()
            for tweet, file in part.late[start:start + BATCH_ROWS]:
                reject = batch.add_tweet(tweet, file)
                if reject is not None:
                    if fail:
                        raise reject_error(reject)
                    refused.append(reject)
            writer.submit(batch)
        writer.wait()
    finally:
        writer.close()
    for reject in refused + writer.take_rejected():
        rejects.add(reject)
        by_file[reject.file].rejected += 1
        by_file[reject.file].tweets -= 1
    return writer.created


def _count_created(summary: LoadSummary, part: bulk_csv.Part, late: Counter) -> None:
    """What the import created (CSV rows), plus what the late tweets added."""
    for group, (target, _) in bulk_csv.NODE_FILES.items():
        n = part.rows.get(group, 0) + (part.rows.get(bulk_csv.MULTILINE, 0)
                                       if group == "tweets" else 0)
        if n:
            summary.nodes[target] = summary.nodes.get(target, 0) + n
    for group, (target, _) in bulk_csv.REL_FILES.items():
        if part.rows.get(group):
            summary.relationships[target] = part.rows[group]
    for target, n in late.items():
        if n and target in summary.relationships:
            summary.relationships[target] += n
        elif n and target != "Disclosed":
            summary.nodes[target] = summary.nodes.get(target, 0) + n
    summary.disclosed = len(part.disclosed)


def _notify(progress: Progress | None, phase: str) -> None:
    """A phase that runs in neo4j-admin or the server: no counts to show while it runs."""
    if progress is not None:
        progress.update(phase)


def _last_line(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if "rror" in ln or "xception" in ln]
    return (errors or lines or ["no output"])[-1].strip()
