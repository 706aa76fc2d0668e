"""`infoops demo` (what `make demo` runs) end to end against the test server: every planted
operation it looks for comes back, and every file it promises is there and readable."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
from helpers import infoops

from toolkit.db.connect import Graph
from toolkit.demo import PLANTED_BY_KIND

ROW = re.compile(r"│ (co-[a-z-]+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*([a-z-]+)\s*│\s*(\d+)\s*│"
                 r"\s*([\d.]+)\s*│\s*([\d.]+)\s*│\s*([\d.]+)\s*│")


def test_demo_finds_every_planted_operation_and_writes_its_files(
        graph: Graph, cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = infoops("demo", "--out", str(out), env={**cli_env, "COLUMNS": "120"})

    rows = {m[1]: m for m in ROW.finditer(result.stdout)}
    assert set(rows) == {k.value for k in PLANTED_BY_KIND}, result.stdout
    for kind, operation in PLANTED_BY_KIND.items():
        row = rows[kind.value]
        assert row[4] == operation
        assert int(row[3]) >= 1  # at least one significant ring
        assert float(row[6]) >= 0.95 and float(row[7]) >= 0.95, row[0]
        assert float(row[8]) < 0.01

    assert "rejected" in result.stderr and "(0 rejected)" in result.stderr
    for kind in PLANTED_BY_KIND:
        report = (out / f"report-{kind.value}.html").read_text(encoding="utf-8")
        assert "Coordination rings" in report
        network = nx.read_gexf(out / f"coordination-{kind.value}.gexf")
        assert network.number_of_nodes() >= 20 and network.number_of_edges() >= 190
    assert nx.read_graphml(out / "retweets.graphml").number_of_edges() > 1000
    assert "<article" in (out / "browser" / "infoops.html").read_text(encoding="utf-8")
    assert (out / "sample" / "ground_truth.json").exists()

    # Every detection run of the demo is in the graph with its rings.
    runs = graph.read("MATCH (r:DetectionRun) RETURN r.kind AS kind, "
                      "COUNT { (r)<-[:FOUND_BY]-(:Ring) } AS rings")
    assert {r["kind"] for r in runs} == {k.value for k in PLANTED_BY_KIND}
    assert all(r["rings"] >= 1 for r in runs)
