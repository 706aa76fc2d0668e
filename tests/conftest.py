"""A real Neo4j for the tests: `NEO4J_URI` when set, else Docker when an engine answers,
else a throw-away local server started (and stopped) for this test session."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.db.connect import Graph
from toolkit.db.schema import apply_schema
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    if os.environ.get("NEO4J_URI"):
        yield Settings.resolve()
        return
    if _docker_engine():
        password = secrets.token_hex(12)
        env = {**os.environ, "NEO4J_PASSWORD": password}
        compose = ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "-p",
                   "infoops-test"]
        subprocess.run([*compose, "up", "-d", "--wait"], check=True, env=env)
        try:
            yield Settings("bolt://127.0.0.1:7687", "neo4j", password, "neo4j")
        finally:
            subprocess.run([*compose, "down", "-v"], check=False, env=env)
        return
    server = LocalServer(home=tmp_path_factory.mktemp("neo4j-home"))
    config = ServerConfig(bolt_port=free_port(), http_port=free_port(), heap="1g",
                          pagecache="512m", tx_memory="700m")
    server.start(config)
    try:
        yield Settings(config.bolt_uri, "neo4j", server.password(), "neo4j")
    finally:
        server.stop()


@pytest.fixture(scope="session")
def graph_session(neo4j_settings: Settings) -> Iterator[Graph]:
    with Graph(neo4j_settings) as graph:
        graph.verify()
        apply_schema(graph)
        yield graph


def empty_database(graph: Graph) -> None:
    """Delete every node in batches (the schema stays), so each test starts clean."""
    with graph.driver.session(database=graph.database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


@pytest.fixture
def graph(graph_session: Graph) -> Graph:
    """An empty database with the schema in place."""
    empty_database(graph_session)
    return graph_session


@pytest.fixture
def cli_env(neo4j_settings: Settings) -> dict[str, str]:
    """Environment for running the real `infoops` command against the test server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo4j_settings.uri, NEO4J_USER=neo4j_settings.user,
               NEO4J_PASSWORD=neo4j_settings.password or "",
               NEO4J_DATABASE=neo4j_settings.database, COLUMNS="120")
    return env
