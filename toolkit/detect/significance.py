"""How unusual is an edge or a ring against chance? A null model that keeps each account's
activity and each target's timeline but breaks which accounts act together.

`permute` (default): within each day, the events are dealt out again to the accounts active
that day, each keeping its number of events per day; every target keeps its exact timeline
(a viral tweet still gets its burst of retweets), only who is in the burst changes. So a
crowd drawn into the same bursts by chance is reproduced by the null, while a ring that
keeps meeting is not. `shift`: each account's events move together by a random circular
shift within the account's own active span (activity rhythm kept, alignment broken).

The detector is re-run on every null replicate with the same window, weighting (a target's
IDF weight recomputed from the replicate's own events, as the detector would), account
factors, minimum weight and ring method. A ring's p-value is the share of replicates in
which chance alone produces a ring (anywhere) scoring as high: the maximum over null rings,
so looking at many rings at once does not make one of them look significant. An edge's
p-value is the same for edges: the share of replicates in which chance produces an edge
(between any two accounts) at least as heavy. p = (1 + hits) / (1 + reps).

Why the maximum for edges too: a run weighs thousands of candidate pairs, and a chance pair
rarely meets again in a null replicate, so "the share of replicates in which the same pair
reaches its weight" (the measure before) gave crowd edges p = 0.01-0.05 by the thousand,
the look-elsewhere effect. Against the heaviest chance edge, a crowd edge gets p near 1 and
an edge that no chance pairing reaches gets 1 / (1 + reps).

Cost (`NullPlan`): replicate r draws from its own stream (`SeedSequence(seed, spawn_key=(r,))`),
so replicates run on several processes and give the same p-values on any number of them.
Each replicate pairs only the events that can reach the minimum weight in it (`reachable`,
exact). With `stop_hits` h > 0, replicates stop early once every edge and ring has been
matched h times (Besag and Clifford's sequential p-value: h / replicates so far for those,
which is then above h / reps): a run whose findings are all chance stops after a few dozen
replicates instead of `reps`; a p-value below h / reps always gets every replicate.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from ..errors import BadParameter
from .options import NullModel
from .pairs import (
    EPS,
    Coded,
    Weighting,
    encode,
    near_another,
    pair_weights,
    reachable,
    target_weights,
)
from .rings import RingMethod, find_rings

DAY_MS = 86_400_000
PARALLEL_MIN_EVENTS = 20_000
"""Below this many events a replicate takes milliseconds: not worth a process pool."""


@dataclass(frozen=True, slots=True)
class NullPlan:
    """What the null model runs: the detector's settings and how replicates are spent."""

    window_ms: int
    min_weight: float
    reps: int = 100
    seed: int = 0
    null: NullModel = NullModel.PERMUTE
    ring_method: RingMethod = RingMethod.LEIDEN
    min_size: int = 3
    resolution: float = 1.0
    weighting: Weighting = Weighting.COUNT
    stop_hits: int = 10
    workers: int = 0  # 0: one per CPU core

    def validate(self) -> NullPlan:
        if self.reps < 1:
            raise BadParameter("null_reps", f"{self.reps}: need at least 1 replicate")
        if self.stop_hits < 0:
            raise BadParameter("stop_hits", f"{self.stop_hits}: must be >= 0 (0: never stop "
                               "early)")
        if self.workers < 0:
            raise BadParameter("workers", f"{self.workers}: must be >= 0 (0: one per core)")
        NullModel(self.null)
        return self


@dataclass(frozen=True, slots=True)
class Significance:
    """p-values (and ring z-scores against the null maximum) for observed edges and rings."""

    edges: pd.DataFrame  # a, b, p_value
    rings: pd.DataFrame  # ring, p_value, z, null_mean, null_max
    reps: int  # replicates run (fewer than asked when every finding settled early)
    null: NullModel
    workers: int
    null_max: np.ndarray  # the best chance ring's score in each replicate run
    edge_max: np.ndarray  # the heaviest chance edge's weight in each replicate run
    signal_p: np.ndarray | None = None  # fused: per edge and signal (NaN: not in it)


def null_events(c: Coded, method: NullModel | str, rng: np.random.Generator
                ) -> tuple[np.ndarray, np.ndarray]:
    """One replicate: (accounts, times) for the events of `c`, in the same order."""
    if method == NullModel.PERMUTE:
        day = c.t // DAY_MS
        by_day = np.argsort(day, kind="stable")
        shuffled = rng.permutation(c.n)
        dealt = shuffled[np.argsort(day[shuffled], kind="stable")]  # random order in a day
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


def replicate_rng(seed: int, rep: int) -> np.random.Generator:
    """Replicate `rep`'s own stream: the same on any process, in any order."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(rep,)))


def null_weights(c: Coded, plan: NullPlan, rep: int, live: np.ndarray | None = None
                 ) -> pd.DataFrame:
    """Replicate `rep`'s edges (a, b account codes, weight), those >= the minimum weight:
    the null events re-weighted and paired exactly as the observed ones were. `live`: the
    events with another on their target within the window (`near_another`; the permute
    null keeps every time, so it can be computed once)."""
    acc, t = null_events(c, plan.null, replicate_rng(plan.seed, rep))
    tgt = c.tgt
    if t is not c.t:  # shifted times: back into (target, time) order
        order = np.lexsort((t, tgt))
        acc, tgt, t = acc[order], tgt[order], t[order]
        live = None
    if live is None:
        live = near_another(tgt, t, plan.window_ms)
    n_acc, n_tgt = len(c.accounts), len(c.targets)
    tw, aw = c.tw, c.aw
    assert tw is not None and aw is not None  # encode() sets both
    if plan.weighting == Weighting.IDF:
        tw = target_weights(acc, tgt, n_acc, n_tgt, plan.weighting)
    keep = np.flatnonzero(reachable(acc, tgt, n_acc, n_tgt, plan.min_weight, tw, aw, live))
    sub = Coded(acc[keep], tgt[keep], t[keep], c.tweet[keep], c.accounts, c.targets,
                c.tweets, tw, aw)
    return pair_weights(sub, plan.window_ms, plan.min_weight, tw, aw)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one replicate says about the observed findings."""

    rep: int
    edge_max: float  # the heaviest null edge (0 without one)
    null_max: float  # the best null ring's score (0 without one)
    null_edges: int
    signal_max: tuple[float, ...] = ()  # a fused replicate: the heaviest edge per signal


class Replicator(Protocol):
    """Makes the chance edges (a, b, weight) of replicate `rep` and the heaviest chance
    edge of each signal it combines (empty for a single kind), and scores rings."""

    plan: NullPlan

    def edges(self, rep: int) -> tuple[pd.DataFrame, tuple[float, ...]]: ...

    def ring_scores(self, edges: pd.DataFrame, members: pd.DataFrame,
                    stats: pd.DataFrame) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class KindReplicator:
    """One kind's null model: the events of `c` dealt out again (see `null_weights`)."""

    c: Coded
    plan: NullPlan
    live: np.ndarray | None

    def edges(self, rep: int) -> tuple[pd.DataFrame, tuple[float, ...]]:
        return null_weights(self.c, self.plan, rep, self.live), ()

    def ring_scores(self, edges: pd.DataFrame, members: pd.DataFrame,
                    stats: pd.DataFrame) -> np.ndarray:
        return stats["score"].to_numpy(dtype=float)


_JOB: Replicator | None = None
"""The replicate job of this process (set before a pool forks, inherited by its workers)."""


def _replicate(rep: int) -> Outcome:
    assert _JOB is not None
    w, signal_max = _JOB.edges(rep)
    plan = _JOB.plan
    members, stats = find_rings(w, plan.ring_method, plan.min_size, plan.resolution,
                                seed=plan.seed + rep)
    scores = _JOB.ring_scores(w, members, stats)
    return Outcome(rep, float(w["weight"].max()) if len(w) else 0.0,
                   float(scores.max()) if len(scores) else 0.0, len(w), signal_max)


def _outcomes(workers: int, reps: int) -> Iterator[Outcome]:
    """Replicates 0, 1, ... in order, computed `workers` at a time; the consumer stops
    asking when it has enough (replicates computed ahead are then dropped)."""
    if workers <= 1:
        yield from map(_replicate, range(reps))
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        ahead: dict[int, Future[Outcome]] = {}
        for rep in range(reps):
            for r in range(rep, min(rep + 2 * workers, reps)):
                if r not in ahead:
                    ahead[r] = pool.submit(_replicate, r)
            yield ahead.pop(rep).result()
    finally:  # also when the consumer stops early: replicates not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def significance(events: pd.DataFrame, edges: pd.DataFrame, stats: pd.DataFrame,
                 plan: NullPlan, damp: pd.Series | None = None,
                 progress: Callable[[str], None] | None = None) -> Significance:
    """Compare the observed `edges` (a, b, weight) and rings (`stats` from `find_rings`)
    with up to `plan.reps` replicates of the null model."""
    plan = plan.validate()
    # Every event on a target with two or more: wherever the null deals them, they may pair.
    c = encode(events, weighting=plan.weighting, damp=damp, prune=False)
    live = near_another(c.tgt, c.t, plan.window_ms) if plan.null == NullModel.PERMUTE else None
    return run_null(KindReplicator(c, plan, live), c.n, edges, stats, progress)


def run_null(job: Replicator, events: int, edges: pd.DataFrame, stats: pd.DataFrame,
             progress: Callable[[str], None] | None = None,
             signals: np.ndarray | None = None) -> Significance:
    """Run `job`'s replicates (on a process pool for `events` of 20,000 or more) against
    the observed edges and rings, stopping early as the plan says. `signals`: per observed
    edge, its weight in each signal a fused replicate reports (0: not in that signal);
    their p-values come back in `Significance.signal_p`."""
    global _JOB
    plan = job.plan
    say = progress or (lambda _: None)
    observed = edges["weight"].to_numpy(dtype=float)
    score = stats["score"].to_numpy(dtype=float)
    workers = plan.workers or (1 if events < PARALLEL_MIN_EVENTS else os.cpu_count() or 1)
    workers = min(workers, plan.reps)

    edge_hits = np.zeros(len(edges), dtype=np.int64)
    edge_done = np.zeros(len(edges), dtype=np.int64)  # replicates when it settled (0: not)
    ring_hits = np.zeros(len(score), dtype=np.int64)
    ring_done = np.zeros(len(score), dtype=np.int64)
    signal_hits = None if signals is None else np.zeros(signals.shape, dtype=np.int64)
    null_max: list[float] = []
    edge_max: list[float] = []
    h = plan.stop_hits
    _JOB = job
    try:
        for out in _outcomes(workers, plan.reps):
            done = out.rep + 1
            edge_hits += (edge_done == 0) & (observed <= out.edge_max + EPS)
            ring_hits += (ring_done == 0) & (score <= out.null_max)
            if signal_hits is not None and signals is not None:
                signal_hits += (signals > 0) & (signals <= np.asarray(out.signal_max) + EPS)
            null_max.append(out.null_max)
            edge_max.append(out.edge_max)
            if h:
                edge_done[(edge_done == 0) & (edge_hits >= h)] = done
                ring_done[(ring_done == 0) & (ring_hits >= h)] = done
            unsettled = int((edge_done == 0).sum() + (ring_done == 0).sum())
            say(f"null replicate {done}/{plan.reps}: {out.null_edges:,} chance edges "
                f"(heaviest {out.edge_max:.2f}), best chance ring {out.null_max:.2f}; "
                f"{unsettled:,} findings unsettled")
            if h and not unsettled:
                break
    finally:
        _JOB = None
    ran = len(null_max)
    nm = np.asarray(null_max)
    sd = nm.std()
    ring_p = pd.DataFrame({
        "ring": stats["ring"], "p_value": _p(ring_hits, ring_done, ran),
        "z": (score - nm.mean()) / sd if sd > 0 else np.where(score > nm.mean(), np.inf, 0.0),
        "null_mean": nm.mean(), "null_max": nm.max(),
    })
    edge_p = pd.DataFrame({"a": edges["a"], "b": edges["b"],
                           "p_value": _p(edge_hits, edge_done, ran)})
    signal_p = None
    if signal_hits is not None and signals is not None:
        signal_p = np.where(signals > 0, (1 + signal_hits) / (1 + ran), np.nan)
    return Significance(edge_p, ring_p, ran, NullModel(plan.null), workers, nm,
                        np.asarray(edge_max), signal_p)


def _p(hits: np.ndarray, settled_at: np.ndarray, reps: int) -> np.ndarray:
    """(1 + hits) / (1 + reps), or hits / replicates-so-far where a finding settled early."""
    return np.where(settled_at > 0, hits / np.maximum(settled_at, 1), (1 + hits) / (1 + reps))
