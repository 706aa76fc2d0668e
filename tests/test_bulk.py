"""Bulk import (`toolkit.load.bulk`) builds the same graph as the online loader.

The online side loads into the session's test server; the bulk side needs a server it may
stop and replace, so it gets one of its own (`INFOOPS_BULK_TEST_HOME` names an existing
home to reuse, e.g. a developer's running server; otherwise a throw-away one). Both graphs
are dumped whole (labels, every property, every relationship with its ends) and compared.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from toolkit.db.connect import Graph
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.errors import BadParameter, ServerControlError
from toolkit.load import bulk
from toolkit.load.bulk import bulk_load
from toolkit.load.loader import load_files
from toolkit.sample import SampleParams, generate

ROOT = Path(__file__).resolve().parent.parent
RUSSIA = (ROOT.parent / "shared" / "data" / "real" / "io-russia-201901-sample"
          / "speed_layer_sample.csv")


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Settings,
                ) -> Iterator[tuple[LocalServer, Settings]]:
    """A server the bulk import may stop and overwrite, never the session's."""
    reuse = os.environ.get("INFOOPS_BULK_TEST_HOME")
    server = LocalServer(home=Path(reuse) if reuse else tmp_path_factory.mktemp("bulk-home"))
    config = server.config() if reuse else None
    config = config or ServerConfig(bolt_port=free_port(), http_port=free_port(), heap="1g",
                                    pagecache="512m", tx_memory="700m")
    if neo4j_settings.uri == config.bolt_uri:
        pytest.fail("INFOOPS_BULK_TEST_HOME is the session's server (NEO4J_URI): the bulk "
                    "side would overwrite the online side; give another home")
    started = server.pid() is None
    server.start(config)
    try:
        yield server, Settings(config.bolt_uri, "neo4j", server.password(), "neo4j")
    finally:
        if started:
            server.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("sample")
    made = generate(out, SampleParams(accounts=300, days=5, name="bulkeq"))
    return [made.files["tweets"], made.files["users"]]


def dump(graph: Graph) -> dict[str, Any]:
    """Everything in the graph, comparable across servers: label and type counts, every
    node's labels and properties (repr, so types and time zones count; a Dataset's
    `loaded_at` excepted), every relationship by type and end keys (with multiplicity)."""
    key = "coalesce(a.userid, a.tweetid, a.url, a.name)"
    labels = graph.read("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")
    types = graph.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read("MATCH (a)-[r]->(b) WITH r, " + key + " AS a, "
                      "coalesce(b.userid, b.tweetid, b.url, b.name) AS b "
                      "RETURN type(r) AS t, a, b")
    return {
        "labels": {r["l"]: r["n"] for r in labels},
        "types": {r["t"]: r["n"] for r in types},
        "nodes": Counter(
            (tuple(sorted(r["labels"])),
             tuple(sorted((k, repr(v)) for k, v in r["props"].items() if k != "loaded_at")))
            for r in nodes),
        "rels": Counter((r["t"], r["a"], r["b"]) for r in rels),
    }


def assert_same(online: dict[str, Any], bulk_dump: dict[str, Any]) -> None:
    assert bulk_dump["labels"] == online["labels"]
    assert bulk_dump["types"] == online["types"]
    only_online = list((online["nodes"] - bulk_dump["nodes"]).elements())[:3]
    only_bulk = list((bulk_dump["nodes"] - online["nodes"]).elements())[:3]
    assert only_online == only_bulk == []
    assert bulk_dump["rels"] == online["rels"]


def both_ways(graph: Graph, bulk_server: tuple[LocalServer, Settings], paths: list[Path],
              tmp_path: Path, **options: Any) -> tuple[Any, Any]:
    online = load_files(graph, paths, dataset="eq", rejects_path=tmp_path / "online.csv")
    server, settings = bulk_server
    result = bulk_load(server, settings, paths, dataset="eq", force=True,
                       rejects_path=tmp_path / "bulk.csv", **options)
    with Graph(settings) as bulk_graph:
        assert_same(dump(graph), dump(bulk_graph))
    reports = [tmp_path / "online.csv", tmp_path / "bulk.csv"]
    assert [p.read_text() if p.exists() else None for p in reports] == [
        reports[0].read_text() if reports[0].exists() else None] * 2
    return online, result.summary


def test_bulk_import_builds_the_online_graph(graph: Graph, bulk_server: tuple[LocalServer,
                                                                               Settings],
                                             sample: list[Path], tmp_path: Path) -> None:
    """A generated campaign plus a real Russia IO-archive sample (quotes of tweets not in
    the file become stubs; its truncated last row is rejected), read by two workers."""
    paths = [*sample, RUSSIA]
    online, summary = both_ways(graph, bulk_server, paths, tmp_path, workers=2)
    assert summary.rejected == online.rejected == 1
    for name in ("rows", "tweets", "accounts", "nodes", "relationships", "disclosed"):
        assert getattr(summary, name) == getattr(online, name), name
    assert summary.nodes["Tweet"] > summary.tweets - 10  # stubs of the quoted tweets


def test_duplicate_tweets_merge_as_online(graph: Graph, bulk_server: tuple[LocalServer,
                                                                            Settings],
                                          sample: list[Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Tweets repeated in a later file, with other counts: two workers would each write
    them, so conversion reruns in one process; small batches send the repeats through
    the online writer after the import. Either way the last value wins, as online."""
    with open(sample[0], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:200]
    likes = header.index("like_count")
    repeats = tmp_path / "repeats_tweets_csv_hashed.csv"
    with open(repeats, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *(replace_cell(r, likes, "777") for r in body)])
    monkeypatch.setattr(bulk, "BATCH_ROWS", 500)
    online, summary = both_ways(graph, bulk_server, [sample[0], repeats], tmp_path, workers=2)
    assert summary.nodes == online.nodes
    with Graph(bulk_server[1]) as bulk_graph:
        liked = bulk_graph.read("MATCH (t:Tweet {like_count: 777}) RETURN count(t) AS n")
    assert liked[0]["n"] == len(body)


def replace_cell(row: list[str], index: int, value: str) -> list[str]:
    return [value if i == index else cell for i, cell in enumerate(row)]


def test_bulk_refuses_other_targets(bulk_server: tuple[LocalServer, Settings],
                                    sample: list[Path]) -> None:
    server, settings = bulk_server
    remote = replace(settings, uri="neo4j+s://abc123.databases.neo4j.io")
    with pytest.raises(ServerControlError, match="is not it: load remote servers"):
        bulk_load(server, remote, sample)
    with pytest.raises(BadParameter, match="Community has one database"):
        bulk_load(server, replace(settings, database="other"), sample)
    with Graph(settings) as g:
        g.write("CREATE (:Probe)")
    with pytest.raises(ServerControlError, match=r"already holds .* nodes; .*--force"):
        bulk_load(server, settings, sample)
