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
from release_files import (
    TruncatedRelease,
    write_hashed_users,
    write_spreadsheet_resaved,
    write_truncated_tweets,
)
from shared_data import shared_data

from toolkit.db.connect import Graph
from toolkit.db.schema import apply_schema
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.detect.events import Kind
from toolkit.detect.runs import DetectParams, detect
from toolkit.detect.writeback import delete_run
from toolkit.load.loader import load_files
from toolkit.sample import DEMO_SEED, GeneratedSample, SampleParams, generate

ROOT = Path(__file__).resolve().parent.parent


def _docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True)
    return probe.returncode == 0


# Neo4j Browser of the server the tests use, when known (tests/test_browser.py).
BROWSER_URL: dict[str, str] = {}


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
        BROWSER_URL["url"] = "http://127.0.0.1:7474/browser/"
        try:
            yield Settings("bolt://127.0.0.1:7687", "neo4j", password, "neo4j")
        finally:
            subprocess.run([*compose, "down", "-v"], check=False, env=env)
        return
    server = LocalServer(home=tmp_path_factory.mktemp("neo4j-home"))
    config = ServerConfig(bolt_port=free_port(), http_port=free_port(), heap="1g",
                          pagecache="512m", tx_memory="700m", guide_port=free_port())
    server.start(config)
    BROWSER_URL["url"] = config.browser_url
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


@pytest.fixture(scope="session")
def demo_sample(tmp_path_factory: pytest.TempPathFactory) -> GeneratedSample:
    """The bundled demo campaign (DEMO_SEED, 800 accounts, 14 days) with ground truth,
    generated once per session for the modules that query it."""
    return generate(tmp_path_factory.mktemp("demo"),
                    SampleParams(seed=DEMO_SEED, accounts=800, days=14))


_SIZE = ("MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() "
         "WITH nodes, count(r) AS rels OPTIONAL MATCH (d:Dataset) "
         "RETURN nodes, rels, collect(d.name) AS datasets")
_demo_size: dict[Path, tuple[int, int]] = {}


def load_demo(graph: Graph, sample: GeneratedSample) -> None:
    """Make the database hold exactly the demo sample (dataset 'demo'). Loading costs
    seconds, so a database the previous module left as loaded (same dataset, same node
    and relationship counts) is reused."""
    now = graph.read(_SIZE)[0]
    if now["datasets"] == ["demo"] and \
            (now["nodes"], now["rels"]) == _demo_size.get(sample.out_dir):
        return
    empty_database(graph)
    load_files(graph, [sample.out_dir], "auto", "demo", "skip",
               sample.out_dir / "rejects.csv", None)
    now = graph.read(_SIZE)[0]
    _demo_size[sample.out_dir] = (now["nodes"], now["rels"])


# --- files with the real releases' quirks: written here, and the real samples beside them --

RUSSIA_SAMPLE = "io-russia-201901-sample/speed_layer_sample.csv"
CHINA_USERS = "io-china-082019-1-users/china_082019_1_users_csv_hashed.csv"
FIVETHIRTYEIGHT = "fivethirtyeight-ira-sample-excel/IRAhandle_tweets_sample.csv"


@pytest.fixture(params=["generated", "real"])
def truncated_tweets(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> TruncatedRelease:
    """An IO-archive tweets file whose last row is cut off: one the tests write, and the
    real Russia 2019 sample (its cut row: line 998, tweet 929990851115212800)."""
    if request.param == "generated":
        folder = tmp_path_factory.mktemp("truncated")
        return write_truncated_tweets(folder / "generated_012019_tweets_csv_hashed.csv")
    return TruncatedRelease.read(shared_data(RUSSIA_SAMPLE), 998, "929990851115212800")


@pytest.fixture(params=["generated", "real"])
def hashed_users(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A users file of a hashed release: one the tests write, and the real China 2019 set 1."""
    if request.param == "generated":
        folder = tmp_path_factory.mktemp("users")
        return write_hashed_users(folder / "china_082019_1_users_csv_hashed.csv").path
    return shared_data(CHINA_USERS)


@pytest.fixture(params=["generated", "real"])
def resaved_file(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tweets file a spreadsheet re-saved (ids in scientific notation): one the tests
    write, and the real FiveThirtyEight sample."""
    if request.param == "generated":
        return write_spreadsheet_resaved(tmp_path_factory.mktemp("resaved")
                                         / "IRAhandle_tweets_resaved.csv")
    return shared_data(FIVETHIRTYEIGHT)


@pytest.fixture(scope="module")
def demo_with_ring(graph_session: Graph, demo_sample: GeneratedSample) -> Iterator[str]:
    """The demo sample with one co-retweet detection run (its planted ring found), for
    the modules that look at rings; yields the run_id. The run is deleted afterwards, so
    `load_demo` in later modules finds the plain demo and does not reload it."""
    load_demo(graph_session, demo_sample)
    run = detect(graph_session, DetectParams(Kind.CO_RETWEET))
    try:
        yield run.run_id
    finally:
        delete_run(graph_session, run.run_id)
