"""`infoops load`: input files -> the investigation graph, with a progress bar and a
summary table on stderr (the command prints no data, so stdout stays empty)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..load.loader import Progress as ProgressCallback
from ..load.loader import load_files
from ..load.summary import LoadSummary
from .state import err, state


class InputFormat(StrEnum):
    auto = "auto"
    io_archive = "io-archive"
    v1 = "v1"
    v2 = "v2"


class OnError(StrEnum):
    skip = "skip"
    fail = "fail"


def load(
    files: Annotated[list[Path], typer.Argument(help="Files, directories, .zip or .gz.")],
    fmt: Annotated[InputFormat, typer.Option("--format", help="Input format.")] = (
        InputFormat.auto
    ),
    dataset: Annotated[
        str | None,
        typer.Option(help="Dataset name (default: the first file's name, e.g. china_082019_1)."),
    ] = None,
    on_error: Annotated[
        OnError, typer.Option(help="skip: report bad rows and go on; fail: stop at the first.")
    ] = OnError.skip,
    rejects: Annotated[
        Path | None, typer.Option(help="Rejects report (default <dataset>.rejects.csv).")
    ] = None,
    batch_rows: Annotated[int, typer.Option(help="Records per write batch.", min=1)] = 20_000,
) -> None:
    """Load IO-archive CSVs, API v1.1 JSON or API v2 (twarc2) JSONL into the graph.

    Example: infoops load china_082019_1_tweets_csv_hashed.csv --dataset china_082019_1
    """
    graph = state.graph()
    with _progress_bar() as progress:
        summary = load_files(graph, files, fmt.value, dataset, on_error.value, rejects,
                             progress, batch_rows)
    for reason in summary.skipped:
        err.print(f"skipped {reason}", highlight=False)
    err.print(summary_table(summary))
    if summary.rejects_path is not None:
        err.print(f"{summary.rejected:,} rejected rows: {summary.rejects_path}", highlight=False)


@contextmanager
def _progress_bar() -> Iterator[ProgressCallback | None]:
    """A rows/rate/ETA bar on stderr; None (no bar) when quiet or stderr is not a terminal."""
    if state.quiet or not err.is_terminal:
        yield None
        return
    columns = (TextColumn("loading"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} rows/s"), TimeElapsedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("load", total=None, rate="-")

        def update(rows: int, total: int | None) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=rows, total=max(total, rows) if total else None,
                       rate=f"{speed:,.0f}" if speed else "-")

        yield update


def summary_table(summary: LoadSummary) -> Table:
    """Rows read and rejected, then what was created per node label and relationship type."""
    table = Table(title=f"dataset {summary.dataset} ({summary.format})", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("rows read", f"{summary.rows:,}")
    table.add_row("rows rejected", f"{summary.rejected:,}")
    table.add_row("tweets loaded", f"{summary.tweets:,}")
    table.add_row("accounts in dataset", f"{summary.accounts:,}")
    for label, n in summary.nodes.items():
        table.add_row(f"(:{label}) created", f"{n:,}")
    if summary.disclosed:
        table.add_row(":Disclosed labels added", f"{summary.disclosed:,}")
    for rel, n in summary.relationships.items():
        table.add_row(f"[:{rel}] created", f"{n:,}")
    table.add_row("seconds", f"{summary.seconds:,.1f}")
    table.add_row("rows/s", f"{summary.rows_per_second:,.0f}")
    return table
