"""`load_files`: inputs -> graph, the one entry point the CLI and the benchmarks call.

Order: sniff every input (an unknown format is refused before anything is written), apply
the schema (constraints before data), MERGE the Dataset node, stream records into batches
written in the background, recount the statistics of the nodes the batches touched
(`toolkit.load.statistics`), then stamp the Dataset with its counts. Every write is a MERGE,
so re-running a load, or finishing an interrupted one by running it again, gives exactly
the graph of one clean load; a Dataset without `rows` is one whose load never finished.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Sequence
from pathlib import Path

from .. import sources
from ..db.connect import Graph
from ..db.schema import apply_schema
from ..errors import BadInput, BadParameter, InfoopsError
from ..inert import file_stem
from ..progress import Progress
from ..sources import Account, FileStats, InputMember, ReadStats, Reject, Tweet
from . import cypher, statistics
from .batches import Batch
from .rejects import RejectsReport
from .summary import NODE_LABELS, REL_TYPES, LoadSummary
from .writer import Writer

ON_ERROR = ("skip", "fail")
BATCH_ROWS = 20_000
PROGRESS_EVERY = 5_000

_RELEASE_SUFFIX = re.compile(r"_(tweets|users)(_csv)?(_(un)?hashed)?$", re.IGNORECASE)


def default_dataset(path: Path) -> str:
    """The dataset name a file implies: its name without extensions and without the
    archive's `_tweets_csv_hashed`/`_users_csv_hashed` tail, so a release's tweets and users
    files land in one dataset: 'china_082019_1_users_csv_hashed.csv' -> 'china_082019_1'."""
    stem = path.name.split(".", 1)[0] or path.name
    return _RELEASE_SUFFIX.sub("", stem) or stem


def load_files(
    graph: Graph,
    paths: Sequence[Path],
    fmt: str = "auto",
    dataset: str | None = None,
    on_error: str = "skip",
    rejects_path: Path | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
    writers: int = 2,
) -> LoadSummary:
    """Load `paths` (files, directories, zip or gzip) into `graph` as dataset `dataset`.

    Rows that cannot be loaded go to the rejects report (`<dataset>.rejects.csv` unless
    `rejects_path`); with `on_error='fail'` the first one raises `BadInput` naming
    file:line and reason, and no later batch is written."""
    if on_error not in ON_ERROR:
        raise BadParameter("on_error", f"{on_error!r} is not one of {', '.join(ON_ERROR)}")
    if not paths:
        raise BadParameter("paths", "give at least one file or directory to load")
    if batch_rows < 1 or writers < 1:
        raise BadParameter("batch_rows", "batch_rows and writers must be at least 1")
    skipped: list[str] = []
    members = sources.plan_inputs(list(paths), fmt, skipped)
    name = dataset if dataset is not None else default_dataset(Path(paths[0]))
    if not name.strip():
        raise BadParameter("dataset", "the dataset name is empty")
    rejects = RejectsReport(rejects_path or default_rejects_path(name))  # checked now
    started = time.monotonic()
    summary = LoadSummary(
        dataset=name,
        format=",".join(dict.fromkeys(m.format for m in members)),
        files=[m.name for m in members],
        skipped=skipped,
    )
    apply_schema(graph)
    dataset_created = graph.write(cypher.MERGE_DATASET, name=name)[0]["created"]
    if dataset_created:
        statistics.mark(graph, name)
    statistics.ensure(graph, progress)
    statistics.stamp(graph, name)
    writer = Writer(graph, name, writers, fail=on_error == "fail")
    stats = ReadStats()
    try:
        _stream(members, stats, writer, rejects, on_error, batch_rows, progress)
    except BadInput:  # --on-error fail: what was written before the bad row is counted
        writer.close()
        statistics.refresh(graph, writer.touched)
        _drop_if_empty(graph, name, dataset_created)
        raise
    except BaseException:
        writer.close()
        _drop_if_empty(graph, name, dataset_created)
        raise
    finally:
        writer.close()
        rejects.close()
    if progress is not None:
        progress.update("loading", stats.rows, stats.rows)
    statistics.refresh(graph, writer.touched, progress)
    statistics.stamp(graph, name)
    summary.rows = stats.rows
    summary.rejected = rejects.count
    summary.tweets = sum(f.tweets for f in stats.files)
    summary.decode_errors = sum(f.decode_errors for f in stats.files)
    summary.rejects_path = rejects.written
    summary.accounts = finish_dataset(graph, name, stats.files)
    writer.created["Dataset"] += int(dataset_created)
    summary.nodes = {k: writer.created[k] for k in NODE_LABELS if writer.created[k]}
    summary.relationships = {k: writer.created[k] for k in REL_TYPES if writer.created[k]}
    summary.disclosed = writer.created["Disclosed"]
    summary.seconds = time.monotonic() - started
    return summary


def _drop_if_empty(graph: Graph, name: str, created: bool) -> None:
    """A load that wrote nothing leaves no empty Dataset behind (the error that stopped it
    is the one to show, not one from this clean-up)."""
    if created:
        with contextlib.suppress(InfoopsError):
            graph.write(cypher.DROP_EMPTY_DATASET, name=name)


def default_rejects_path(dataset: str) -> Path:
    """`<dataset>.rejects.csv` in the current folder, the name made one safe file-name
    component (`file_stem`): datasets called '../../x' and '/etc/x' write
    'x.rejects.csv' and 'etc_x.rejects.csv' here."""
    return Path(f"{file_stem(dataset)}.rejects.csv")


def finish_dataset(graph: Graph, name: str, files: list[FileStats]) -> int:
    """Stamp the Dataset with its provenance, per file and in total, and return its
    accounts. A file loaded again replaces its own counts, and files of earlier loads into
    the dataset keep theirs: the totals stay those of one load of each file, so loads
    accumulate and a re-run changes nothing."""
    old = graph.read(cypher.DATASET_FILES, name=name)[0]
    if old["files"] and not old["rows"]:  # stamped by an infoops without per-file counts:
        fmt, rows, rejected, tweets = old["totals"]  # its totals, kept on its first file
        old.update(formats=[fmt] * len(old["files"]),
                   rows=[rows or 0] + [0] * (len(old["files"]) - 1),
                   rejected=[rejected or 0] + [0] * (len(old["files"]) - 1),
                   tweets=[tweets or 0] + [0] * (len(old["files"]) - 1))
    merged: dict[str, tuple[str, int, int, int]] = {
        f: (fmt, r, j, t) for f, fmt, r, j, t in zip(
            old["files"], old["formats"], old["rows"], old["rejected"], old["tweets"],
            strict=True)}
    now: dict[str, list[int]] = {}
    formats: dict[str, str] = {}
    for stats in files:  # a file read in slices (bulk) has one FileStats per slice
        counts = now.setdefault(stats.file, [0, 0, 0])
        counts[0] += stats.rows
        counts[1] += stats.rejected
        counts[2] += stats.tweets
        formats[stats.file] = stats.format
    for file in now:
        merged.pop(file, None)
    merged.update({f: (formats[f], c[0], c[1], c[2]) for f, c in now.items()})
    values = list(merged.values())
    return int(graph.write(
        cypher.FINISH_DATASET, name=name, files=list(merged),
        formats=[v[0] for v in values], file_rows=[v[1] for v in values],
        file_rejected=[v[2] for v in values], file_tweets=[v[3] for v in values],
        format=",".join(dict.fromkeys(v[0] for v in values)),
        rows=sum(v[1] for v in values), rejected=sum(v[2] for v in values),
        tweets=sum(v[3] for v in values))[0]["accounts"])


def _stream(members: list[InputMember], stats: ReadStats, writer: Writer,
            rejects: RejectsReport, on_error: str, batch_rows: int,
            progress: Progress | None) -> None:
    """Read every record into batches; hand each full batch to the background writer.
    A tweet row naming another author than an earlier row is rejected here (same batch)
    or by the writer (earlier batches and loads), and counted against its file."""
    total = estimate_rows(members) if progress is not None else None
    by_file: dict[str, FileStats] = {}
    batch = Batch()

    def reject(record: Reject, counted: bool) -> None:
        rejects.add(record)
        if not counted:  # a row read as a tweet, refused later
            by_file[record.file].rejected += 1
            by_file[record.file].tweets -= 1
        if on_error == "fail":
            writer.wait()
            raise sources.reject_error(record)

    for seen, record in enumerate(sources.iter_records(members, stats), 1):
        current = stats.files[-1]
        by_file[current.file] = current
        if isinstance(record, Tweet):
            current.tweets += 1
            refused = batch.add_tweet(record, current.file)
            if refused is not None:
                reject(refused, counted=False)
        elif isinstance(record, Account):
            batch.add_account(record, current.file)
        else:
            reject(record, counted=True)
        if len(batch) >= batch_rows:
            writer.submit(batch)
            batch = Batch()
            for refused in writer.take_rejected():
                reject(refused, counted=False)
        if progress is not None and seen % PROGRESS_EVERY == 0:
            progress.update("loading", stats.rows, total)
    writer.submit(batch)
    writer.wait()
    for refused in writer.take_rejected():
        reject(refused, counted=False)


def estimate_rows(members: list[InputMember]) -> int | None:
    """Physical lines of the plain (not zipped, not gzipped) inputs, for the progress bar's
    ETA; None when any input is compressed. Multi-line texts make it an overestimate."""
    lines = 0
    for member in members:
        if member.member is not None:
            return None
        with open(member.path, "rb") as f:
            if f.read(2) == b"\x1f\x8b":
                return None
            f.seek(0)
            while chunk := f.read(1 << 22):
                lines += chunk.count(b"\n")
    return lines
