"""`infoops report`: the offline HTML report of the graph, with a step bar on stderr and
the path of the written file at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..report import ReportOptions, build_report
from ..report.collect import STEPS
from .state import err, state


@contextmanager
def step_bar(title: str, steps: Sequence[str]) -> Iterator[Callable[[str], None] | None]:
    """A bar over named steps on stderr; yields a callback taking the step about to run,
    or None when quiet or when stderr is not a terminal."""
    if state.quiet or not err.is_terminal:
        yield None
        return
    columns = (TextColumn(title), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[step]}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(title, total=len(steps), step="")
        seen: list[str] = []

        def tell(step: str) -> None:
            if seen:
                bar.advance(task)
            seen.append(step)
            bar.update(task, step=step)

        yield tell


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"),
    dataset: Annotated[
        str | None, typer.Option(help="Only this dataset (default: every dataset).")
    ] = None,
    run: Annotated[
        str | None,
        typer.Option("--run", help="Detection run whose rings to show (default: the newest)."),
    ] = None,
    tz: Annotated[
        str, typer.Option("--tz", help="Time zone of the second activity view (IANA name, "
                                       "e.g. Asia/Shanghai).")
    ] = "UTC",
    office_tz: Annotated[
        str, typer.Option("--office-tz", help="Time zone whose office hours the account "
                                              "changes are tested against (IANA name).")
    ] = "Asia/Shanghai",
    top: Annotated[int, typer.Option(help="Entries in each top list.", min=1)] = 20,
    rings: Annotated[int, typer.Option(help="Rings shown, best score first.", min=0)] = 10,
) -> None:
    """Write one self-contained HTML report (works offline): overview, activity in UTC and
    --tz, account creation bursts, apps, hashtags, domains, URLs, accounts that came back
    changed from a long silence, and the rings of a detection run with their evidence,
    each with the queries that produced it.

    Example: infoops report --tz Asia/Shanghai --out report.html
    """
    options = ReportOptions(dataset=dataset, run_id=run, tz=tz, top=top, rings=rings,
                            office_tz=office_tz)
    options.validate()  # a bad --tz fails before connecting
    with step_bar("report", STEPS) as progress:
        result = build_report(state.graph(), out, options, progress)
    run_note = f", rings of run {result.run_id}" if result.run_id else ", no detection run"
    err.print(f"report written to {result.path} ({result.bytes / 1024:,.0f} KiB, "
              f"{result.queries} queries{run_note})", highlight=False, soft_wrap=True)
