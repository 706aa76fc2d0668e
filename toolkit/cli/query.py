"""`infoops queries list` and `infoops query show|run|batch`: the packaged catalogue and
the user's own queries, run read-only into tables or files."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from ..errors import BadParameter
from ..queries.batch import plan, run_batch
from ..queries.catalog import Catalog, Query, load_catalog, parse_file
from ..queries.docs import catalog_markdown, show_text
from ..queries.formats import Format, rich_table, write_frames
from ..queries.params import parse_assignments
from ..queries.runner import iter_frames, prepare
from .state import err, out, state

queries_app = typer.Typer(help="The catalogue of packaged queries.", no_args_is_help=True)
app = typer.Typer(help="Show and run packaged or your own read-only Cypher queries.",
                  no_args_is_help=True)

QueriesDir = Annotated[
    list[Path] | None,
    typer.Option("--queries-dir", help="Extra folder of .cypher queries (repeatable; also "
                 "$INFOOPS_QUERIES, a path list).", show_default=False),
]
Timeout = Annotated[
    float | None, typer.Option("--timeout", min=0.001,
                               help="Seconds before the server aborts the query.")
]


class ListFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"


def _catalog(dirs: list[Path] | None) -> Catalog:
    return load_catalog(dirs or ())


@queries_app.command("list")
def list_queries(
    category: Annotated[str | None, typer.Option("--category", "-c",
                                                 help="Only this category.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="table, or markdown for "
                                            "docs/queries.md.")] = ListFormat.TABLE,
    queries_dir: QueriesDir = None,
) -> None:
    """List the queries by category.

    Example: infoops queries list --category amplification
    """
    catalog = _catalog(queries_dir)
    if fmt is ListFormat.MARKDOWN:
        print(catalog_markdown(catalog), end="")
        return
    rows = [{"name": q.name, "category": q.category, "result": q.result, "surfaces": q.title,
             "parameters": " ".join(p.name for p in q.params)}
            for q in catalog.in_category(category)]
    out.print(rich_table(pd.DataFrame(rows), title="infoops queries"))


@app.command()
def show(name: Annotated[str, typer.Argument(help="Query name.")],
         queries_dir: QueriesDir = None) -> None:
    """Print a query's description, parameters and Cypher.

    Example: infoops query show co-retweet-pairs
    """
    print(show_text(_catalog(queries_dir).get(name)), end="")


@app.command()
def run(
    name: Annotated[str | None, typer.Argument(help="Query name (or use --file).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE, typed and checked against the header.")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", help="Run your own .cypher file (same header format).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write to this file ('-' is stdout).")] = None,
    timeout: Timeout = None,
    queries_dir: QueriesDir = None,
) -> None:
    """Run a query read-only; results stream to --out.

    Example: infoops query run co-retweet-pairs -p window_s=30 --format csv --out pairs.csv
    """
    query = _pick(name, file, queries_dir)
    prepared = prepare(query, parse_assignments(param or []))
    t0 = time.monotonic()
    rows = write_frames(iter_frames(state.graph(), prepared, timeout=timeout), fmt, out_file,
                        title=query.title)
    if not state.quiet:
        where = f" → {out_file}" if out_file and str(out_file) != "-" else ""
        err.print(f"{query.name}: {rows:,} rows in {time.monotonic() - t0:.1f} s{where}",
                  highlight=False)


@app.command()
def batch(
    spec: Annotated[Path, typer.Argument(help="TOML file listing [[query]] steps.")],
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Folder for the results "
                                          "and manifest.json.")] = Path("results"),
    fmt: Annotated[Format | None, typer.Option(
        "--format", help="Override the file's format for every step.")] = None,
    timeout: Timeout = None,
    queries_dir: QueriesDir = None,
) -> None:
    """Run a scripted investigation: every step of SPEC into a folder of results.

    Example: infoops query batch investigation.toml --out-dir results/
    """
    steps = plan(spec, _catalog(queries_dir), fmt=fmt, timeout=timeout)
    results = run_batch(state.graph(), steps, out_dir)
    if not state.quiet:
        for result in results:
            err.print(f"{result.name}: {result.rows:,} rows in {result.seconds:.1f} s → "
                      f"{result.file}", highlight=False)


def _pick(name: str | None, file: Path | None, dirs: list[Path] | None) -> Query:
    if (name is None) == (file is None):
        raise BadParameter("NAME", "give a query name or --file FILE (not both)")
    return parse_file(file) if file is not None else _catalog(dirs).get(name or "")
