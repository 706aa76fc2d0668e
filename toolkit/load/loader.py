"""`load_files`: inputs -> graph, the one entry point the CLI and the benchmarks call.

Order: sniff every input (an unknown format is refused before anything is written), apply
the schema (constraints before data), MERGE the Dataset node, stream records into batches
written in the background, recount the statistics of the nodes the batches touched
(`toolkit.load.statistics`), then stamp the Dataset with its counts. Every write is a MERGE,
so re-running a load, or finishing an interrupted one by running it again, gives exactly
the graph of one clean load; a Dataset without `rows` is one whose load never finished.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path

from .. import sources
from ..db.connect import Graph
from ..db.schema import apply_schema
from ..errors import BadInput, BadParameter
from ..progress import Progress
from ..sources import Account, InputMember, ReadStats, Tweet
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
    started = time.monotonic()
    summary = LoadSummary(
        dataset=name,
        format=",".join(dict.fromkeys(m.format for m in members)),
        files=[m.name for m in members],
        skipped=skipped,
    )
    apply_schema(graph)
    dataset_created = graph.write(cypher.MERGE_DATASET, name=name, format=summary.format,
                                  files=summary.files)[0]["created"]
    if dataset_created:
        statistics.mark(graph, name)
    statistics.ensure(graph, progress)
    statistics.stamp(graph, name)
    rejects = RejectsReport(rejects_path or Path(f"{name}.rejects.csv"))
    writer = Writer(graph, name, writers)
    stats = ReadStats()
    try:
        _stream(members, stats, writer, rejects, summary, on_error, batch_rows, progress)
    except BadInput:  # --on-error fail: what was written before the bad row is counted
        statistics.refresh(graph, writer.touched)
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
    summary.decode_errors = sum(f.decode_errors for f in stats.files)
    summary.rejects_path = rejects.written
    summary.accounts = graph.write(
        cypher.FINISH_DATASET, name=name, rows=summary.rows, rejected=summary.rejected,
        tweets=summary.tweets,
    )[0]["accounts"]
    writer.created["Dataset"] += int(dataset_created)
    summary.nodes = {k: writer.created[k] for k in NODE_LABELS if writer.created[k]}
    summary.relationships = {k: writer.created[k] for k in REL_TYPES if writer.created[k]}
    summary.disclosed = writer.created["Disclosed"]
    summary.seconds = time.monotonic() - started
    return summary


def _stream(members: list[InputMember], stats: ReadStats, writer: Writer,
            rejects: RejectsReport, summary: LoadSummary, on_error: str, batch_rows: int,
            progress: Progress | None) -> None:
    """Read every record into batches; hand each full batch to the background writer."""
    total = estimate_rows(members) if progress is not None else None
    batch = Batch()
    for seen, record in enumerate(sources.iter_records(members, stats), 1):
        if isinstance(record, Tweet):
            batch.add_tweet(record)
            summary.tweets += 1
        elif isinstance(record, Account):
            batch.add_account(record)
        else:
            rejects.add(record)
            if on_error == "fail":
                writer.wait()
                raise sources.reject_error(record)
        if len(batch) >= batch_rows:
            writer.submit(batch)
            batch = Batch()
        if progress is not None and seen % PROGRESS_EVERY == 0:
            progress.update("loading", stats.rows, total)
    writer.submit(batch)
    writer.wait()


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
