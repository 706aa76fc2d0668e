"""Read detection results back: runs, rings, a ring's members, edges and the tweets behind it.

Edges store at most `evidence_cap` shared targets; the full list (and the tweets) are
re-derived on demand from the run's stored parameters: the same read-out restricted to the
ring's accounts, the same window. Nothing is kept twice, and the evidence shown is exactly
what the detector saw (as long as the source data is unchanged).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final, LiteralString

import pandas as pd

from ..db.connect import Graph
from ..errors import BadParameter
from ..numbers import ROW_LIMIT_MAX, check_number
from .events import EventFilter, kind_of, read_events
from .fused import FUSED
from .pairs import co_action_edges
from .runs import DetectParams, matched_events, targets_for

LIST_RUNS: Final[LiteralString] = """
MATCH (r:DetectionRun)
RETURN r.run_id AS run_id, r.kind AS kind, toString(r.created_at) AS created_at,
       r.edges AS edges, r.rings AS rings, r.params AS params
ORDER BY r.created_at DESC
"""

LIST_RINGS: Final[LiteralString] = """
MATCH (g:Ring)-[:FOUND_BY]->(r:DetectionRun)
WHERE ($run_id IS NULL OR r.run_id = $run_id) AND ($kind IS NULL OR r.kind = $kind)
  AND ($max_p IS NULL OR g.p_value <= $max_p)
RETURN g.ring_id AS ring_id, r.run_id AS run_id, r.kind AS kind, g.size AS size,
       g.density AS density, g.score AS score, g.p_value AS p_value, g.z AS z,
       g.signals AS signals
ORDER BY r.created_at DESC, g.p_value IS NULL, g.p_value, g.size DESC, g.ring_id
LIMIT $limit
"""

RUN_COUNTS: Final[LiteralString] = """
MATCH (r:DetectionRun) WHERE r.run_id IN $run_ids
RETURN r.run_id AS run_id, r.kind AS kind, r.rings AS rings, r.edges AS edges,
       r.rings_found AS rings_found, r.edges_found AS edges_found,
       r.rings_left_out AS rings_left_out, r.edges_left_out AS edges_left_out,
       size(coalesce(r.hyperactive, [])) AS hyperactive
ORDER BY r.created_at DESC
"""

RING: Final[LiteralString] = """
MATCH (g:Ring {ring_id: $ring_id})-[:FOUND_BY]->(r:DetectionRun)
OPTIONAL MATCH (a:Account)-[m:MEMBER_OF]->(g)
WITH g, r, a, m ORDER BY a.userid
RETURN g {.*} AS ring, r.params AS params, r.kind AS kind,
       collect(a {.userid, .screen_name, role: m.role, episodes: m.episodes,
                  leads: m.leads, lead_share: m.lead_share,
                  median_lag_s: m.median_lag_s}) AS members
"""

RING_EDGES: Final[LiteralString] = """
MATCH (a:Account)-[:MEMBER_OF]->(g:Ring {ring_id: $ring_id})
MATCH (a)-[c:COORDINATED {run_id: g.run_id}]->(b:Account)-[:MEMBER_OF]->(g)
RETURN a.userid AS a, b.userid AS b, c.weight AS weight, toString(c.first_at) AS first_at,
       toString(c.last_at) AS last_at, c.evidence AS evidence, c.p_value AS p_value,
       c.signals AS signals
ORDER BY c.weight DESC, a, b
"""

TWEET_TEXT: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (t:Tweet {tweetid: id})
RETURN t.tweetid AS tweetid, t.text AS text, toString(t.created_at) AS created_at
"""

RUN_PARAMS: Final[LiteralString] = """
MATCH (r:DetectionRun {run_id: $run_id}) RETURN r.params AS params
"""


@dataclass(frozen=True, slots=True)
class RingReport:
    ring: dict[str, Any]
    params: dict[str, Any]
    members: list[dict[str, Any]]
    edges: pd.DataFrame
    tweets: pd.DataFrame | None  # target, time, account, tweetid, text (with --evidence)


def list_runs(graph: Graph) -> list[dict[str, Any]]:
    return graph.read(LIST_RUNS)


def list_rings(graph: Graph, run_id: str | None = None, kind: str | None = None,
               max_p: float | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Rings, newest run first, and in a run the most significant first (then the
    largest); `max_p` keeps rings whose p-value is at most that (rings of runs without a
    null model have none and are then left out)."""
    check_listing(max_p, limit)
    return graph.read(LIST_RINGS, run_id=run_id, kind=kind, max_p=max_p, limit=limit)


def check_listing(max_p: float | None, limit: int) -> None:
    """`list_rings`' numbers, checkable before connecting."""
    if max_p is not None and not 0 < max_p <= 1:
        raise BadParameter("max_p", f"{max_p}: must be in (0, 1]")
    check_number("limit", limit, minimum=1, maximum=ROW_LIMIT_MAX, integer=True)


def run_counts(graph: Graph, run_ids: list[str]) -> list[dict[str, Any]]:
    """Per run: rings and edges written and found, the rings left out by reason (a dict;
    empty for runs written before anything was left out) and the hyperactive accounts."""
    rows = graph.read(RUN_COUNTS, run_ids=run_ids)
    for row in rows:
        row["rings_left_out"] = json.loads(row["rings_left_out"] or "{}")
    return rows


def show_ring(graph: Graph, ring_id: str, evidence: bool = False) -> RingReport:
    rows = graph.read(RING, ring_id=ring_id)
    if not rows:
        raise BadParameter("ring_id", f"no ring {ring_id!r} (see: infoops rings list)")
    row = rows[0]
    params = json.loads(row["params"])
    edges = pd.DataFrame(graph.read(RING_EDGES, ring_id=ring_id))
    tweets = None
    if evidence:
        accounts = {m["userid"] for m in row["members"]}
        tweets = evidence_tweets(graph, params, accounts)
    return RingReport(row["ring"], params, row["members"], edges, tweets)


def _pieces(graph: Graph, params: dict[str, Any], accounts: set[str]
            ) -> list[tuple[str, pd.DataFrame, int]]:
    """(target prefix, events, window) for each kind the run paired: one for a single run,
    one per kind for a fused run (its targets read 'kind:target'), each as its source run
    read and paired them."""
    if params["kind"] != FUSED:
        return [("", *_events_for(graph, params, accounts))]
    pieces = []
    for kind in params["kinds"]:
        source = params.get("source_runs", {}).get(kind)
        rows = graph.read(RUN_PARAMS, run_id=source) if source else []
        own = (json.loads(rows[0]["params"]) if rows else
               {**params, "kind": kind, "window_s": params["windows_s"][kind]})
        pieces.append((f"{kind}:", *_events_for(graph, own, accounts)))
    return pieces


def _events_for(graph: Graph, params: dict[str, Any], accounts: set[str]
                ) -> tuple[pd.DataFrame, int]:
    """The run's events restricted to `accounts`, with the targets and window it paired."""
    kind = kind_of(params["kind"])
    events = read_events(graph, kind, EventFilter(
        params.get("dataset"), params.get("since_ms"), params.get("until_ms"),
        tuple(sorted(accounts))))
    window_ms = round(params["window_s"] * 1000)
    run = DetectParams(kind, max_domain_accounts=params.get("max_domain_accounts", 50),
                       similarity=params.get("similarity", 0.8), ngram=params.get("ngram", 2))
    if kind.value == "co-domain":  # obscurity is judged on all accounts, as in the run
        return events, window_ms
    return targets_for(kind, events, window_ms, run)


def evidence_tweets(graph: Graph, params: dict[str, Any], accounts: set[str]) -> pd.DataFrame:
    """Every tweet of `accounts` that has a partner tweet of another of them on the same
    target within the run's window (a fused run's: within each kind's window, targets
    read 'kind:target'), with its text, ordered by target and time."""
    frames = []
    for prefix, events, window_ms in _pieces(graph, params, accounts):
        found = matched_events(events, window_ms, accounts)
        if prefix:
            found = found.assign(target=prefix + found["target"].astype(str))
        frames.append(found)
    matched = pd.concat(frames, ignore_index=True)
    texts = pd.DataFrame(graph.read(TWEET_TEXT, ids=matched["tweetid"].tolist()),
                         columns=["tweetid", "text", "created_at"])
    out = matched.merge(texts, on="tweetid", how="left")
    return out.sort_values(["target", "time_ms", "account"], ignore_index=True)


def edge_evidence(graph: Graph, run_id: str, a: str, b: str) -> list[str]:
    """The full list of shared targets behind the COORDINATED edge a-b of a run."""
    rows = graph.read(RUN_PARAMS, run_id=run_id)
    if not rows:
        raise BadParameter("run_id", f"no detection run {run_id!r}")
    params = json.loads(rows[0]["params"])
    shared = []
    for prefix, events, window_ms in _pieces(graph, params, {a, b}):
        edges = co_action_edges(events, window_ms, 1, evidence_cap=len(events) + 1)
        shared += [f"{prefix}{x}" for x in edges["evidence"].iloc[0]] if len(edges) else []
    return shared
