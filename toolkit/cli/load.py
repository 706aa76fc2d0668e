"""`infoops load`: input files -> the investigation graph, with a progress bar and a
summary table on stderr (the command prints no data, so stdout stays empty).

`--bulk` takes the other road for a first, big load: neo4j-admin import into the local
server's database (`toolkit.load.bulk`); everything after it loads online."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ..db.server import LocalServer
from ..errors import BadParameter
from ..inert import terminal_text
from ..load.summary import LoadSummary
from .progress import progress
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
    bulk: Annotated[
        bool,
        typer.Option("--bulk", help="First load of a big input into the local server "
                     "(infoops db start): neo4j-admin import, the database stopped meanwhile "
                     "and replaced. Later loads go without --bulk."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --bulk: replace a database that holds data.")
    ] = False,
) -> None:
    """Load IO-archive CSVs, API v1.1 JSON or API v2 (twarc2) JSONL into the graph.

    Example: infoops load china_082019_1_tweets_csv_hashed.csv --dataset china_082019_1
    """
    from ..load.bulk import bulk_load
    from ..load.loader import load_files

    if force and not bulk:
        raise BadParameter("--force", "only with --bulk (an online load never replaces data)")
    phases: dict[str, float] = {}
    with progress("load") as shown:
        if bulk:
            result = bulk_load(LocalServer(), state.settings(), files, fmt.value, dataset,
                               on_error.value, rejects, force=force, progress=shown)
            summary, phases = result.summary, result.phases
        else:
            summary = load_files(state.graph(), files, fmt.value, dataset, on_error.value,
                                 rejects, shown, batch_rows)
    for reason in summary.skipped:
        err.print(terminal_text(f"skipped {reason}"))
    err.print(summary_table(summary, phases))
    if summary.rejects_path is not None:
        err.print(terminal_text(f"{summary.rejected:,} rejected rows: {summary.rejects_path}"))


def summary_table(summary: LoadSummary, phases: dict[str, float] | None = None) -> Table:
    """Rows read and rejected, then what was created per node label and relationship type;
    for a bulk load, the seconds of each phase."""
    table = Table(title=Text(terminal_text(f"dataset {summary.dataset} ({summary.format})")),
                  title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("rows read", f"{summary.rows:,}")
    table.add_row("rows rejected", f"{summary.rejected:,}")
    if summary.decode_errors:
        table.add_row("invalid UTF-8 replaced", f"{summary.decode_errors:,}")
    table.add_row("tweets loaded", f"{summary.tweets:,}")
    table.add_row("accounts in dataset", f"{summary.accounts:,}")
    for label, n in summary.nodes.items():
        table.add_row(f"(:{label}) created", f"{n:,}")
    if summary.disclosed:
        table.add_row(":Disclosed labels added", f"{summary.disclosed:,}")
    for rel, n in summary.relationships.items():
        table.add_row(f"[:{rel}] created", f"{n:,}")
    for phase, seconds in (phases or {}).items():
        table.add_row(f"seconds: {phase}", f"{seconds:,.1f}")
    table.add_row("seconds", f"{summary.seconds:,.1f}")
    table.add_row("rows/s", f"{summary.rows_per_second:,.0f}")
    return table
