"""What a run writes: the findings an investigator will read, not the crowd.

A ring is written when it has at most `max_ring_size` accounts (a larger group is a crowd
drawn together by popular targets, not a ring anyone can read) and its p-value is at most
`keep_p`; an edge when its p-value is at most `keep_p` or it joins two members of a written
ring (so a written ring shows all its edges). Without a null model there are no p-values,
and only the size bound applies. `keep_all` writes everything. What is left out still counts
in the run's summary, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rows of a run's edges, members and rings are written."""

    edges: np.ndarray  # bool per edge
    members: np.ndarray  # bool per member row
    rings: np.ndarray  # bool per ring
    rings_left_out: dict[str, int]  # reason -> rings not written

    def edges_left_out(self) -> int:
        return int((~self.edges).sum())


def select(edges: pd.DataFrame, members: pd.DataFrame, rings: pd.DataFrame, keep_p: float,
           max_ring_size: int, keep_all: bool = False) -> Selection:
    """Choose what to write (see the module docstring)."""
    if keep_all:
        return Selection(np.ones(len(edges), bool), np.ones(len(members), bool),
                         np.ones(len(rings), bool), {})
    too_big = rings["size"].to_numpy() > max_ring_size
    chance = ~too_big & (rings["p_value"].to_numpy(dtype=float) > keep_p)
    written = ~too_big & ~chance
    left_out = {reason: int(n) for reason, n in (
        (f"more than {max_ring_size} accounts", too_big.sum()),
        (f"p > {keep_p:g}", chance.sum())) if n}
    kept_ring = set(rings["ring"].to_numpy()[written].tolist())
    member_kept = members["ring"].isin(kept_ring).to_numpy()
    ring_of = pd.Series(members["ring"].to_numpy()[member_kept],
                        index=members["account"].to_numpy()[member_kept])
    ra = edges["a"].map(ring_of).to_numpy(dtype=float)
    rb = edges["b"].map(ring_of).to_numpy(dtype=float)
    inside = ~np.isnan(ra) & (ra == rb)
    p = edges["p_value"].to_numpy(dtype=float)
    return Selection(inside | ~(p > keep_p), member_kept, written, left_out)


def left_out_text(rings_left_out: dict[str, int], edges_left_out: int) -> str:
    """'12 rings (10 p > 0.05, 2 more than 500 accounts), 3,401 edges' for a summary line."""
    rings = sum(rings_left_out.values())
    why = ", ".join(f"{n:,} {reason}" for reason, n in rings_left_out.items())
    return (f"{rings:,} rings" + (f" ({why})" if why else "")
            + f", {edges_left_out:,} edges")
