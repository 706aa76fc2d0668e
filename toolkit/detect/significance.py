"""How unusual is an edge or a ring against chance? A null model that keeps each account's
activity and each target's timeline but breaks which accounts act together.

`permute` (default): within each day, the events are dealt out again to the accounts active
that day, each keeping its number of events per day; every target keeps its exact timeline
(a viral tweet still gets its burst of retweets), only who is in the burst changes. So a
crowd drawn into the same bursts by chance is reproduced by the null, while a ring that
keeps meeting is not. `shift`: each account's events move together by a random circular
shift within the account's own active span (activity rhythm kept, alignment broken).

The detector is re-run on every null replicate with the same window, minimum weight and
ring method. An edge's p-value is the share of replicates in which the same pair reaches
the observed weight; a ring's p-value is the share of replicates in which chance alone
produces a ring (anywhere) scoring as high: the maximum over null rings, so looking at many
rings at once does not make one of them look significant. p = (1 + hits) / (1 + reps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import BadParameter
from .options import NullModel
from .pairs import Coded, encode, pair_targets, prepare, weights
from .rings import RingMethod, find_rings

DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Significance:
    """p-values (and ring z-scores against the null maximum) for observed edges and rings."""

    edges: pd.DataFrame  # a, b, p_value
    rings: pd.DataFrame  # ring, p_value, z, null_mean, null_max
    reps: int
    null: NullModel


def null_events(c: Coded, method: NullModel | str, rng: np.random.Generator
                ) -> tuple[np.ndarray, np.ndarray]:
    """One replicate: (accounts, times) for the events of `c`, in the same order."""
    if method == NullModel.PERMUTE:
        day = c.t // DAY_MS
        by_day = np.argsort(day, kind="stable")
        dealt = np.lexsort((rng.random(c.n), day))
        acc = np.empty_like(c.acc)
        acc[by_day] = c.acc[dealt]
        return acc, c.t
    if method == NullModel.SHIFT:
        frame = pd.DataFrame({"a": c.acc, "t": c.t})
        lo = frame.groupby("a")["t"].transform("min").to_numpy()
        span = frame.groupby("a")["t"].transform("max").to_numpy() - lo + 1
        shift = (rng.random(len(c.accounts)) * span.max()).astype(np.int64)[c.acc]
        return c.acc, lo + (c.t - lo + shift) % span
    raise BadParameter("null", f"{method!r} is not one of "
                       f"{', '.join(m.value for m in NullModel)}")


def significance(events: pd.DataFrame, edges: pd.DataFrame, members: pd.DataFrame,
                 stats: pd.DataFrame, window_ms: int, min_weight: int, reps: int = 100,
                 seed: int = 0, null: NullModel | str = NullModel.PERMUTE,
                 ring_method: RingMethod | str = RingMethod.LEIDEN, min_size: int = 3
                 ) -> Significance:
    """Compare the observed `edges` and rings (`members`, `stats` from `find_rings`) with
    `reps` replicates of the null model."""
    if reps < 1:
        raise BadParameter("null_reps", f"{reps}: need at least 1 replicate")
    null = NullModel(null) if null in set(NullModel) else null
    c = encode(events, min_targets=0)
    n = max(len(c.accounts), 1)
    code = {name: k for k, name in enumerate(c.accounts)}
    edge_key = (edges["a"].map(code).to_numpy(dtype=np.int64) * n
                + edges["b"].map(code).to_numpy(dtype=np.int64))
    observed = edges["weight"].to_numpy()
    edge_hits = np.zeros(len(edges), dtype=np.int64)
    null_max = np.zeros(reps)
    rng = np.random.default_rng(seed)
    for rep in range(reps):
        acc, t = null_events(c, null, rng)
        cn = prepare(acc, c.tgt, t, c.tweet, (c.accounts, c.targets, c.tweets), min_weight)
        w = weights(pair_targets(cn, window_ms), min_weight)
        got = pd.Series(w["weight"].to_numpy(), index=w["a"].to_numpy() * n + w["b"].to_numpy())
        edge_hits += got.reindex(edge_key).fillna(0).to_numpy() >= observed
        _, null_stats = find_rings(w, ring_method, min_size=min_size, seed=seed + rep)
        null_max[rep] = null_stats["score"].max() if len(null_stats) else 0.0
    edge_p = pd.DataFrame({"a": edges["a"], "b": edges["b"],
                           "p_value": (1 + edge_hits) / (1 + reps)})
    score = stats["score"].to_numpy(dtype=float)
    hits = (null_max[None, :] >= score[:, None]).sum(axis=1)
    sd = null_max.std()
    ring_p = pd.DataFrame({
        "ring": stats["ring"], "p_value": (1 + hits) / (1 + reps),
        "z": (score - null_max.mean()) / sd if sd > 0 else np.where(
            score > null_max.mean(), np.inf, 0.0),
        "null_mean": null_max.mean(), "null_max": null_max.max(),
    })
    return Significance(edge_p, ring_p, reps, NullModel(null))
