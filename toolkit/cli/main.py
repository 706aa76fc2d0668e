"""The `infoops` command: global options, the command groups, and the one exit point
that turns a `InfoopsError` into one line on stderr and its exit code."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.text import Text

from .. import __version__
from ..errors import InfoopsError
from ..inert import terminal_text
from . import browser, db, detect, export, query, rings, sample
from .demo import demo
from .load import load
from .report import report
from .state import err, state

app = typer.Typer(
    name="infoops",
    help="Investigate information operations on social media with a Neo4j graph.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
)
app.add_typer(db.app, name="db", rich_help_panel="Set-up")
app.command(rich_help_panel="Set-up")(demo)
app.command(rich_help_panel="Data")(load)
app.add_typer(sample.app, name="sample", rich_help_panel="Data")
app.add_typer(query.queries_app, name="queries", rich_help_panel="Investigate")
app.add_typer(query.app, name="query", rich_help_panel="Investigate")
app.add_typer(detect.app, name="detect", rich_help_panel="Investigate")
app.add_typer(rings.app, name="rings", rich_help_panel="Investigate")
app.add_typer(browser.app, name="browser", rich_help_panel="Investigate")
app.command(rich_help_panel="Outputs")(report)
app.add_typer(export.app, name="export", rich_help_panel="Outputs")


def _version(value: bool) -> None:
    if value:
        print(f"infoops {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    uri: Annotated[str | None, typer.Option(help="Bolt URI.", envvar="NEO4J_URI")] = None,
    user: Annotated[str | None, typer.Option(help="Neo4j user.", envvar="NEO4J_USER")] = None,
    password: Annotated[
        str | None,
        typer.Option(help="Neo4j password (prefer the env var).", envvar="NEO4J_PASSWORD",
                     show_envvar=True, show_default=False),
    ] = None,
    database: Annotated[
        str | None, typer.Option(help="Database name.", envvar="NEO4J_DATABASE")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Connection options apply to every command; without them infoops uses the NEO4J_*
    variables, then the local server started by `infoops db start`."""
    state.uri, state.user, state.password, state.database = uri, user, password, database
    state.debug, state.quiet = debug, quiet


INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run() -> None:
    """Console-script entry point: the one place an error becomes a line and an exit code.
    The line is printed inert (`terminal_text`): messages quote file names and values from
    the data, and a message is always one line."""
    try:
        app()
    except InfoopsError as e:
        if state.debug:
            raise
        err.print(Text("error:", style="red") + Text(" " + terminal_text(e)), soft_wrap=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:  # Ctrl-C outside a command (typer handles it inside one)
        _interrupted()
    except SystemExit as e:  # typer turns Ctrl-C in a command into exit 130, silently
        if e.code == INTERRUPTED:
            _interrupted()
        raise
    finally:
        state.close()


def _interrupted() -> None:
    err.print(Text("interrupted", style="yellow"))
    sys.exit(INTERRUPTED)
