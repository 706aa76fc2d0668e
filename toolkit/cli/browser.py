"""`infoops browser guide|style|favorites|serve`: the catalogue inside Neo4j Browser."""

from __future__ import annotations

import signal
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from ..inert import terminal_text
from ..outfile import write_bytes, write_text
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
        write_text(out, text)
        err.print(terminal_text(f"wrote {out}"))


@app.command()
def guide(out: Out = None, queries_dir: QueriesDir = None) -> None:
    """Write the Browser guide (one slide per query, runnable with its defaults).

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
    """Write the queries as a favorites zip (Browser: Favorites → Import).

    Example: infoops browser favorites --out infoops-favorites.zip
    """
    write_bytes(out, browser.favorites_zip(load_catalog(queries_dir or ())))
    err.print(terminal_text(f"wrote {out}"))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = browser.DEFAULT_PORT,
    queries_dir: QueriesDir = None,
) -> None:
    """Serve guide, style and favorites on 127.0.0.1 for :play and :style (Ctrl-C stops).

    Example: infoops browser serve --port 7480
    """
    catalog = load_catalog(queries_dir or ())
    # SIGTERM (`kill`, a service manager) stops it cleanly (exit 0): the `with` blocks
    # unwind, so the server closes and the temporary folder is removed.
    signal.signal(signal.SIGTERM, _stop)
    with tempfile.TemporaryDirectory(prefix="infoops-browser-") as tmp:
        browser.write_bundle(catalog, Path(tmp))
        with browser.serving(Path(tmp), port) as url:
            err.print(f"In Neo4j Browser run:\n  :play {url}/{browser.GUIDE_FILE}\n"
                      f"  :style {url}/{browser.STYLE_FILE}\n"
                      f"favorites zip: {url}/{browser.FAVORITES_FILE}\nCtrl-C stops.",
                      highlight=False)
            while True:
                time.sleep(3600)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise typer.Exit(0)
