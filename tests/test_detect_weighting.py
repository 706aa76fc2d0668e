"""IDF weighting, hyperactive accounts and what a run writes, on hand-made events: the
weighted pairs against a brute force that weights every shared target itself, exact
pruning, damping of a firehose account, and the selection of edges and rings. No database."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from test_detect_core import events, random_events

from toolkit.detect.hyperactive import hyperactive_accounts
from toolkit.detect.pairs import Weighting, co_action_edges
from toolkit.detect.select import select


def brute_idf(ev: pd.DataFrame, window_ms: int, min_weight: float,
              damp: dict[str, float] | None = None) -> dict[tuple[str, str], float]:
    """Every pair of events compared; each shared target weighs log(N/n) / log(N/2)."""
    n_all = ev["account"].nunique()
    users = ev.groupby("target")["account"].nunique()
    weight = {t: math.log(n_all / n) / math.log(n_all / 2) for t, n in users.items()}
    shared: dict[tuple[str, str], set[str]] = {}
    for x, y in itertools.combinations(ev.itertuples(index=False), 2):
        if x.account != y.account and x.target == y.target and abs(
                x.time_ms - y.time_ms) <= window_ms:
            shared.setdefault(tuple(sorted((x.account, y.account))), set()).add(x.target)
    damp = damp or {}
    out = {}
    for (a, b), targets in shared.items():
        w = sum(weight[t] for t in targets) * damp.get(a, 1.0) * damp.get(b, 1.0)
        if w >= min_weight - 1e-9:
            out[(a, b)] = w
    return out


@pytest.mark.parametrize("seed", range(4))
def test_idf_weights_match_brute_force_and_pruning_is_exact(seed: int) -> None:
    ev = random_events(seed, n=500, accounts=30, targets=40)
    for min_weight in (0.5, 1.5, 3.0):
        got = co_action_edges(ev, 60_000, min_weight, evidence_cap=10**6,
                              weighting=Weighting.IDF)
        want = brute_idf(ev, 60_000, min_weight)
        assert set(zip(got["a"], got["b"], strict=True)) == set(want)
        for r in got.itertuples(index=False):
            assert r.weight == pytest.approx(want[(r.a, r.b)])
            assert r.shared == len(r.evidence) and r.weight <= r.shared


def test_a_rare_target_counts_one_and_one_everybody_uses_counts_nothing() -> None:
    ev = events([("a", "rare", 0), ("b", "rare", 10),
                 *((u, "everyone", 0) for u in "abcdef"),
                 *((u, "half", 5) for u in "abc")])
    edges = co_action_edges(ev, 60_000, 0.01, weighting=Weighting.IDF).set_index(["a", "b"])
    assert edges.loc[("a", "b"), "weight"] == pytest.approx(1 + math.log(2) / math.log(3))
    assert edges.loc[("a", "c"), "weight"] == pytest.approx(math.log(2) / math.log(3))
    assert ("d", "e") not in edges.index  # they share only what everyone uses
    counted = co_action_edges(ev, 60_000, 1).set_index(["a", "b"])
    assert counted.loc[("a", "b"), "weight"] == 3 and counted.loc[("d", "e"), "weight"] == 1


def test_a_firehose_account_is_reported_and_damped() -> None:
    """40 ordinary accounts with 5 events each and one with 2,000 on the same 50 targets
    within an hour: undamped it links to everyone; damped (a quarter: the threshold is
    100 x the median of 5) to no one, and the other edges do not change."""
    rng = np.random.default_rng(3)
    rows = [(f"u{k:02d}", f"t{rng.integers(0, 50)}", int(rng.integers(0, 3_600_000)))
            for k in range(40) for _ in range(5)]
    rows += [("firehose", f"t{k % 50}", int(rng.integers(0, 3_600_000))) for k in range(2000)]
    ev = events(rows)
    hyper = hyperactive_accounts(ev, 100)
    assert hyper["account"].tolist() == ["firehose"] and hyper["events"].tolist() == [2000]
    assert hyper["factor"].iloc[0] == pytest.approx(500 / 2000)
    assert hyperactive_accounts(ev, 0).empty

    def split(edges: pd.DataFrame) -> tuple[int, set[tuple[str, str, float]]]:
        fire = (edges["a"] == "firehose") | (edges["b"] == "firehose")
        return int(fire.sum()), {(r.a, r.b, float(r.weight))
                                 for r in edges[~fire].itertuples(index=False)}

    plain = split(co_action_edges(ev, 600_000, 2.0))
    damped = split(co_action_edges(ev, 600_000, 2.0, damp=hyper.set_index("account")["factor"]))
    assert plain[0] >= 35 and damped[0] == 0
    assert damped[1] == plain[1] and len(plain[1]) > 0


def test_damped_weights_match_brute_force() -> None:
    ev = random_events(9, n=600, accounts=20, targets=25)
    damp = {"u03": 0.5, "u07": 0.2}
    got = co_action_edges(ev, 60_000, 0.8, evidence_cap=10**6, weighting=Weighting.IDF,
                          damp=pd.Series(damp))
    want = brute_idf(ev, 60_000, 0.8, damp)
    assert {(r.a, r.b): pytest.approx(r.weight) for r in got.itertuples()} == want


def test_selection_writes_significant_findings_and_their_rings_edges() -> None:
    edges = pd.DataFrame({"a": ["a", "a", "b", "x", "y", "p"],
                          "b": ["b", "c", "c", "y", "z", "q"],
                          "p_value": [0.01, 0.2, 0.01, 0.5, 0.01, np.nan]})
    members = pd.DataFrame({"account": ["a", "b", "c", "x", "y", "z"],
                            "ring": [1, 1, 1, 2, 2, 2]})
    rings = pd.DataFrame({"ring": [1, 2], "size": [3, 3], "p_value": [0.01, 0.4]})
    chosen = select(edges, members, rings, keep_p=0.05, max_ring_size=500)
    assert chosen.rings.tolist() == [True, False]
    assert chosen.members.tolist() == [True] * 3 + [False] * 3
    # a-c (p 0.2) is inside written ring 1; x-y is not; y-z is significant on its own;
    # p-q has no p-value (no null model): written
    assert chosen.edges.tolist() == [True, True, True, False, True, True]
    assert chosen.rings_left_out == {"p > 0.05": 1} and chosen.edges_left_out() == 1
    small = select(edges, members, rings, keep_p=0.05, max_ring_size=2)
    assert small.rings_left_out == {"more than 2 accounts": 2}  # counted once, size first
    everything = select(edges, members, rings, 0.05, 2, keep_all=True)
    assert everything.edges.all() and everything.rings.all() and not everything.rings_left_out


def test_too_few_replicates_for_keep_p_is_said() -> None:
    from toolkit.detect.events import Kind
    from toolkit.detect.runs import DetectParams, compute
    ev = random_events(2).assign(time_source="snowflake")
    few = compute(ev, DetectParams(Kind.CO_RETWEET, min_weight=1, null_reps=5))
    assert len(few.edges) and not few.selection.edges.any()
    assert any("no p-value can be below 0.167" in w and "--null-reps 19" in w
               for w in few.warnings)
    kept = compute(ev, DetectParams(Kind.CO_RETWEET, min_weight=1, null_reps=5, keep_all=True))
    assert kept.selection.edges.all() and not kept.warnings
