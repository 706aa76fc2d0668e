"""The fused run's combined p-value on constructed cases, and roles and summaries on hand-made
timelines. No database.

Two copies of one signal must not look stronger than the signal: the joint null deals both
copies out together, so every fused p-value is the single signal's (Fisher's combination,
which assumes independent signals, would square it). Two independent signals each too weak
for a ring make one together."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from toolkit.detect.fused import FusedParams, Signal, fuse
from toolkit.detect.pairs import Weighting
from toolkit.detect.roles import ROLE_RULE, member_roles, ring_episodes
from toolkit.detect.summary import ring_summary

RING = [f"u{a:03d}" for a in range(8)]
WINDOW = 60_000


def weak_signal(kind: str, seed: int, shared: int) -> Signal:
    """80 accounts acting at random on 60 targets within one hour (chance co-actions
    aplenty), and the first 8 acting together on `shared` targets of their own."""
    rng = np.random.default_rng(seed)
    rows = [(f"u{a:03d}", f"{kind}-t{rng.integers(60)}", int(rng.integers(0, 3_600_000)))
            for a in range(80) for _ in range(12)]
    for s in range(shared):
        start = int(rng.integers(0, 3_500_000))
        rows += [(a, f"{kind}-r{s}", start + int(rng.integers(0, 20_000))) for a in RING]
    events = pd.DataFrame(rows, columns=["account", "target", "time_ms"])
    events["tweetid"] = [f"{kind}-{i}" for i in range(len(events))]
    return Signal(kind, events, WINDOW, Weighting.IDF)


def fisher(ps: list[float]) -> float:
    """Fisher's combined p-value for two p-values: x (1 - ln x) with x their product."""
    x = math.prod(ps)
    return x * (1 - math.log(x))


def test_a_signal_twice_keeps_its_p_values() -> None:
    one = weak_signal("co-hashtag", 1, shared=2)
    twin = Signal("co-link", one.events, WINDOW)  # the same tweets: fully dependent
    params = FusedParams(null_reps=49, workers=1, min_weight=0.5, stop_hits=1000)
    alone, twice = fuse([one], params), fuse([one, twin], params)
    both = alone.edges.merge(twice.edges, on=["a", "b"], suffixes=("_1", "_2"))
    assert len(both) == len(alone.edges) == len(twice.edges) > 0
    assert np.allclose(both["weight_2"], 2 * both["weight_1"])
    assert (both["p_value_1"] == both["p_value_2"]).all()
    assert set(twice.edges["signals"].map(tuple)) == {("co-hashtag", "co-link")}
    assert (twice.edges["signal_p"].map(lambda p: p[0] == p[1])).all()
    strong = both.loc[both["p_value_1"].idxmin()]  # Fisher would make it five times smaller
    assert fisher([strong["p_value_1"]] * 2) < strong["p_value_2"] / 5
    assert list(alone.rings["p_value"]) == list(twice.rings["p_value"])


def test_two_weak_signals_make_the_ring_neither_makes_alone() -> None:
    hashtags, links = weak_signal("co-hashtag", 1, shared=2), weak_signal("co-link", 2, 2)
    params = FusedParams(null_reps=99, workers=1)
    assert fuse([hashtags], params).rings.empty
    assert fuse([links], params).rings.empty
    fused = fuse([hashtags, links], params)
    assert len(fused.rings) == 1
    ring = fused.rings.iloc[0]
    assert ring["p_value"] <= 0.01
    assert set(fused.members["account"]) == set(RING)
    assert ring["signals"] == ["co-hashtag", "co-link"] or ring["signals"] == [
        "co-link", "co-hashtag"]
    assert sum(ring["signal_shares"]) == pytest.approx(1, abs=1e-3)
    assert "8 accounts held together by co-" in ring["summary"]
    assert "co-hashtag-r0" in ring["summary"] or "co-link-r0" in ring["summary"]


def timeline() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four hashtags pushed by a ring of four: lead posts first every time, echo 10 s
    after, late 30 s after, stray joins one round (40 s after); a fifth hashtag an hour
    later is used by lead alone, and "again" is used twice, a day apart."""
    rows = []
    for r in range(4):
        start = r * 3_600_000
        rows += [("lead", f"h{r}", start), ("echo", f"h{r}", start + 10_000),
                 ("late", f"h{r}", start + 30_000)]
        if r == 0:
            rows.append(("stray", "h0", start + 40_000))
    rows += [("lead", "solo", 20_000_000), ("echo", "again", 0),
             ("late", "again", 5_000), ("echo", "again", 86_400_000),
             ("late", "again", 86_400_000 + 1_000)]
    events = pd.DataFrame(rows, columns=["account", "target", "time_ms"])
    events["tweetid"] = [str(1000 + i) for i in range(len(events))]
    members = pd.DataFrame({"account": ["echo", "late", "lead", "stray"], "ring": 1})
    return events, members


def test_roles_on_a_hand_made_timeline() -> None:
    events, members = timeline()
    episodes = ring_episodes([("co-hashtag", events, WINDOW)], members)
    assert episodes["episode"].nunique() == 6  # h0..h3, "again" twice; "solo" is no episode
    assert "solo" not in set(episodes["target"])
    roles = member_roles(episodes, members).set_index("account")
    assert roles.loc["lead", ["episodes", "leads"]].tolist() == [4, 4]
    assert roles.loc["lead", "median_lag_s"] == 0
    assert roles.loc["echo", ["episodes", "leads"]].tolist() == [6, 2]
    assert roles.loc["echo", "median_lag_s"] == 10
    assert roles.loc["late", ["episodes", "leads", "median_lag_s"]].tolist() == [6, 0, 30]
    assert roles.loc["stray", ["episodes", "leads", "median_lag_s"]].tolist() == [1, 0, 40]
    assert roles["role"].to_dict() == {"lead": "leader", "echo": "amplifier",
                                       "late": "amplifier", "stray": "peripheral"}
    assert "leader" in ROLE_RULE and "amplifier" in ROLE_RULE


def test_summary_quotes_size_targets_tweets_leaders_and_p() -> None:
    events, members = timeline()
    episodes = ring_episodes([("co-hashtag", events, WINDOW)], members)
    roles = member_roles(episodes, members)
    edges = pd.DataFrame({"first_ms": [0], "last_ms": [86_401_000]})
    ring = {"size": 4, "edges": 6, "density": 1.0, "p_value": 0.0099}
    text = ring_summary(ring, "co-hashtag", edges, episodes, roles, 100)
    assert text == ring_summary(ring, "co-hashtag", edges, episodes, roles, 100)
    assert text.startswith("4 accounts linked by 6 co-hashtag edges (density 1.00), acting "
                           "together from 1970-01-01 00:00 UTC to 1970-01-02 00:00 UTC.")
    assert "h0 (co-hashtag, 4 members; tweets 1000, 1001)" in text
    assert "Leaders, of 6 episodes: lead (first in 4 of its 4 episodes)." in text
    assert text.endswith("p = 0.0099 against 100 null-model replicates.")
    fused = ring_summary(ring, "fused", edges, episodes, roles, None,
                         [("co-hashtag", 0.75), ("co-link", 0.25)])
    assert "held together by co-hashtag (75%) and co-link (25%)" in fused
    assert fused.endswith("No null model was run: no p-value.")
