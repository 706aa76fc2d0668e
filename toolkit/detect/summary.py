"""A ring in sentences: size, the signals that hold it together, its time span, the targets
its members shared most (with tweet ids to quote), its leaders and its p-value.

Deterministic: built only from the run's numbers (the same run always reads the same), so a
finding can be quoted with its evidence and checked against the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd

TOP_TARGETS = 3
TWEETS_PER_TARGET = 2
LEADERS = 3


def _when(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def ring_summary(ring: dict[str, Any], kind: str, edges: pd.DataFrame,
                 episodes: pd.DataFrame, roles: pd.DataFrame, reps: int | None,
                 shares: Sequence[tuple[str, float]] = ()) -> str:
    """The summary of one ring. `ring`: size, edges, density, p_value; `edges`: its edges
    (first_ms, last_ms); `episodes` and `roles`: its rows of `roles.ring_episodes` and
    `roles.member_roles`; `reps`: null replicates run (None: no null model); `shares`:
    (signal, share of the ring's weight) of a fused ring, largest first."""
    size, n_edges = int(ring["size"]), int(ring["edges"])
    if shares:
        held = _listed([f"{s} ({share:.0%})" for s, share in shares])
        text = (f"{size} accounts held together by {held} of the ring's fused weight, "
                f"{n_edges} linked pairs (density {float(ring['density']):.2f})")
    else:
        text = (f"{size} accounts linked by {n_edges} {kind} edges (density "
                f"{float(ring['density']):.2f})")
    if len(edges):
        text += (f", acting together from {_when(edges['first_ms'].min())} to "
                 f"{_when(edges['last_ms'].max())}")
    sentences = [text + "."]
    if len(episodes):
        per = episodes.groupby(["signal", "target"], sort=False).agg(
            members=("account", "nunique"), first=("time_ms", "min")).reset_index()
        per["t"] = per["target"].astype(str)
        per = per.sort_values(["members", "first", "t"], ascending=[False, True, True])
        parts = []
        for row in per.head(TOP_TARGETS).itertuples(index=False):
            tweets = episodes[(episodes["signal"] == row.signal)
                              & (episodes["target"] == row.target)].sort_values(
                ["time_ms", "tweetid"])["tweetid"].astype(str).head(TWEETS_PER_TARGET)
            parts.append(f"{row.target} ({row.signal}, {row.members} members; tweets "
                         f"{', '.join(tweets)})")
        sentences.append(f"Most shared: {'; '.join(parts)}.")
        n_episodes = episodes["episode"].nunique()
        leaders = roles[roles["role"] == "leader"].sort_values(
            ["leads", "account"], ascending=[False, True]).head(LEADERS)
        if len(leaders):
            who = [f"{r.account} (first in {r.leads} of its {r.episodes} episodes)"
                   for r in leaders.itertuples(index=False)]
            sentences.append(f"Leaders, of {n_episodes} episodes: {_listed(who)}.")
        else:
            sentences.append(f"No member led often enough to be a leader ({n_episodes} "
                             "episodes).")
    p = ring.get("p_value")
    if reps and p is not None and p == p:
        sentences.append(f"p = {float(p):.4g} against {reps} null-model replicates.")
    else:
        sentences.append("No null model was run: no p-value.")
    return " ".join(sentences)


def summaries(rings: pd.DataFrame, members: pd.DataFrame, edges: pd.DataFrame,
              episodes: pd.DataFrame, roles: pd.DataFrame, kind: str, reps: int | None,
              shares: dict[int, list[tuple[str, float]]] | None = None) -> list[str]:
    """`ring_summary` for each row of `rings` (ring, size, edges, density, p_value)."""
    ring_of = members.drop_duplicates("account").set_index("account")["ring"]
    ra, rb = edges["a"].map(ring_of), edges["b"].map(ring_of)
    inside = edges[ra.notna() & (ra == rb)].assign(ring=ra)
    out = []
    for row in rings.to_dict("records"):
        ring = int(row["ring"])
        out.append(ring_summary(row, kind, inside[inside["ring"] == ring],
                                episodes[episodes["ring"] == ring],
                                roles[roles["ring"] == ring], reps,
                                (shares or {}).get(ring, [])))
    return out
