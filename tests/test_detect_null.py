"""The null model made cheaper keeps the p-values' meaning. Against the plain loop of the
earlier implementation (kept here as the reference, its edge statistic the heaviest chance
edge as now): the same p-values, exactly, when both draw replicate r from the same stream,
on one process or two; the per-replicate streams give the same null distribution as the
earlier single stream; sequential stopping only settles findings whose p-value is far
above the threshold; and with IDF weights a replicate is exactly the detector re-run on
the null events. No database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_detect_core import planted

from toolkit.detect.pairs import Coded, Weighting, co_action_edges, encode, pair_targets, weights
from toolkit.detect.rings import find_rings
from toolkit.detect.significance import (
    NullModel,
    NullPlan,
    null_events,
    null_weights,
    replicate_rng,
    significance,
)

WINDOW, MIN_WEIGHT, REPS = 60_000, 2, 40


def old_prepare(acc: np.ndarray, c: Coded, t: np.ndarray, min_targets: int) -> Coded:
    """The earlier `prepare`: drop accounts with fewer distinct targets and targets with
    one account until nothing changes, then sort by (target, time)."""
    tgt, n_acc, n_tgt = c.tgt, len(c.accounts), len(c.targets)
    keep = np.ones(len(t), dtype=bool)
    while True:
        pairs = np.unique(acc[keep] * n_tgt + tgt[keep])
        per_acc = np.bincount(pairs // n_tgt, minlength=n_acc)
        per_tgt = np.bincount(pairs % n_tgt, minlength=n_tgt)
        new = keep & (per_acc[acc] >= min_targets) & (per_tgt[tgt] >= 2)
        if new.sum() == keep.sum():
            break
        keep = new
    sel = np.flatnonzero(keep)
    sel = sel[np.lexsort((t[sel], tgt[sel]))]
    return Coded(acc[sel], tgt[sel], t[sel], c.tweet[sel], c.accounts, c.targets, c.tweets)


def old_significance(ev: pd.DataFrame, edges: pd.DataFrame, stats: pd.DataFrame, reps: int,
                     seed: int, single_stream: bool, null: str = "permute"
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The earlier implementation's loop (count weights, every event dealt, pruned by
    distinct targets): edge p, ring p, null ring maxima. `single_stream`: one generator for
    all replicates, as it drew them; otherwise replicate r draws from
    `replicate_rng(seed, r)`, as the new one does."""
    c = encode(ev, prune=False)
    edge_max, null_max = np.zeros(reps), np.zeros(reps)
    rng = np.random.default_rng(seed)
    for rep in range(reps):
        acc, t = null_events(c, null, rng if single_stream else replicate_rng(seed, rep))
        w = weights(pair_targets(old_prepare(acc, c, t, MIN_WEIGHT), WINDOW), MIN_WEIGHT)
        edge_max[rep] = w["weight"].max() if len(w) else 0
        _, null_stats = find_rings(w, min_size=3, seed=seed + rep)
        null_max[rep] = null_stats["score"].max() if len(null_stats) else 0.0
    hits = (edge_max[None, :] >= edges["weight"].to_numpy()[:, None]).sum(axis=1)
    ring_hits = (null_max[None, :] >= stats["score"].to_numpy()[:, None]).sum(axis=1)
    return (1 + hits) / (1 + reps), (1 + ring_hits) / (1 + reps), null_max


@pytest.fixture(scope="module")
def observed() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, set[str]]:
    ev, ring, _ = planted()
    edges = co_action_edges(ev, WINDOW, MIN_WEIGHT)
    _, stats = find_rings(edges)
    return ev, edges, stats, ring


@pytest.mark.parametrize("null", ["permute", "shift"])
def test_p_values_equal_the_plain_loop_on_one_process_or_two(observed: tuple, null: str
                                                             ) -> None:
    ev, edges, stats, _ = observed
    edge_p, ring_p, null_max = old_significance(ev, edges, stats, REPS, 7, False, null)
    for workers in (1, 2):
        sig = significance(ev, edges, stats, NullPlan(WINDOW, MIN_WEIGHT, REPS, 7,
                                                      NullModel(null), stop_hits=0,
                                                      workers=workers))
        assert sig.reps == REPS and sig.workers == workers
        assert np.array_equal(sig.edges["p_value"].to_numpy(), edge_p)
        assert np.array_equal(sig.rings["p_value"].to_numpy(), ring_p)
        assert np.array_equal(sig.null_max, null_max)
    if null == "permute":  # not vacuous: chance rings and edges that chance reproduces
        assert len(stats) >= 3 and (ring_p > 0.05).sum() >= 2 and (edge_p > 0.05).sum() > 5


def test_the_new_streams_give_the_same_null_distribution(observed: tuple) -> None:
    """Replicates drawn from one stream (before) and from a stream each (now): the best
    chance ring's score has the same distribution (two-sample Kolmogorov-Smirnov at 1%),
    and the edges' p-values agree within their sampling error."""
    ev, edges, stats, _ = observed
    reps = 120
    before_edges, _, before = old_significance(ev, edges, stats, reps, 3, True)
    now = significance(ev, edges, stats, NullPlan(WINDOW, MIN_WEIGHT, reps, 3, stop_hits=0))
    a, b = np.sort(before), np.sort(now.null_max)
    grid = np.union1d(a, b)
    ks = np.abs(np.searchsorted(a, grid, side="right") / reps
                - np.searchsorted(b, grid, side="right") / reps).max()
    assert ks < 1.628 * np.sqrt(2 / reps)  # the 1% critical value
    assert a.std() > 0  # the statistic varies: the comparison is not vacuous
    diff = np.abs(now.edges["p_value"].to_numpy() - before_edges)
    assert diff.max() < 0.15  # binomial error of a share over 120 replicates: sd <= 0.046


def test_sequential_stopping_only_settles_what_is_clearly_chance(observed: tuple) -> None:
    ev, edges, stats, ring = observed
    full = significance(ev, edges, stats, NullPlan(WINDOW, MIN_WEIGHT, REPS, 7, stop_hits=0))
    early = significance(ev, edges, stats, NullPlan(WINDOW, MIN_WEIGHT, REPS, 7, stop_hits=5))
    for which in ("edges", "rings"):
        p_full = getattr(full, which)["p_value"].to_numpy()
        p_early = getattr(early, which)["p_value"].to_numpy()
        same = p_full < 5 / REPS
        assert np.array_equal(p_early[same], p_full[same])  # small p: every replicate
        assert (p_early[~same] >= 5 / REPS).all()  # settled: h / replicates so far
    inside = edges["a"].isin(ring) & edges["b"].isin(ring)
    assert (early.edges["p_value"][inside] == 1 / (REPS + 1)).all()

    chance = edges[~inside]  # without the ring every finding is chance: an early stop
    _, chance_stats = find_rings(chance)
    stopped = significance(ev, chance, chance_stats,
                           NullPlan(WINDOW, MIN_WEIGHT, 200, 7, stop_hits=5))
    assert stopped.reps < 200
    assert (stopped.edges["p_value"] > 0.02).all()
    on_two = significance(ev, chance, chance_stats,
                          NullPlan(WINDOW, MIN_WEIGHT, 200, 7, stop_hits=5, workers=2))
    assert on_two.reps == stopped.reps and on_two.edges.equals(stopped.edges)


def test_an_idf_replicate_is_the_detector_re_run_on_the_null_events() -> None:
    """Target weights are recomputed from the replicate's own events (who uses a target
    changes when events are dealt out again) and the pruning loses nothing: the replicate's
    edges equal `co_action_edges` run from scratch on the same null events."""
    ev, _, _ = planted(seed=11)
    plan = NullPlan(WINDOW, 1.0, weighting=Weighting.IDF, seed=5)
    c = encode(ev, weighting=Weighting.IDF, prune=False)
    single = ev[ev.groupby("target")["target"].transform("size") == 1]
    for rep in (0, 3):
        got = null_weights(c, plan, rep)
        acc, t = null_events(c, plan.null, replicate_rng(plan.seed, rep))
        dealt = pd.DataFrame({"account": c.accounts[acc], "target": c.targets[c.tgt],
                              "time_ms": t, "tweetid": c.tweets[c.tweet]})
        want = co_action_edges(pd.concat([dealt, single], ignore_index=True), WINDOW, 1.0,
                               weighting=Weighting.IDF)
        got_named = {(c.accounts[a], c.accounts[b]): w for a, b, w in
                     zip(got["a"], got["b"], got["weight"], strict=True)}
        assert len(want) >= 10
        assert got_named == pytest.approx(
            {(a, b): w for a, b, w in zip(want["a"], want["b"], want["weight"], strict=True)})
