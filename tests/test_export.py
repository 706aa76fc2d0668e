"""Gephi exports: GEXF 1.3 and GraphML written from the fixture graph load in networkx with
the expected nodes, edges, attributes, times and provenance stamp."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from test_report import HOSTILE_NAME, make_fixture
from typer.testing import CliRunner

from toolkit import __version__
from toolkit.db.connect import Graph
from toolkit.errors import BadParameter
from toolkit.report import export_network
from toolkit.report.writers import Network, write_gexf, write_graphml

# what -> (nodes, edges, directed) in the fixture graph
EXPECTED = {
    "coordination": (7, 11, False),  # ring u1..u5 (10 pairs) + the pair u6-u7
    "rings": (7, 11, False),
    "retweets": (6, 5, True),  # u1..u5 -> src
    "mentions": (8, 7, True),  # u1..u5 -> src, u6 and u7 -> u1
}


@pytest.fixture
def fixture_graph(graph: Graph) -> Graph:
    make_fixture(graph)
    return graph


def _read(path: Path, fmt: str) -> nx.Graph:
    return nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
@pytest.mark.parametrize("what", list(EXPECTED))
def test_export_loads_in_networkx(fixture_graph: Graph, tmp_path: Path, what: str,
                                  fmt: str) -> None:
    path = tmp_path / f"{what}.{fmt}"
    result = export_network(fixture_graph, what, fmt, path)
    nodes, edges, directed = EXPECTED[what]
    assert (result.nodes, result.edges, result.run_id) == (nodes, edges, "run-b")
    g = _read(path, fmt)
    assert (g.number_of_nodes(), g.number_of_edges(), g.is_directed()) == (
        nodes, edges, directed)
    assert not g.is_multigraph()
    u1 = g.nodes["u1"]
    assert u1["disclosed"] is True and u1["dataset"] == "ds1" and u1["followers"] == 10
    assert u1["created_at"] == "2019-01-15" and u1["label"] == HOSTILE_NAME
    assert u1["ring"] == "run-b:1"


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_coordination_edges_carry_weight_times_and_stamp(fixture_graph: Graph, tmp_path: Path,
                                                        fmt: str) -> None:
    path = tmp_path / f"c.{fmt}"
    export_network(fixture_graph, "coordination", fmt, path, run_id="run-b")
    g = _read(path, fmt)
    edge = g.edges["u1", "u2"]
    assert edge["weight"] == 3.0 and edge["kind"] == "co-retweet"
    assert edge["evidence_total"] == 3 and edge["p_value"] == 0.01
    assert (edge["start"], edge["end"]) == ("2019-06-03T02:00:00Z", "2019-06-05T06:00:04Z")
    if fmt == "gexf":
        assert g.graph["mode"] == "dynamic"
        stamp = json.loads(_gexf_description(path))
    else:
        stamp = {k: g.graph[k] for k in ("infoops_version", "run_id", "edges_query")}
        stamp["edges_params"] = json.loads(g.graph["edges_params"])
    assert stamp["infoops_version"] == __version__ and stamp["run_id"] == "run-b"
    assert "COORDINATED {run_id: $run_id}" in stamp["edges_query"]
    assert stamp["edges_params"] == {"run_id": "run-b"}


def _gexf_description(path: Path) -> str:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    desc = root.find("{http://gexf.net/1.3}meta/{http://gexf.net/1.3}description")
    assert desc is not None and desc.text
    return desc.text


def test_retweets_of_one_dataset(fixture_graph: Graph, tmp_path: Path) -> None:
    result = export_network(fixture_graph, "retweets", "graphml", tmp_path / "r.graphml",
                            dataset="ds2")
    assert (result.nodes, result.edges) == (0, 0)
    g = nx.read_graphml(tmp_path / "r.graphml")
    assert g.number_of_nodes() == 0 and json.loads(g.graph["edges_params"]) == {
        "dataset": "ds2"}


def test_export_rejects_bad_arguments(fixture_graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(BadParameter, match="'what'"):
        export_network(fixture_graph, "follows", "gexf", tmp_path / "x.gexf")
    with pytest.raises(BadParameter, match="'format'"):
        export_network(fixture_graph, "retweets", "dot", tmp_path / "x.dot")
    with pytest.raises(BadParameter, match="run-b"):
        export_network(fixture_graph, "coordination", "gexf", tmp_path / "x.gexf",
                       run_id="missing")
    with pytest.raises(BadParameter, match="'out'"):
        export_network(fixture_graph, "retweets", "gexf", tmp_path)
    made = export_network(fixture_graph, "retweets", "gexf", tmp_path / "new" / "x.gexf")
    assert made.path.is_file()  # a missing folder is created, as for query results


def test_export_needs_a_run_for_coordination(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(BadParameter, match="no detection run"):
        export_network(graph, "coordination", "gexf", tmp_path / "x.gexf")


@pytest.mark.parametrize("writer", [write_gexf, write_graphml])
def test_writers_make_any_string_xml_safe(tmp_path: Path, writer) -> None:
    nasty = 'a"b<c>&d\x07e\x00f'
    net = Network("mentions", True,
                  [{"id": nasty, "label": nasty, "disclosed": False, "dataset": "",
                    "ring": "", "followers": None, "created_at": None},
                   {"id": "x", "label": "x", "disclosed": True, "dataset": "d", "ring": "",
                    "followers": 1, "created_at": None}],
                  [{"source": nasty, "target": "x", "weight": 2, "start": None, "end": None}],
                  [], {"infoops_version": __version__, "note": nasty})
    path = tmp_path / "nasty.xml"
    with path.open("w", encoding="utf-8") as fh:
        writer(net, fh)
    g = nx.read_gexf(path) if writer is write_gexf else nx.read_graphml(path)
    label = 'a"b<c>&d\ufffde\ufffdf'
    assert set(g.nodes) == {label, "x"} and g.edges[label, "x"]["weight"] == 2.0


def test_export_commands(fixture_graph: Graph, cli_env: dict[str, str], tmp_path: Path) -> None:
    from toolkit.cli.export import app
    from toolkit.cli.state import state

    out = tmp_path / "rings.gexf"
    try:
        ok = CliRunner().invoke(app, ["gexf", "--what", "rings", "--out", str(out)],
                                env=cli_env)
        bad = CliRunner().invoke(app, ["graphml", "--what", "follows", "--out", str(out)],
                                 env=cli_env)
    finally:
        state.close()
    assert ok.exit_code == 0, ok.output
    assert f"gexf written to {out}: 7 nodes, 11 edges (run run-b)" in ok.output
    assert nx.read_gexf(out).number_of_edges() == 11
    assert bad.exit_code == 2 and "follows" in bad.output


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_roles_summaries_and_signals_travel_with_the_export(fixture_graph: Graph,
                                                            tmp_path: Path, fmt: str) -> None:
    fixture_graph.write("MATCH (:Account {userid: 'u1'})-[m:MEMBER_OF]->(g:Ring "
                        "{ring_id: 'run-b:1'}) SET m.role = 'leader', g.summary = $text",
                        text='5 accounts <linked> & "quoted"')
    fixture_graph.write("MATCH (:Account {userid: 'u1'})-[c:COORDINATED {run_id: 'run-b'}]-"
                        "(:Account {userid: 'u2'}) SET c.signals = ['co-link', 'co-hashtag']")
    path = tmp_path / f"rings.{fmt}"
    export_network(fixture_graph, "rings", fmt, path, run_id="run-b")
    g = _read(path, fmt)
    assert g.nodes["u1"]["role"] == "leader"
    assert g.nodes["u1"]["ring_summary"] == '5 accounts <linked> & "quoted"'
    assert "role" not in g.nodes["u6"] and "ring_summary" in g.nodes["u2"]
    assert g.edges["u1", "u2"]["signals"] == "co-link;co-hashtag"
