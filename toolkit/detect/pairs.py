"""Windowed co-action pairs: which accounts acted on the same target within a time window.

The input is an events table (account, target, time_ms, tweetid); the output is one row per
unordered account pair with its weight (the number of distinct targets both acted on within
`window_ms` of each other, |dt| <= window inclusive), first/last time and the shared targets.

A viral tweet retweeted 100,000 times would give billions of unwindowed pairs, so pairs are
never formed outside the window: events are sorted by (target, time), each event is paired
only with the later events of its target up to `time + window` (a sorted sweep, found with
one `searchsorted`), and the sweep is cut into slices of at most `budget` event pairs. What a
slice leaves behind is reduced at once to distinct (pair, target) rows, so memory follows the
number of distinct pairs, not the number of event pairs; with more candidate pairs than
`max_state` the sweep is repeated over disjoint partitions of the account pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import BadParameter

EVENT_COLUMNS = ("account", "target", "time_ms", "tweetid")
EDGE_COLUMNS = ("a", "b", "weight", "first_ms", "last_ms", "evidence")
DEFAULT_BUDGET = 2_000_000
"""Event pairs formed at once (a slice); ~60 bytes each while they live."""
DEFAULT_MAX_STATE = 30_000_000
"""Candidate (pair, target) rows held at once before the sweep is partitioned."""


@dataclass(frozen=True, slots=True)
class Coded:
    """Events as integer codes, sorted by (target, time): the form the sweep works on."""

    acc: np.ndarray  # int64 account code
    tgt: np.ndarray  # int64 target code
    t: np.ndarray  # int64 ms
    tweet: np.ndarray  # int64 tweet code
    accounts: np.ndarray  # code -> userid
    targets: np.ndarray  # code -> target value
    tweets: np.ndarray  # code -> tweetid

    @property
    def n(self) -> int:
        return len(self.t)


def encode(events: pd.DataFrame, min_targets: int = 1) -> Coded:
    """Factorize and sort the events (see `prepare` for `min_targets`)."""
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise BadParameter("events", f"missing columns {missing}")
    acc, accounts = pd.factorize(events["account"], sort=True)
    tgt, targets = pd.factorize(events["target"], sort=True)
    tweet, tweets = pd.factorize(events["tweetid"], sort=True)
    t = events["time_ms"].to_numpy(dtype=np.int64)
    names = (np.asarray(accounts, dtype=object), np.asarray(targets, dtype=object),
             np.asarray(tweets, dtype=object))
    return prepare(acc.astype(np.int64), tgt.astype(np.int64), t, tweet.astype(np.int64),
                   names, min_targets)


def prepare(acc: np.ndarray, tgt: np.ndarray, t: np.ndarray, tweet: np.ndarray,
            names: tuple[np.ndarray, np.ndarray, np.ndarray], min_targets: int) -> Coded:
    """Sort coded events by (target, time), dropping those that can never be part of a
    pair of weight >= `min_targets`: accounts with fewer distinct targets, targets with a
    single account (repeated until nothing changes; exact, so weights are unaffected).
    `min_targets=0` only drops targets with a single event (for the null model, which
    moves events between accounts)."""
    n_acc, n_tgt = len(names[0]), len(names[1])
    if min_targets == 0:
        keep = np.bincount(tgt, minlength=n_tgt)[tgt] >= 2
    else:
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
    return Coded(acc[sel], tgt[sel], t[sel], tweet[sel], *names)


def window_ends(c: Coded, window_ms: int) -> np.ndarray:
    """For each event, one past the last event of its target within `window_ms` after it."""
    if c.n == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(c.t.max() - c.t.min()) + window_ms + 1
    if span * (int(c.tgt.max()) + 1) >= 2**62:
        raise BadParameter("window", "time span times targets exceeds the 64-bit sweep key")
    key = c.tgt * span + (c.t - c.t.min())
    return np.searchsorted(key, key + window_ms, side="right").astype(np.int64)


def sweep(c: Coded, window_ms: int, budget: int = DEFAULT_BUDGET) -> Iterator[
        tuple[np.ndarray, np.ndarray]]:
    """Yield (i, j) event index pairs, i < j, same target, t[j] - t[i] <= window, different
    accounts; every such pair exactly once, at most about `budget` per slice."""
    ends = window_ends(c, window_ms)
    counts = ends - np.arange(c.n) - 1
    cum = np.cumsum(counts)
    start = 0
    while start < c.n:
        base = int(cum[start - 1]) if start else 0
        stop = max(int(np.searchsorted(cum, base + budget, side="right")), start + 1)
        k = counts[start:stop]
        total = int(cum[stop - 1]) - base
        i = np.repeat(np.arange(start, stop), k)
        start = stop
        if total == 0:
            continue
        j = i + 1 + np.arange(total) - np.repeat(np.cumsum(k) - k, k)
        diff = c.acc[i] != c.acc[j]
        yield i[diff], j[diff]


def candidate_count(c: Coded, window_ms: int) -> int:
    """Event pairs the sweep will form (an upper bound on the distinct (pair, target) rows)."""
    ends = window_ends(c, window_ms)
    return int((ends - np.arange(c.n) - 1).sum())


def _reduce(pk: np.ndarray, g: np.ndarray, lo: np.ndarray, hi: np.ndarray
            ) -> tuple[np.ndarray, ...]:
    """Distinct (pair key, target) rows with the earliest and latest time of each."""
    if len(pk) == 0:
        return pk, g, lo, hi
    order = np.lexsort((g, pk))
    pk, g, lo, hi = pk[order], g[order], lo[order], hi[order]
    head = np.ones(len(pk), dtype=bool)
    head[1:] = (pk[1:] != pk[:-1]) | (g[1:] != g[:-1])
    at = np.flatnonzero(head)
    return pk[at], g[at], np.minimum.reduceat(lo, at), np.maximum.reduceat(hi, at)


def pair_targets(c: Coded, window_ms: int, budget: int = DEFAULT_BUDGET,
                 max_state: int = DEFAULT_MAX_STATE) -> pd.DataFrame:
    """Distinct (a, b, target) rows (codes, a < b) with first/last time: the shared targets
    behind every pair. Partitioned by pair key when the candidates exceed `max_state`."""
    n_acc = max(len(c.accounts), 1)
    parts = max(1, -(-candidate_count(c, window_ms) // max_state))
    frames = []
    for part in range(parts):
        held: list[tuple[np.ndarray, ...]] = []
        size = 0
        for i, j in sweep(c, window_ms, budget):
            a, b = c.acc[i], c.acc[j]
            pk = np.minimum(a, b) * n_acc + np.maximum(a, b)
            if parts > 1:
                mine = pk % parts == part
                pk, i, j = pk[mine], i[mine], j[mine]
            held.append(_reduce(pk, c.tgt[i], c.t[i], c.t[j]))
            size += len(held[-1][0])
            if size > budget * 4 and len(held) > 1:
                held = [_reduce(*(np.concatenate(x) for x in zip(*held, strict=True)))]
                size = len(held[0][0])
        if held:
            pk, g, lo, hi = _reduce(*(np.concatenate(x) for x in zip(*held, strict=True)))
            frames.append(pd.DataFrame({"a": pk // n_acc, "b": pk % n_acc, "target": g,
                                        "first_ms": lo, "last_ms": hi}))
    if not frames:
        return pd.DataFrame({k: np.zeros(0, dtype=np.int64)
                             for k in ("a", "b", "target", "first_ms", "last_ms")})
    return pd.concat(frames, ignore_index=True)


def weights(shared: pd.DataFrame, min_weight: int) -> pd.DataFrame:
    """Per pair (codes): weight = distinct shared targets, first/last time; >= min_weight.
    `shared` rows are distinct (a, b, target), as `pair_targets` returns them."""
    a, b = shared["a"].to_numpy(), shared["b"].to_numpy()
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    head = np.ones(len(a), dtype=bool)
    head[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    at = np.flatnonzero(head)
    count = np.diff(np.append(at, len(a)))
    big = count >= min_weight
    if not len(at):
        first = last = at
    else:
        first = np.minimum.reduceat(shared["first_ms"].to_numpy()[order], at)
        last = np.maximum.reduceat(shared["last_ms"].to_numpy()[order], at)
    return pd.DataFrame({"a": a[at][big], "b": b[at][big], "weight": count[big],
                         "first_ms": first[big], "last_ms": last[big]})


def co_action_edges(events: pd.DataFrame, window_ms: int, min_weight: int = 3,
                    evidence_cap: int = 20, budget: int = DEFAULT_BUDGET) -> pd.DataFrame:
    """Undirected co-action edges from raw events: a, b (userids, a < b), weight, first_ms,
    last_ms, evidence (up to `evidence_cap` shared targets, earliest first)."""
    check_params(window_ms, min_weight)
    c = encode(events, min_targets=min_weight)
    return decode_edges(c, pair_targets(c, window_ms, budget), min_weight, evidence_cap)


def decode_edges(c: Coded, shared: pd.DataFrame, min_weight: int,
                 evidence_cap: int) -> pd.DataFrame:
    """Edges with userids and their capped evidence, from the sweep's (a, b, target) rows."""
    w = weights(shared, min_weight)
    if w.empty:
        return pd.DataFrame({k: [] for k in EDGE_COLUMNS})
    kept = shared.merge(w[["a", "b"]], on=["a", "b"])
    kept = kept.sort_values(["a", "b", "first_ms", "target"], kind="stable")
    kept = kept[kept.groupby(["a", "b"]).cumcount() < evidence_cap]
    bounds = np.flatnonzero(np.diff(kept["a"].to_numpy() * len(c.accounts)
                                    + kept["b"].to_numpy())) + 1
    names = c.targets[kept["target"].to_numpy()]
    w["evidence"] = [list(x) for x in np.split(names, bounds)]
    w["a"] = c.accounts[w["a"].to_numpy()]
    w["b"] = c.accounts[w["b"].to_numpy()]
    return w[list(EDGE_COLUMNS)]


def directed_message_weights(events: pd.DataFrame, window_ms: int,
                             min_weight: int = 1) -> pd.DataFrame:
    """coordination-network-toolkit's measure, for comparison: for each ordered pair
    (user_1, user_2), the number of distinct tweets of user_1 matched by a tweet of user_2
    on the same target within the window; rows with weight >= min_weight."""
    check_params(window_ms, min_weight)
    c = encode(events, min_targets=1)
    held = []
    for i, j in sweep(c, window_ms):
        for x, y in ((i, j), (j, i)):
            held.append(pd.DataFrame({"u1": c.acc[x], "u2": c.acc[y], "m": c.tweet[x]}))
    if not held:
        return pd.DataFrame({"user_1": [], "user_2": [], "weight": []})
    d = pd.concat(held, ignore_index=True).drop_duplicates()
    w = d.groupby(["u1", "u2"]).size().rename("weight").reset_index()
    w = w[w["weight"] >= min_weight]
    return pd.DataFrame({"user_1": c.accounts[w["u1"].to_numpy()],
                         "user_2": c.accounts[w["u2"].to_numpy()],
                         "weight": w["weight"].to_numpy()})


def check_params(window_ms: int, min_weight: int) -> None:
    if window_ms < 0:
        raise BadParameter("window", f"{window_ms / 1000:g} s: must be >= 0")
    if min_weight < 1:
        raise BadParameter("min_weight", f"{min_weight}: must be >= 1")
