"""The database layer against a real server: status, schema, and the errors users meet."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import infoops

from toolkit.db.connect import Graph
from toolkit.db.schema import apply_schema, schema_statements
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.db.status import server_status
from toolkit.errors import (
    AuthFailed,
    CannotConnect,
    DatabaseUnavailable,
    ServerControlError,
)


def test_status_reports_version_and_edition(graph: Graph) -> None:
    info = server_status(graph)
    assert info.version.startswith("5.26.")
    assert info.edition == "community"
    assert info.nodes == 0


def test_status_command_never_prints_the_password(cli_env: dict[str, str]) -> None:
    result = infoops("db", "status", env=cli_env)
    assert "5.26." in result.stdout and "community" in result.stdout
    assert cli_env["NEO4J_PASSWORD"] not in result.stdout + result.stderr


def test_schema_is_idempotent(graph: Graph) -> None:
    before = graph.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"]
    apply_schema(graph)
    apply_schema(graph)
    after = graph.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"]
    constraints = [s for s in schema_statements() if s.startswith("CREATE CONSTRAINT")]
    assert before == after == len(constraints)
    names = {r["name"] for r in graph.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"account_userid", "tweet_tweetid", "url_url"} <= names


def test_wrong_password_is_one_clear_line(neo4j_settings: Settings,
                                          cli_env: dict[str, str]) -> None:
    bad = Settings(neo4j_settings.uri, neo4j_settings.user, "not-the-password", "neo4j")
    with pytest.raises(AuthFailed, match="refused user 'neo4j'"), Graph(bad) as g:
        g.verify()
    result = infoops("db", "status", env={**cli_env, "NEO4J_PASSWORD": "nope-nope"},
                     check=False)
    assert result.returncode == AuthFailed.exit_code
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "nope-nope" not in result.stderr


def test_unreachable_server(cli_env: dict[str, str]) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(CannotConnect, match="is it running"), \
            Graph(Settings(uri, "neo4j", "x", "neo4j")) as g:
        g.verify()
    result = infoops("db", "status", env={**cli_env, "NEO4J_URI": uri}, check=False)
    assert result.returncode == CannotConnect.exit_code
    assert result.stderr.startswith("error: cannot connect to Neo4j at " + uri)


def test_unknown_database(neo4j_settings: Settings, cli_env: dict[str, str]) -> None:
    result = infoops("db", "status", env={**cli_env, "NEO4J_DATABASE": "nosuchdb"},
                     check=False)
    assert result.returncode == DatabaseUnavailable.exit_code
    assert "'nosuchdb'" in result.stderr and "Traceback" not in result.stderr


def test_routing_uri_and_named_database(graph: Graph, neo4j_settings: Settings,
                                        cli_env: dict[str, str]) -> None:
    """Clusters and Aura are reached with neo4j:// (neo4j+s:// with TLS): the driver fetches
    a routing table for the named database and sends writes to its leader, reads to the
    other members. A single Neo4j 5 server answers routing too, so the path runs here:
    a write, a read, an unknown database, and the CLI through NEO4J_URI."""
    routed = replace(neo4j_settings, uri="neo4j://" + neo4j_settings.uri.split("://", 1)[1])
    with Graph(routed) as g:
        g.verify()
        g.write("CREATE (:RoutingProbe {n: 1})")
        assert g.read("MATCH (p:RoutingProbe) RETURN p.n AS n") == [{"n": 1}]
    with pytest.raises(DatabaseUnavailable, match="'nosuchdb'"), \
            Graph(replace(routed, database="nosuchdb")) as g:
        g.verify()
    result = infoops("db", "status", env={**cli_env, "NEO4J_URI": routed.uri})
    assert "5.26." in result.stdout and "community" in result.stdout


def test_debug_shows_the_traceback(cli_env: dict[str, str]) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = infoops("--debug", "db", "status", env={**cli_env, "NEO4J_URI": uri}, check=False)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_local_server_start_status_stop(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """A second server of our own: start, second start, password file, Browser, stop."""
    import urllib.request

    home = tmp_path / "home"
    server = LocalServer(home)
    config = ServerConfig(bolt_port=free_port(), http_port=free_port(), heap="512m",
                          pagecache="256m", tx_memory="300m")
    first = server.start(config)
    try:
        assert not first.already_running
        again = server.start(config)
        assert again.already_running and again.pid == first.pid
        other = free_port()
        with pytest.raises(ServerControlError, match=(
                f"already running from {home} on Bolt port {config.bolt_port} and HTTP port "
                f"{config.http_port}, not on {other}/{config.http_port} as asked: to move "
                "it, run infoops db stop, then infoops db start --bolt-port")):
            server.start(replace(config, bolt_port=other))
        moved = infoops("db", "start", "--home", str(home), "--bolt-port", str(other),
                        env=cli_env, check=False)
        assert moved.returncode == ServerControlError.exit_code
        assert moved.stderr.count("\n") == 1 and f"not on {other}/" in moved.stderr
        assert server.pid() == first.pid  # still running, on its own ports
        mode = stat.S_IMODE(os.stat(server.password_file).st_mode)
        assert mode == 0o600
        env = {k: v for k, v in cli_env.items() if not k.startswith("NEO4J_")}
        env["INFOOPS_NEO4J_HOME"] = str(home)
        status = infoops("db", "status", env=env)  # falls back to the local server's own
        assert config.bolt_uri in status.stdout
        assert server.password() not in status.stdout + status.stderr
        assert infoops("db", "password", env=env).stdout.strip() == server.password()
        with urllib.request.urlopen(config.browser_url, timeout=10) as page:
            assert page.status == 200 and b"Neo4j Browser" in page.read()
    finally:
        assert server.stop()
    assert server.pid() is None
    assert not _java_running_in(home)
    assert not server.stop()  # a second stop says nothing was running


def _java_running_in(home: Path) -> bool:
    """Whether any process still has the home on its command line (an orphan JVM)."""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(home).encode() in (proc / "cmdline").read_bytes():
                    return True
            except OSError:
                continue
    return False
