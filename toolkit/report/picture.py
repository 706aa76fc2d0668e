"""The network picture of one ring: its members and coordination edges, laid out with
igraph. Kamada-Kawai started from a circle is deterministic, so the same ring always
gives the same picture (Fruchterman-Reingold jitters from run to run)."""

from __future__ import annotations

from typing import Any

import igraph as ig

from . import charts


def ring_picture(members: list[dict[str, Any]], edges: list[dict[str, Any]], *,
                 label: str) -> str:
    """SVG of the ring's members (sorted by userid) joined by their COORDINATED edges."""
    ordered = sorted(members, key=lambda m: str(m["userid"]))
    index = {m["userid"]: i for i, m in enumerate(ordered)}
    pairs: dict[tuple[int, int], float] = {}
    for e in edges:
        a, b = index.get(e["source"]), index.get(e["target"])
        if a is None or b is None or a == b:
            continue
        key = (min(a, b), max(a, b))
        pairs[key] = max(pairs.get(key, 0.0), float(e.get("weight") or 1))
    graph = ig.Graph(n=len(ordered), edges=list(pairs))
    coords = [tuple(c) for c in graph.layout_circle().coords] if ordered else []
    if len(ordered) > 2:
        coords = [tuple(c) for c in graph.layout_kamada_kawai(seed=coords).coords]
    nodes = [{"name": m.get("screen_name") or m["userid"], "disclosed": m.get("disclosed"),
              "followers": m.get("followers")} for m in ordered]
    weighted = [(a, b, w) for (a, b), w in pairs.items()]
    return charts.network(nodes, weighted, coords, label=label)
