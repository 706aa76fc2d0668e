"""`infoops report`: the offline HTML report of the graph, with a step bar on stderr and
the path of the written file at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..inert import terminal_text
from .progress import progress
from .state import err, state


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
    from ..report import ReportOptions, build_report
    from ..report.collect import STEPS

    options = ReportOptions(dataset=dataset, run_id=run, tz=tz, top=top, rings=rings,
                            office_tz=office_tz)
    options.validate()  # a bad --tz fails before connecting
    with progress("report", STEPS) as shown:
        result = build_report(state.graph(), out, options, shown)
    run_note = f", rings of run {result.run_id}" if result.run_id else ", no detection run"
    err.print(terminal_text(f"report written to {result.path} ({result.bytes / 1024:,.0f} "
                            f"KiB, {result.queries} queries{run_note})"), soft_wrap=True)
