"""`infoops browser guide|style|favorites|serve`: the catalogue inside Neo4j Browser."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from ..db.server import LocalServer
from ..queries.catalog import load_catalog
from ..report import browser
from .state import err

app = typer.Typer(help="Neo4j Browser: a guide of the queries, a stylesheet, favorites.",
                  no_args_is_help=True)

Out = Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default "
                                          "stdout).")]
QueriesDir = Annotated[list[Path] | None, typer.Option(
    "--queries-dir", help="Extra folder of .cypher queries (repeatable).",
    show_default=False)]


def _emit(text: str, out: Path | None) -> None:
    if out is None or str(out) == "-":
        print(text, end="")
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}", highlight=False)


@app.command()
def guide(out: Out = None, queries_dir: QueriesDir = None) -> None:
    """Write the Browser guide (a slide per query, with parameters that start from the data).

    Example: infoops browser guide --out infoops.html   (then: infoops browser serve)
    """
    _emit(browser.guide_html(load_catalog(queries_dir or ())), out)


@app.command()
def style(out: Out = None) -> None:
    """Write the GraSS stylesheet (drag it onto Browser, or :style URL via serve).

    Example: infoops browser style --out infoops.grass
    """
    _emit(browser.grass(), out)


@app.command()
def favorites(
    out: Annotated[Path, typer.Option("--out", "-o", help="Zip to write.")] = Path(
        browser.FAVORITES_FILE),
    queries_dir: QueriesDir = None,
) -> None:
    """Write the queries as a favorites zip: drag it onto the Browser window to import it.

    Each favorite runs alone, its parameters written in as defaults; numbered as the guide.

    Example: infoops browser favorites --out infoops-favorites.zip
    """
    out.write_bytes(browser.favorites_zip(load_catalog(queries_dir or ())))
    err.print(f"wrote {out}", highlight=False)


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(
        help="Port on 127.0.0.1 (default: the one the local server's start page loads, "
             f"else {browser.DEFAULT_PORT}).", show_default=False)] = None,
    queries_dir: QueriesDir = None,
) -> None:
    """Serve guide, style and favorites on 127.0.0.1: Browser's start page (Ctrl-C stops).

    A server started by `infoops db start` (or docker-compose.yml) opens them when Browser
    connects; on any other server run the two commands this prints.

    Example: infoops browser serve
    """
    catalog = load_catalog(queries_dir or ())
    local = LocalServer().config()
    port = port if port is not None else local.guide_port if local else browser.DEFAULT_PORT
    with tempfile.TemporaryDirectory(prefix="infoops-browser-") as tmp, \
            browser.serving(Path(tmp), port) as url:
        browser.write_bundle(catalog, Path(tmp), url)
        err.print(f"In Neo4j Browser run (a server configured with the start page does it "
                  f"on connect):\n  :style {url}/{browser.STYLE_FILE}\n"
                  f"  :guide {url}/{browser.GUIDE_FILE}\n"
                  f"favorites zip (drag it onto Browser): {url}/{browser.FAVORITES_FILE}\n"
                  "Ctrl-C stops.", highlight=False)
        while True:
            time.sleep(3600)
