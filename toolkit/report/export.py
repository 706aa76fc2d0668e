"""Account networks for Gephi and networkx: which edges each export holds, the read-only
queries that fetch them, and `export_network`, which writes the file.

- coordination: every COORDINATED edge of a detection run (undirected, one per pair);
- rings: the same, kept to edges inside a ring of the run, each edge and node tagged;
- retweets: account -> retweeted account, weight = retweets (directed);
- mentions: account -> mentioned account, weight = tweets mentioning (directed).
Nodes carry disclosed, dataset, ring (in the chosen run), role and ring_summary (the
member's role in its ring and the ring's written summary), followers and created_at;
edges carry weight and their first and last time, which Gephi reads as a timeline, and a
fused run's edges their signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, LiteralString

from .. import __version__
from ..db.connect import Graph
from ..db.datasets import require_dataset
from ..errors import BadParameter
from ..outfile import probe_writable, replaced
from ..progress import Progress
from . import queries as report_queries
from .collect import plain
from .html import public_uri
from .writers import Network, write_gexf, write_graphml

EXPORT_KINDS: Final = ("coordination", "retweets", "mentions", "rings")
EXPORT_FORMATS: Final = ("gexf", "graphml")

COORDINATION_EDGES: Final[LiteralString] = """
MATCH (a:Account)-[c:COORDINATED {run_id: $run_id}]->(b:Account)
RETURN a.userid AS source, b.userid AS target, c.weight AS weight, c.first_at AS start,
       c.last_at AS end, c.kind AS kind, c.window_s AS window_s,
       c.evidence_total AS evidence_total, c.p_value AS p_value, c.signals AS signals
"""

RING_EDGES: Final[LiteralString] = """
MATCH (a:Account)-[:MEMBER_OF]->(g:Ring {run_id: $run_id})<-[:MEMBER_OF]-(b:Account)
MATCH (a)-[c:COORDINATED {run_id: $run_id}]->(b)
RETURN a.userid AS source, b.userid AS target, c.weight AS weight, c.first_at AS start,
       c.last_at AS end, c.kind AS kind, c.window_s AS window_s,
       c.evidence_total AS evidence_total, c.p_value AS p_value, c.signals AS signals,
       g.ring_id AS ring
"""

RETWEET_EDGES: Final[LiteralString] = """
MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:RETWEET_OF]->(:Tweet)<-[:POSTED]-(b:Account)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
RETURN a.userid AS source, b.userid AS target, count(t) AS weight,
       min(t.created_at) AS start, max(t.created_at) AS end
"""

MENTION_EDGES: Final[LiteralString] = """
MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:MENTIONS]->(b:Account)
WHERE t.dataset IS NOT NULL AND ($dataset IS NULL OR t.dataset = $dataset)
RETURN a.userid AS source, b.userid AS target, count(DISTINCT t) AS weight,
       min(t.created_at) AS start, max(t.created_at) AS end
"""

RING_MEMBERS: Final[LiteralString] = """
MATCH (a:Account)-[:MEMBER_OF]->(:Ring {run_id: $run_id})
RETURN DISTINCT a.userid AS userid
"""

NODES: Final[LiteralString] = """
UNWIND $userids AS userid
MATCH (a:Account {userid: userid})
RETURN a.userid AS id, coalesce(a.screen_name, a.userid) AS label,
       a:Disclosed AS disclosed, a.followers AS followers, a.created_at AS created_at,
       [(a)-[:IN_DATASET]->(d:Dataset) | d.name] AS datasets,
       [(a)-[:MEMBER_OF]->(g:Ring {run_id: $run_id}) | g.ring_id] AS rings,
       [(a)-[m:MEMBER_OF]->(:Ring {run_id: $run_id}) WHERE m.role IS NOT NULL | m.role]
         AS roles,
       [(a)-[:MEMBER_OF]->(g:Ring {run_id: $run_id}) WHERE g.summary IS NOT NULL
         | g.summary] AS summaries
"""

_EDGE_QUERIES: Final[dict[str, LiteralString]] = {
    "coordination": COORDINATION_EDGES, "rings": RING_EDGES,
    "retweets": RETWEET_EDGES, "mentions": MENTION_EDGES,
}
_NEEDS_RUN: Final = ("coordination", "rings")

@dataclass(frozen=True)
class ExportResult:
    path: Path
    what: str
    format: str
    nodes: int
    edges: int
    run_id: str | None


def fetch_network(graph: Graph, what: str, *, run_id: str | None = None,
                  dataset: str | None = None, progress: Progress | None = None) -> Network:
    """Query the edges and the accounts at their ends (read-only)."""
    if what not in EXPORT_KINDS:
        raise BadParameter("what", f"{what!r} is not one of {', '.join(EXPORT_KINDS)}")
    tell = progress or (lambda _step: None)
    run_id = _resolve_run(graph, run_id, required=what in _NEEDS_RUN)
    edge_params = {"run_id": run_id} if what in _NEEDS_RUN else {"dataset": dataset}
    tell("edges")
    rows = [_joined(plain(r)) for r in graph.read(_EDGE_QUERIES[what], **edge_params)]
    directed = what not in _NEEDS_RUN
    edges = rows if directed else _one_per_pair(rows)
    tell("nodes")
    ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    if what == "rings":  # members without an edge inside their ring still belong in it
        members = graph.read(RING_MEMBERS, run_id=run_id)
        ids = sorted(set(ids) | {r["userid"] for r in members})
    found = {n["id"]: n for n in (plain(r) for r in graph.read(NODES, userids=ids,
                                                                  run_id=run_id))}
    nodes = [_node(found.get(i, {"id": i, "label": i})) for i in ids]
    extra = [("kind", "string"), ("window_s", "long"), ("evidence_total", "long"),
             ("p_value", "double"), ("signals", "string")] if what in _NEEDS_RUN else []
    if what == "rings":
        extra.append(("ring", "string"))
    provenance = {
        "infoops_version": __version__, "export": what, "run_id": run_id,
        "dataset": dataset, "database": graph.database,
        "uri": public_uri(graph.settings.uri),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "edges_query": _EDGE_QUERIES[what].strip(), "edges_params": edge_params,
        "nodes_query": NODES.strip(), "nodes_params": {"userids": "(the edges' ends)",
                                                       "run_id": run_id},
    }
    return Network(what, directed, nodes, edges, extra, provenance)


def _resolve_run(graph: Graph, run_id: str | None, *, required: bool) -> str | None:
    """The run asked for (checked), else the newest; ring attributes come from it."""
    runs = [r["run_id"] for r in graph.read(report_queries.RUNS)]
    if run_id is not None:
        if run_id not in runs:
            known = ", ".join(runs[:10]) or "none; run infoops detect first"
            raise BadParameter("run", f"no detection run {run_id!r} in the database "
                               f"(known: {known})")
        return run_id
    if runs:
        return str(runs[0])
    if required:
        raise BadParameter("run", "no detection run in the database: run infoops detect first")
    return None


def _one_per_pair(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coordination is symmetric: keep one edge per account pair (the heavier one, should a
    detector have stored both directions)."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        a, b = sorted((row["source"], row["target"]))
        key = (a, b)
        if key not in best or (row.get("weight") or 0) > (best[key].get("weight") or 0):
            best[key] = {**row, "source": a, "target": b}
    return [best[k] for k in sorted(best)]


def _joined(edge: dict[str, Any]) -> dict[str, Any]:
    """A fused edge's signals as one string ('co-link;co-hashtag'), as Gephi reads them."""
    signals = edge.get("signals")
    return {**edge, "signals": ";".join(signals) if signals else None}


def _node(row: dict[str, Any]) -> dict[str, Any]:
    created = row.get("created_at")
    return {
        "id": str(row["id"]), "label": str(row.get("label") or row["id"]),
        "disclosed": bool(row.get("disclosed")),
        "dataset": ";".join(row.get("datasets") or []),
        "ring": ";".join(str(r) for r in sorted(row.get("rings") or [])),
        "role": ";".join(row.get("roles") or []) or None,
        "ring_summary": " | ".join(row.get("summaries") or []) or None,
        "followers": row.get("followers"),
        "created_at": created.isoformat() if created is not None else None,
    }


def export_network(graph: Graph, what: str, fmt: str, out: Path | str, *,
                   run_id: str | None = None, dataset: str | None = None,
                   progress: Progress | None = None) -> ExportResult:
    """Write the `what` network of the graph as GEXF 1.3 or GraphML to `out`.

    Example: export_network(graph, "coordination", "gexf", "coordination.gexf")
    """
    if fmt not in EXPORT_FORMATS:
        raise BadParameter("format", f"{fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    path = Path(out)
    probe_writable(path, "out")  # before the queries: an unusable --out fails at once
    require_dataset(graph, dataset)
    network = fetch_network(graph, what, run_id=run_id, dataset=dataset, progress=progress)
    (progress or (lambda _step: None))("write")
    with replaced(path, "w", "out", encoding="utf-8") as fh:
        (write_gexf if fmt == "gexf" else write_graphml)(network, fh)
    return ExportResult(path.resolve(), what, fmt, len(network.nodes), len(network.edges),
                        network.provenance["run_id"])

