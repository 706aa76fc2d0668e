"""`infoops db`: the local Neo4j server and the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..db import server as srv
from ..db.schema import apply_schema
from ..db.status import server_status
from ..errors import ServerControlError
from .state import err, out, state

app = typer.Typer(help="Start, stop and inspect the local Neo4j server; apply the schema.",
                  no_args_is_help=True)

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Server home (default $INFOOPS_NEO4J_HOME or ~/.infoops/neo4j)."),
]


@app.command()
def start(
    home: HomeOption = None,
    bolt_port: Annotated[int, typer.Option(help="Bolt port.")] = 7687,
    http_port: Annotated[int, typer.Option(help="HTTP port (Neo4j Browser).")] = 7474,
    heap: Annotated[str, typer.Option(help="JVM heap, e.g. 2g.")] = "2g",
    pagecache: Annotated[str, typer.Option(help="Page cache, e.g. 1g.")] = "1g",
    guide_port: Annotated[int, typer.Option(help="Port of `infoops browser serve`, which "
                                            "Browser's start page loads.")] = 7480,
) -> None:
    """Start the local Neo4j (fetching its jars with Maven on first use).

    Example: infoops db start --bolt-port 7688 --http-port 7475
    """
    server = srv.LocalServer(home)
    config = srv.ServerConfig(bolt_port=bolt_port, http_port=http_port, heap=heap,
                              pagecache=pagecache, guide_port=guide_port)
    with err.status("starting Neo4j (the first start fetches ~200 MB of jars)…"):
        result = server.start(config)
    verb = "already running" if result.already_running else f"started in {result.seconds:.0f} s"
    err.print(f"Neo4j {srv.NEO4J_VERSION} {verb} (pid {result.pid}, home {server.home})")
    err.print(f"  Bolt:    {result.config.bolt_uri}   user {srv.DEFAULT_USER}")
    err.print(f"  Browser: {result.config.browser_url}")
    err.print("  password: infoops db password")
    err.print(f"  start page (guide, style): infoops browser serve --port "
              f"{result.config.guide_port}")


@app.command()
def stop(home: HomeOption = None) -> None:
    """Stop the local Neo4j (SIGTERM, then wait).

    Example: infoops db stop
    """
    server = srv.LocalServer(home)
    if server.stop():
        err.print("Neo4j stopped")
    else:
        err.print("Neo4j was not running")


@app.command()
def status() -> None:
    """Server version, edition, database and counts, or why it cannot be reached.

    Example: infoops db status
    """
    settings = state.settings()
    info = server_status(state.graph())
    out.print(f"uri:       {settings.uri}")
    out.print(f"user:      {settings.user}")
    out.print(f"database:  {settings.database}")
    out.print(f"server:    {info.name} {info.version} ({info.edition})")
    out.print(f"nodes:     {info.nodes:,}")
    out.print(f"relationships: {info.relationships:,}")


@app.command()
def init() -> None:
    """Create the constraints and indexes of the graph model (idempotent).

    Example: infoops db init
    """
    n = apply_schema(state.graph())
    err.print(f"schema in place ({n} constraints and indexes)")


@app.command()
def password(home: HomeOption = None) -> None:
    """Print the generated password of the local server (only on request).

    Example: export NEO4J_PASSWORD=$(infoops db password)
    """
    server = srv.LocalServer(home)
    pw = server.password()
    if pw is None:
        raise ServerControlError(f"no password yet in {server.home}: run infoops db start")
    print(pw)
