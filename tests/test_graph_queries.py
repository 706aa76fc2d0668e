"""Queries whose result is a graph (`result: graph` in the header) on the demo campaign
with a detection run: each, with its defaults, returns nodes and relationships Browser can
draw (every relationship with both ends), within its limit, every account captioned; the
ring graph is the strongest ring; the guide's starts from the data pick what the queries
pick when a parameter is left empty."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from neo4j.graph import Node, Path, Relationship

from toolkit.db.connect import Graph
from toolkit.queries.catalog import Query, load_catalog
from toolkit.queries.params import bind
from toolkit.queries.runner import ensure_read_only, prepare
from toolkit.report.browser import DATA_STARTS
from toolkit.sample import GeneratedSample

CATALOG = load_catalog(use_env=False)
GRAPH_QUERIES = [q.name for q in CATALOG.in_category() if q.is_graph]


def records(graph: Graph, query: Query, given: dict[str, Any] | None = None) -> list[Any]:
    """The raw records (graph objects intact, as Browser gets them), proven read-only."""
    ensure_read_only(graph, prepare(query, given))
    return graph.driver.execute_query(query.text, bind(query.params, given or {}),
                                      database_=graph.database, routing_="r").records


def graph_items(values: Iterable[Any]) -> tuple[dict[str, Node], dict[str, Relationship]]:
    """Every node and relationship in the values, inside lists, maps and paths."""
    nodes: dict[str, Node] = {}
    rels: dict[str, Relationship] = {}
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, Node):
            nodes[value.element_id] = value
        elif isinstance(value, Relationship):
            rels[value.element_id] = value
        elif isinstance(value, Path):
            stack += [*value.nodes, *value.relationships]
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, dict):
            stack += list(value.values())
    return nodes, rels


def test_the_issue_s_graph_queries_are_in_the_catalogue() -> None:
    assert {"ring-graph", "rings-overview", "account-graph", "connecting-paths",
            "shared-domain-graph", "shared-client-graph"} <= set(GRAPH_QUERIES)
    for name in GRAPH_QUERIES:  # a limit keeps Browser responsive on a large graph
        assert any(s.type == "int" and s.max is not None and s.max <= 5000
                   for s in CATALOG.get(name).params), name


@pytest.mark.parametrize("name", GRAPH_QUERIES)
def test_graph_query_draws_captioned_nodes_and_relationships(
        graph_session: Graph, demo_with_ring: str, name: str) -> None:
    query = CATALOG.get(name)
    found = records(graph_session, query)
    nodes, rels = graph_items(value for record in found for value in record.values())
    assert nodes and rels, f"{name} drew nothing"
    for rel in rels.values():  # Browser draws a relationship only with both ends
        assert rel.start_node is not None and rel.end_node is not None
        assert {rel.start_node.element_id, rel.end_node.element_id} <= set(nodes)
    accounts = [n for n in nodes.values() if "Account" in n.labels]
    assert accounts and all(n.get("caption") for n in accounts)
    limit = next((s for s in query.params if s.name in ("limit", "rings")), None)
    if limit is not None:
        assert len(found) <= limit.default


def test_ring_graph_is_the_strongest_ring_and_its_run_s_edges(
        graph_session: Graph, demo_with_ring: str, demo_sample: GeneratedSample) -> None:
    """The default ring is the run's best (the planted co-retweet operation): its members,
    hashed ones captioned by their short id, joined by COORDINATED edges of that run."""
    found = records(graph_session, CATALOG.get("ring-graph"))
    rings = {r["ring"]["ring_id"] for r in found}
    assert len(rings) == 1 and rings.pop().startswith(demo_with_ring)
    ring = found[0]["ring"]
    assert ring["caption"].startswith(f"co-retweet r1 · {ring['size']} · p=")
    assert {r["coordinated"]["run_id"] for r in found} == {demo_with_ring}
    truth = json.loads(demo_sample.ground_truth.read_text(encoding="utf-8"))
    planted = next(set(o["members"]) for o in truth["operations"] if o["kind"] == "co-retweet")
    drawn = {r[end]["userid"]: r[end] for r in found for end in ("account_1", "account_2")}
    assert set(drawn) <= planted and len(drawn) >= 0.8 * len(planted)
    for userid, account in drawn.items():
        if account.get("hashed"):
            assert account["caption"] == userid[:8] + "…"


def test_guide_starts_from_the_data_where_the_queries_do(graph_session: Graph,
                                                         demo_with_ring: str) -> None:
    """What the guide's `:param` lines set for parameters without a default is what the
    queries choose themselves when they are left empty."""
    start = {name: graph_session.read("RETURN " + expr + " AS v")[0]["v"]  # type: ignore[operator]
             for name, expr in DATA_STARTS.items()}
    assert start["run_id"] == demo_with_ring
    ring = records(graph_session, CATALOG.get("ring-graph"))[0]["ring"]
    assert start["ring_id"] == ring["ring_id"]
    centers = {r["userid"] for r in records(graph_session, CATALOG.get("account-graph"))}
    assert centers == {start["userid"]}
    ends = records(graph_session, CATALOG.get("connecting-paths"))[0]["path"]
    assert {ends.start_node["userid"], ends.end_node["userid"]} == {start["userid_1"],
                                                                   start["userid_2"]}


def test_rings_of_run_shows_captions_rounded_p_and_whole_seconds(
        graph_session: Graph, demo_with_ring: str) -> None:
    """Members by caption (a hashed member is not null), p to 4 places, evidence times to
    the second, the run asked for."""
    found = records(graph_session, CATALOG.get("rings-of-run"), {"run_id": demo_with_ring})
    assert found
    for ring in found:
        assert all(ring["members"]) and len(ring["members"]) == len(ring["userids"])
        assert ring["p_value"] == round(ring["p_value"], 4)
        for edge in ring["evidence"]:
            assert edge["from"] and edge["to"]
            assert edge["first_at"].nanosecond == edge["last_at"].nanosecond == 0
