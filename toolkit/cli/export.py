"""`infoops export gexf|graphml`: account networks for Gephi and networkx."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..inert import terminal_text
from .progress import progress
from .state import err, state

app = typer.Typer(help="Export account networks for Gephi (GEXF 1.3) or GraphML.",
                  no_args_is_help=True)


class What(StrEnum):
    coordination = "coordination"
    retweets = "retweets"
    mentions = "mentions"
    rings = "rings"


WhatOption = Annotated[
    What, typer.Option("--what", help="coordination or rings (edges of a detection run), "
                                      "retweets or mentions (account to account).")]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="File to write.")]
RunOption = Annotated[
    str | None, typer.Option("--run", help="Detection run (default: the newest); also names "
                                           "the ring of each node.")]
DatasetOption = Annotated[
    str | None, typer.Option(help="Only tweets of this dataset (retweets, mentions).")]


def _export(fmt: str, what: What, out: Path, run: str | None, dataset: str | None) -> None:
    from ..report import export_network

    with progress(f"export {what.value}", ("edges", "nodes", "write")) as shown:
        result = export_network(state.graph(), what.value, fmt, out, run_id=run,
                                dataset=dataset, progress=shown)
    run_note = f" (run {result.run_id})" if result.run_id else ""
    err.print(terminal_text(f"{result.format} written to {result.path}: {result.nodes:,} "
                            f"nodes, {result.edges:,} edges{run_note}"), soft_wrap=True)


@app.command()
def gexf(what: WhatOption, out: OutOption, run: RunOption = None,
         dataset: DatasetOption = None) -> None:
    """GEXF 1.3 with node and edge attributes and edge times for Gephi's timeline.

    Example: infoops export gexf --what coordination --out coordination.gexf
    """
    _export("gexf", what, out, run, dataset)


@app.command()
def graphml(what: WhatOption, out: OutOption, run: RunOption = None,
            dataset: DatasetOption = None) -> None:
    """GraphML with typed node and edge attributes (networkx, Gephi, yEd, igraph).

    Example: infoops export graphml --what retweets --out retweets.graphml
    """
    _export("graphml", what, out, run, dataset)
