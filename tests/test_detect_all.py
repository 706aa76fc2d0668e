"""`detect all` against planted ground truth: the generator's default campaign (which has a
weak-signals operation: a few rounds each of co-retweet, co-hashtag, co-link and co-mention)
is loaded into Neo4j, every detector runs, then the fused run. The fused run recovers every
operation a single run recovers and the weak-signals one that none does, all at p < 0.01,
with no decoy ring; its rings carry their signals, roles and summaries, read back from the
graph and through `rings show`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import infoops_in_process
from test_detect_planted import sample  # noqa: F401  (the fixture)

from toolkit.db.connect import Graph
from toolkit.detect.all import AllParams, AllResult, detect_all, parse_kinds, run_table
from toolkit.detect.events import Kind
from toolkit.detect.results import show_ring
from toolkit.errors import BadParameter

RINGS = """
MATCH (a:Account)-[m:MEMBER_OF]->(g:Ring)-[:FOUND_BY]->(:DetectionRun {run_id: $run_id})
RETURN g.ring_id AS ring_id, g.p_value AS p_value, g.signals AS signals,
       g.summary AS summary, collect(a.userid) AS members,
       collect(m {.role, .episodes, .leads, .median_lag_s}) AS roles
"""


@pytest.fixture(scope="module")
def planted(request: pytest.FixtureRequest) -> dict[str, Any]:
    """test_detect_planted's campaign (its `sample` fixture), and `detect all` run on it
    once."""
    loaded = request.getfixturevalue("sample")
    return {**loaded, "result": detect_all(loaded["graph"], AllParams(dataset="planted"))}


def recovered(graph: Graph, run_id: str, ops: dict[str, set[str]]
              ) -> dict[str, dict[str, Any]]:
    """Operation -> the significant ring (p < 0.01) that holds it with precision and
    recall >= 0.95."""
    found = {}
    for ring in graph.read(RINGS, run_id=run_id):
        members = set(ring["members"])
        for op, truth in ops.items():
            hit = len(truth & members)
            if (ring["p_value"] < 0.01 and hit >= 0.95 * len(members)
                    and hit >= 0.95 * len(truth)):
                found[op] = ring
    return found


def test_fused_run_recovers_what_any_single_run_does_and_the_weak_operation(
        planted: dict[str, Any]) -> None:
    graph, result, ops = planted["graph"], planted["result"], planted["ops"]
    assert isinstance(result, AllResult) and result.fused is not None
    assert {r.kind for r in result.runs} == {k.value for k in parse_kinds(None)}
    singles: set[str] = set()
    for run in result.runs:
        single = recovered(graph, run.run_id, ops)
        assert "weak-signals" not in single, run.kind
        singles |= set(single)
    assert {"co-retweet", "copy-paste", "hashtag-flood", "link-pushing", "mention-swarm",
            "reply-swarm"} <= singles
    fused = recovered(graph, result.fused.run_id, ops)
    print({op: (round(r["p_value"], 4), r["signals"]) for op, r in fused.items()})
    assert singles | {"weak-signals"} <= set(fused)
    assert len(fused["weak-signals"]["signals"]) >= 3
    for ring in graph.read(RINGS, run_id=result.fused.run_id):
        if ring["p_value"] < 0.01:
            assert not set(ring["members"]) & planted["decoys"], ring["ring_id"]


def test_the_fused_run_stores_its_combination_signals_roles_and_summaries(
        planted: dict[str, Any]) -> None:
    graph, fused = planted["graph"], planted["result"].fused
    params = json.loads(graph.read("MATCH (r:DetectionRun {run_id: $id}) RETURN r.params "
                                   "AS p, r.kind AS kind", id=fused.run_id)[0]["p"])
    assert "joint null replicates" in params["combination"]
    assert set(params["source_runs"]) == set(params["kinds"])
    edge = graph.read("MATCH ()-[c:COORDINATED {run_id: $id}]->() RETURN properties(c) AS c "
                      "LIMIT 1", id=fused.run_id)[0]["c"]
    assert len(edge["signals"]) == len(edge["signal_weights"]) == len(edge["signal_p"])
    assert all(e.split(":", 1)[0] in params["kinds"] for e in edge["evidence"])
    for ring in graph.read(RINGS, run_id=fused.run_id):
        assert ring["summary"].startswith(f"{len(ring['members'])} accounts held together by")
        assert "p = " in ring["summary"]
        roles = {m["role"] for m in ring["roles"]}
        assert roles <= {"leader", "amplifier", "peripheral"} and roles
        assert all(m["episodes"] >= m["leads"] >= 0 for m in ring["roles"])
    rows = run_table(planted["result"])
    assert rows[0]["kind"] == "fused" and rows[0]["significant"] >= 7


def test_rings_show_prints_signals_summary_roles_and_fused_evidence(
        planted: dict[str, Any], cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    graph, fused, ops = planted["graph"], planted["result"].fused, planted["ops"]
    ring = recovered(graph, fused.run_id, ops)["weak-signals"]
    report = show_ring(graph, ring["ring_id"], evidence=True)
    assert {m["role"] for m in report.members} <= {"leader", "amplifier", "peripheral"}
    assert all(m["episodes"] > 0 for m in report.members)
    assert report.tweets is not None
    kinds = set(report.tweets["target"].str.split(":").str[0])
    assert {"co-retweet", "co-hashtag", "co-link", "co-mention"} <= kinds
    assert set(report.tweets["account"]) <= set(ring["members"])
    code, out, err = infoops_in_process(monkeypatch, capsys, cli_env, "rings", "show",
                                        ring["ring_id"])
    assert code == 0, err
    assert "signals: co-" in out and "summary: " + ring["summary"][:40] in out
    assert "median_lag" in out and "roles: leader:" in err
    code, out, _ = infoops_in_process(monkeypatch, capsys, cli_env, "rings", "list",
                                      "--run", fused.run_id)
    assert code == 0 and "signals" in out


def test_detect_all_says_what_it_skipped_and_refuses_bad_kinds(
        planted: dict[str, Any], cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(BadParameter, match="co-retweet: no retweets in the data"):
        detect_all(planted["graph"], AllParams(kinds=(Kind.CO_RETWEET,), dataset="nowhere"))
    code, _, err = infoops_in_process(monkeypatch, capsys, cli_env, "detect", "all",
                                      "--kinds", "co-retweet,co-nothing")
    assert code == 2 and "co-nothing" in err and len(err.strip().splitlines()) == 1
    code, out, err = infoops_in_process(monkeypatch, capsys, cli_env, "detect", "all",
                                        "--dataset", "planted", "--kinds",
                                        "co-link,co-domain", "--null-reps", "19")
    assert code == 0, err
    assert "fused" in out and "co-link" in out and "co-domain" in out
