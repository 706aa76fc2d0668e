"""Write a detection run into the graph: the DetectionRun holding its parameters, the
COORDINATED edges with their evidence, the Rings with MEMBER_OF and FOUND_BY.

Results are derived data, kept apart from source data by `run_id`: several runs with
different parameters live side by side. Every statement MERGEs on the run's keys, so a
retried batch (managed transactions retry transient errors) writes nothing twice. One
COORDINATED relationship per unordered pair, from the smaller userid to the larger.

On a COORDINATED edge: `weight` is the pair's weight as the run's `weighting` counts it
(IDF: each shared target log(N/n) / log(N/2), at most 1; count: 1 each; a hyperactive
account's factor applied), `evidence_total` the number of distinct shared targets,
`evidence` the first `evidence_cap` of them, `p_value` the share of null replicates in
which some pair of accounts reached at least this weight (NaN/null without a null model),
`caption` the weight to two decimals (what Browser shows on the edge).
A fused run's edge (kind "fused", see `toolkit.detect.fused`) also has `signals` (the
kinds linking the pair), `signal_weights` (its weight in each, in that kind's units) and
`signal_p` (each signal's own p-value, on the same replicates); its `weight` is the fused
weight and `p_value` the combined p-value, its evidence `kind:target` strings.
A Ring has `summary` (sentences built from its numbers, `toolkit.detect.summary`), and in
a fused run `signals` and `signal_shares` (each kind's share of the ring's weight).
MEMBER_OF has the member's `role`, `episodes`, `leads`, `lead_share` and `median_lag_s`
(`toolkit.detect.roles`).
The DetectionRun keeps what the run found besides what it wrote: `edges_found`,
`rings_found`, `edges_left_out`, `rings_left_out` (JSON: reason -> rings) and
`hyperactive` (the damped accounts' userids).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final, LiteralString, Protocol

import numpy as np
import pandas as pd

from .. import __version__
from ..db.connect import Graph

BATCH: Final = 5000
FUSED_EDGE_COLUMNS: Final = ("signals", "signal_weights", "signal_p")
ROLE_COLUMNS: Final = ("role", "episodes", "leads", "lead_share", "median_lag_s")

MERGE_RUN: Final[LiteralString] = """
MERGE (r:DetectionRun {run_id: $run_id})
SET r.kind = $kind, r.params = $params, r.created_at = datetime(),
    r.code_version = $code_version, r.edges = $edges, r.rings = $rings,
    r.edges_found = $summary.edges_found, r.rings_found = $summary.rings_found,
    r.edges_left_out = $summary.edges_left_out, r.rings_left_out = $summary.rings_left_out,
    r.hyperactive = $summary.hyperactive
"""

MERGE_EDGES: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Account {userid: row.a})
MATCH (b:Account {userid: row.b})
MERGE (a)-[c:COORDINATED {run_id: $run_id}]->(b)
SET c.kind = $kind, c.weight = row.weight, c.window_s = $window_s,
    c.first_at = datetime({epochMillis: row.first_ms}),
    c.last_at = datetime({epochMillis: row.last_ms}),
    c.evidence = row.evidence, c.evidence_total = row.shared, c.p_value = row.p_value,
    c.signals = row.signals, c.signal_weights = row.signal_weights, c.signal_p = row.signal_p,
    c.caption = toString(round(row.weight, 2))
"""

MERGE_RINGS: Final[LiteralString] = """
MATCH (r:DetectionRun {run_id: $run_id})
UNWIND $rows AS row
MERGE (g:Ring {ring_id: row.ring_id})
SET g.run_id = $run_id, g.kind = $kind, g.size = row.size, g.edges = row.edges,
    g.density = row.density, g.weight = row.weight, g.score = row.score,
    g.p_value = row.p_value, g.z = row.z, g.caption = row.caption, g.summary = row.summary,
    g.signals = row.signals, g.signal_shares = row.signal_shares
MERGE (g)-[:FOUND_BY]->(r)
"""

MERGE_MEMBERS: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Account {userid: row.account})
MATCH (g:Ring {ring_id: row.ring_id})
MERGE (a)-[m:MEMBER_OF]->(g)
SET m.role = row.role, m.episodes = row.episodes, m.leads = row.leads,
    m.lead_share = row.lead_share, m.median_lag_s = row.median_lag_s
"""

DELETE_RUN: Final[LiteralString] = """
MATCH (r:DetectionRun {run_id: $run_id})
OPTIONAL MATCH (g:Ring)-[:FOUND_BY]->(r)
DETACH DELETE g, r
"""

DELETE_EDGES: Final[LiteralString] = """
MATCH ()-[c:COORDINATED {run_id: $run_id}]->()
CALL (c) { DELETE c } IN TRANSACTIONS OF 10000 ROWS
"""


def ring_id(run_id: str, ring: int) -> str:
    return f"{run_id}-r{ring}"


def ring_caption(kind: str, ring: int, size: int, p_value: float | None) -> str:
    """What Browser shows on a ring: `co-retweet r1 · 25 · p=.0099` (kind, ring number in
    its run, members, p-value to two significant digits)."""
    caption = f"{kind} r{ring} · {size}"
    if p_value is None or p_value != p_value:  # NaN: no null model was run
        return caption
    return caption + " · p=" + f"{p_value:.2g}".removeprefix("0")


def write_run(graph: Graph, run_id: str, kind: str, params: dict[str, Any],
              code_version: str, edges: pd.DataFrame, members: pd.DataFrame,
              rings: pd.DataFrame, summary: dict[str, Any]) -> None:
    """Write one run. `edges`: a, b, weight, shared, first_ms, last_ms, evidence, p_value;
    `members`: account, ring; `rings`: ring, size, edges, density, weight, score, p_value, z;
    `summary`: what was found besides what is written (`DetectionResult.summary`)."""
    graph.write(MERGE_RUN, run_id=run_id, kind=kind, params=json.dumps(params, sort_keys=True),
                code_version=code_version, edges=len(edges), rings=len(rings), summary=summary)
    window_s = params["window_s"]
    for rows in _batches(edges, ["a", "b", "weight", "shared", "first_ms", "last_ms",
                                 "evidence", "p_value", *FUSED_EDGE_COLUMNS]):
        graph.write(MERGE_EDGES, rows=rows, run_id=run_id, kind=kind, window_s=window_s)
    ring_rows = rings.assign(
        ring_id=[ring_id(run_id, int(r)) for r in rings["ring"]],
        caption=[ring_caption(kind, int(r), int(n), p) for r, n, p in
                 zip(rings["ring"], rings["size"], rings.get("p_value", [None] * len(rings)),
                     strict=True)])
    for rows in _batches(ring_rows, ["ring_id", "size", "edges", "density", "weight",
                                     "score", "p_value", "z", "caption", "summary",
                                     "signals", "signal_shares"]):
        graph.write(MERGE_RINGS, rows=rows, run_id=run_id, kind=kind)
    member_rows = members.assign(ring_id=[ring_id(run_id, int(r)) for r in members["ring"]])
    for rows in _batches(member_rows, ["account", "ring_id", *ROLE_COLUMNS]):
        graph.write(MERGE_MEMBERS, rows=rows)


class Chosen(Protocol):
    """Which rows of a run are written (`select.Selection`)."""

    edges: np.ndarray
    members: np.ndarray
    rings: np.ndarray


class Written(Protocol):
    """What `write_result` needs of a single or a fused run."""

    run_id: str
    kind: str
    edges: pd.DataFrame
    members: pd.DataFrame
    rings: pd.DataFrame

    @property
    def selection(self) -> Chosen: ...

    def stored_params(self) -> dict[str, Any]: ...

    def summary(self) -> dict[str, Any]: ...


def write_result(graph: Graph, result: Written) -> None:
    """Write the rows the run selected, with its parameters and counts."""
    chosen = result.selection
    write_run(graph, result.run_id, result.kind, result.stored_params(), __version__,
              result.edges[chosen.edges], result.members[chosen.members],
              result.rings[chosen.rings], result.summary())


def delete_run(graph: Graph, run_id: str) -> None:
    """Remove a run, its rings and its edges (nothing else is touched)."""
    with graph.driver.session(database=graph.database) as session:
        session.run(DELETE_EDGES, run_id=run_id).consume()
    graph.write(DELETE_RUN, run_id=run_id)


def _batches(frame: pd.DataFrame, columns: list[str]) -> Iterator[list[dict[str, Any]]]:
    """Rows as plain Python values (no numpy scalars, NaN as null) in batches of BATCH."""
    if frame.empty:
        return
    present = [c for c in columns if c in frame.columns]
    records = frame[present].astype(object).where(frame[present].notna(), None)
    rows = records.to_dict("records")
    for row in rows:
        for key, value in row.items():
            if hasattr(value, "item"):
                row[key] = value.item()
            elif isinstance(value, list | tuple):
                row[key] = [v.item() if hasattr(v, "item") else
                            v if isinstance(v, float | int) else str(v) for v in value]
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]
