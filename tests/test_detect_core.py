"""The pure detection core on hand-made events: windowed pairs against a brute force,
chunking invariance, rings, the null model and the automatic window. No database."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from toolkit.detect.pairs import co_action_edges, directed_message_weights, encode, sweep
from toolkit.detect.rings import find_rings
from toolkit.detect.significance import NullPlan, null_events, significance
from toolkit.detect.window import auto_window_ms
from toolkit.errors import BadParameter


def events(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame({
        "account": [r[0] for r in rows], "target": [r[1] for r in rows],
        "time_ms": np.array([r[2] for r in rows], dtype=np.int64),
        "tweetid": [f"t{k}" for k in range(len(rows))],
    })


def brute_force(ev: pd.DataFrame, window_ms: int, min_weight: int) -> dict:
    """Every pair of events compared: {(a, b): (weight, first, last, targets)}."""
    shared: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    rows = list(ev.itertuples(index=False))
    for x, y in itertools.combinations(rows, 2):
        if x.account == y.account or x.target != y.target:
            continue
        if abs(x.time_ms - y.time_ms) > window_ms:
            continue
        a, b = sorted((x.account, y.account))
        lo, hi = min(x.time_ms, y.time_ms), max(x.time_ms, y.time_ms)
        old = shared.setdefault((a, b), {}).get(x.target, (lo, hi))
        shared[(a, b)][x.target] = (min(old[0], lo), max(old[1], hi))
    out = {}
    for pair, targets in shared.items():
        if len(targets) >= min_weight:
            out[pair] = (len(targets), min(v[0] for v in targets.values()),
                         max(v[1] for v in targets.values()), set(targets))
    return out


def as_dict(edges: pd.DataFrame) -> dict:
    return {(r.a, r.b): (r.weight, r.first_ms, r.last_ms, set(r.evidence))
            for r in edges.itertuples(index=False)}


def random_events(seed: int, n: int = 400, accounts: int = 25, targets: int = 30,
                  span_ms: int = 600_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return events(list(zip(
        [f"u{x:02d}" for x in rng.integers(0, accounts, n)],
        [f"x{x}" for x in rng.integers(0, targets, n)],
        # whole seconds, so exact window boundaries (dt == window) happen often
        (rng.integers(0, span_ms // 1000, n) * 1000).tolist(), strict=True)))


def test_inclusive_window_and_distinct_targets() -> None:
    ev = events([
        ("a", "x", 0), ("b", "x", 60_000),      # exactly at the window: counts
        ("a", "y", 0), ("b", "y", 60_001),      # one ms beyond: does not
        ("a", "z", 5), ("b", "z", 10), ("b", "z", 20),  # repeats count once
        ("a", "w", 100), ("c", "w", 100), ("b", "w", 30_000),
        ("a", "a1", 0), ("a", "a1", 1),         # same account: never a pair
    ])
    edges = as_dict(co_action_edges(ev, 60_000, min_weight=1))
    assert edges == {
        ("a", "b"): (3, 0, 60_000, {"x", "z", "w"}),
        ("a", "c"): (1, 100, 100, {"w"}),
        ("b", "c"): (1, 100, 30_000, {"w"}),
    }


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("window_ms", [0, 1_000, 60_000])
def test_pairs_match_brute_force(seed: int, window_ms: int) -> None:
    ev = random_events(seed)
    for min_weight in (1, 2, 3):
        got = as_dict(co_action_edges(ev, window_ms, min_weight, evidence_cap=10**6))
        assert got == brute_force(ev, window_ms, min_weight)


def test_slicing_does_not_change_the_result() -> None:
    ev = random_events(7, n=1500, accounts=40, targets=8)
    whole = co_action_edges(ev, 120_000, 1, evidence_cap=10**6)
    for budget in (1, 7, 1000):
        sliced = co_action_edges(ev, 120_000, 1, evidence_cap=10**6, budget=budget)
        assert as_dict(sliced) == as_dict(whole)
    c = encode(ev)
    slices = list(sweep(c, 120_000, budget=50))
    assert len(slices) > 10
    assert max(len(i) for i, _ in slices) <= 50 + int(np.diff(c.t).size)  # one event's run
    pairs = np.concatenate([np.stack(s, axis=1) for s in slices])
    assert len(np.unique(pairs, axis=0)) == len(pairs)  # each event pair once


def test_partitioned_state_gives_the_same_edges() -> None:
    from toolkit.detect.pairs import decode_edges, pair_targets
    ev = random_events(11, n=800)
    c = encode(ev)
    one = decode_edges(c, pair_targets(c, 60_000), 1, 10**6)
    split = decode_edges(c, pair_targets(c, 60_000, budget=100, max_state=50), 1, 10**6)
    assert as_dict(one) == as_dict(split)


def test_evidence_is_capped_earliest_first() -> None:
    rows = [(u, f"x{k}", k * 1000 + d) for k in range(10) for u, d in (("a", 0), ("b", 5))]
    edge = co_action_edges(events(rows), 60_000, 1, evidence_cap=4).iloc[0]
    assert edge.weight == 10
    assert edge.evidence == ["x0", "x1", "x2", "x3"]


def test_min_weight_prefilter_is_exact() -> None:
    ev = random_events(3, n=600, accounts=15, targets=12)
    for mw in (2, 4, 6):
        assert as_dict(co_action_edges(ev, 90_000, mw, evidence_cap=10**6)) == brute_force(
            ev, 90_000, mw)


def test_directed_weights_count_messages_like_cnt() -> None:
    # a posts the same target twice, both within the window of b's one post
    ev = events([("a", "x", 0), ("a", "x", 50_000), ("b", "x", 30_000)])
    d = directed_message_weights(ev, 60_000)
    got = {(r.user_1, r.user_2): r.weight for r in d.itertuples(index=False)}
    assert got == {("a", "b"): 2, ("b", "a"): 1}
    assert co_action_edges(ev, 60_000, 1).weight.tolist() == [1]


def test_bad_parameters_name_themselves() -> None:
    with pytest.raises(BadParameter, match="'window'"):
        co_action_edges(random_events(0), -1, 3)
    with pytest.raises(BadParameter, match="'min_weight'"):
        co_action_edges(random_events(0), 1000, 0)


def planted(seed: int = 5) -> tuple[pd.DataFrame, set[str], set[str]]:
    """Background noise, a 10-account ring acting on 12 targets within 20 s, and a viral
    crowd: 60 accounts that each retweet 3 viral tweets spread over an hour."""
    rng = np.random.default_rng(seed)
    rows = []
    day = 86_400_000
    for _ in range(3000):  # organic background over 10 days
        rows.append((f"o{rng.integers(0, 300)}", f"n{rng.integers(0, 2000)}",
                     int(rng.integers(0, 10 * day))))
    ring = {f"r{k}" for k in range(10)}
    for k in range(12):
        t = int(rng.integers(0, 10 * day))
        rows += [(m, f"ring{k}", t + int(rng.integers(0, 20_000))) for m in sorted(ring)]
    crowd = set()
    for k in range(3):
        t = int(rng.integers(0, 10 * day))
        for u in rng.choice(300, 60, replace=False):
            crowd.add(f"o{u}")
            rows.append((f"o{u}", f"viral{k}", t + int(rng.integers(0, 300_000))))
    return events(rows), ring, crowd


def test_rings_recover_a_planted_ring() -> None:
    ev, ring, _ = planted()
    edges = co_action_edges(ev, 60_000, 3)
    members, stats = find_rings(edges)
    found = members.groupby("ring")["account"].apply(set).tolist()
    assert ring in found
    row = stats.loc[stats["size"] == 10].iloc[0]
    assert row["density"] == 1.0
    assert row["score"] >= 10


def test_a_near_clique_that_is_all_a_run_found_stays_one_ring() -> None:
    """Modularity would cut the only component in two, however dense; 176 of 190 pairs of
    20 accounts is one ring. A sparse tangle beside it is still split into its parts."""
    rng = np.random.default_rng(3)
    pairs = [(f"m{i:02d}", f"m{j:02d}") for i in range(20) for j in range(i + 1, 20)]
    kept = [pairs[k] for k in sorted(rng.choice(len(pairs), 176, replace=False))]
    clique = pd.DataFrame(kept, columns=["a", "b"]).assign(weight=3.5)
    members, stats = find_rings(clique)
    assert stats["size"].tolist() == [20] and members["ring"].nunique() == 1
    two = [(f"{g}{i}", f"{g}{j}") for g in "xy" for i in range(6) for j in range(i + 1, 6)]
    tangle = pd.DataFrame([*two, ("x0", "y0")], columns=["a", "b"]).assign(weight=1.0)
    members, stats = find_rings(pd.concat([clique, tangle], ignore_index=True))
    assert sorted(stats["size"]) == [6, 6, 20]


# A chance graph of a null replicate on the demo campaign (13 vertices, two of them
# isolated, 11 edges), on which igraph's Leiden "to convergence" (n_iterations=-1) cycles
# forever. Run in a child process: a hang inside igraph's C code cannot be interrupted.
CYCLING_LEIDEN = """
import numpy as np, igraph
from toolkit.detect.rings import _leiden
edges = [(0, 5), (1, 5), (2, 5), (2, 8), (3, 5), (3, 9), (4, 5), (5, 7), (5, 10), (5, 9),
         (7, 12)]
w = [3.1886, 3.5963, 3.1501, 3.0822, 3.3611, 3.5223, 3.4848, 3.3614, 3.357, 4.5646, 3.0908]
print(_leiden(igraph.Graph(n=13, edges=edges), np.asarray(w), 1.0, 0).tolist())
"""


def test_leiden_stops_where_igraphs_own_loop_cycles() -> None:
    done = subprocess.run([sys.executable, "-c", CYCLING_LEIDEN], capture_output=True,
                          text=True, timeout=120, check=True)
    membership = json.loads(done.stdout)
    assert len(membership) == 13 and membership[0] == membership[5]  # a leaf joins its hub


def test_null_keeps_each_accounts_daily_activity() -> None:
    ev, _, _ = planted()
    c = encode(ev)
    rng = np.random.default_rng(0)
    for method in ("permute", "shift"):
        acc, t = null_events(c, method, rng)
        if method == "permute":
            assert np.array_equal(t, c.t)
            before = pd.crosstab(c.acc, c.t // 86_400_000)
            after = pd.crosstab(acc, t // 86_400_000)
            assert before.equals(after)
            assert (acc != c.acc).mean() > 0.5
        else:
            assert np.array_equal(acc, c.acc)
            spans = pd.DataFrame({"a": acc, "t": t}).groupby("a")["t"].agg(["min", "max"])
            orig = pd.DataFrame({"a": c.acc, "t": c.t}).groupby("a")["t"].agg(["min", "max"])
            assert (spans["min"] >= orig["min"]).all() and (spans["max"] <= orig["max"]).all()


def test_significance_separates_ring_from_chance() -> None:
    ev, ring, _ = planted()
    edges = co_action_edges(ev, 60_000, 2)
    members, stats = find_rings(edges)
    sig = significance(ev, edges, stats, NullPlan(60_000, 2, reps=49, seed=1, stop_hits=0))
    ring_id = members.loc[members["account"].isin(ring), "ring"].iloc[0]
    p = sig.rings.set_index("ring")["p_value"]
    assert p[ring_id] == pytest.approx(1 / 50)
    others = p.drop(ring_id)
    assert len(others) >= 3  # chance rings exist at min weight 2 ...
    assert (others > 0.05).all()  # ... and the null model says so
    ep = sig.edges.merge(edges, on=["a", "b"])
    inside = ep["a"].isin(ring) & ep["b"].isin(ring)
    assert inside.sum() == 45
    assert np.allclose(ep.loc[inside, "p_value"], 1 / 50)


def test_auto_window_follows_the_fast_shares() -> None:
    rng = np.random.default_rng(2)
    rows = []
    for k in range(200):  # each target: a burst within ~10 s, then a slow tail
        t = int(rng.integers(0, 10**9))
        rows += [(f"u{j}", f"x{k}", t + int(rng.integers(0, 10_000))) for j in range(5)]
        rows += [(f"v{j}", f"x{k}", t + int(rng.integers(0, 10**8))) for j in range(5)]
    window = auto_window_ms(events(rows))
    assert 1_000 <= window <= 12_000
    with pytest.raises(BadParameter, match="'window'"):
        auto_window_ms(events([("a", "x", 0)]))


def test_near_duplicate_groups_match_exact_jaccard() -> None:
    from toolkit.detect.similar import near_duplicate_groups
    from toolkit.sources.text import normalize_text, tokens
    rng = np.random.default_rng(4)
    words = [f"w{k}" for k in range(40)]
    bases = [list(rng.choice(words, 10, replace=False)) for _ in range(15)]
    texts = []
    for _ in range(300):  # variants: drop or swap a word, change case, add a mention
        w = list(bases[rng.integers(0, 15)])
        if rng.random() < 0.5:
            w[rng.integers(0, 10)] = str(rng.choice(words))
        texts.append(("@x " if rng.random() < 0.3 else "") + " ".join(w).upper())
    texts.append("too short")
    groups = near_duplicate_groups(pd.Series(texts), threshold=0.8)
    assert pd.isna(groups.iloc[-1])
    sets = [set(tokens(normalize_text(t))) for t in texts[:-1]]
    for i, j in itertools.combinations(range(len(sets)), 2):
        jac = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
        if jac >= 0.8:
            assert groups[i] == groups[j]
    assert 10 <= groups.nunique() <= 300


def test_sub_minute_window_on_minute_times_is_refused_or_flagged() -> None:
    from toolkit.detect.events import Kind
    from toolkit.detect.runs import DetectParams, choose_window
    ev = random_events(1).assign(time_source="archive")
    with pytest.raises(BadParameter, match="below the data's time precision"):
        choose_window(ev, DetectParams(Kind.CO_RETWEET, window_s=30))
    assert choose_window(ev, DetectParams(Kind.CO_RETWEET, window_s=60))[2] == []
    ev.loc[:9, "time_source"] = "snowflake"
    ev.loc[10:, "time_source"] = "snowflake"
    ev.loc[:4, "time_source"] = "archive"
    window, note, warnings = choose_window(ev, DetectParams(Kind.CO_RETWEET, window_s=30))
    assert window == 30_000 and note == "given: 30 s"
    assert warnings and warnings[0].startswith("5 of 400 events")
    window, note, _ = choose_window(ev, DetectParams(Kind.CO_RETWEET, window_s=None))
    assert note.startswith(f"auto: {window / 1000:g} s")
