"""One fused picture: the co-action signals of several detectors combined into one network,
its rings and their significance under one null model applied to every signal at once.

The fused weight of a pair is the sum, over signals, of its weight in that signal divided by
the signal's scale: `scale` = the heaviest edge chance makes in that signal (the median over
the single run's null replicates), at least the signal's minimum weight. One unit of fused
weight is thus "as strong as the strongest chance pair of one signal", whatever the signal
counts, and a pair weak in each of three signals (a third of the scale in each) adds up to
one. A signal counts for a pair from `floor` (in the signal's own units: 1 = one target no
one else used) so such weak links are seen at all.

The combined p-value is that of the fused weight itself, against joint null replicates: in
each replicate one permutation of the tweets is applied to every signal. Tweets are dealt
out again within strata of (UTC day, retweet or original tweet), so an account keeps, per
day, its number of retweets and of original tweets, and a tweet keeps all it carries
together (its hashtags, its link, its text): whatever ties one signal to another in the
data (the same tweets feeding co-tweet and co-similar-tweet, a link always posted with a
hashtag) ties them in the null too. So the p-value is valid whatever the dependence between
signals, where Fisher's or Stouffer's combination assumes independent signals (two copies
of one signal would count it twice: tests/test_detect_fused.py) and the harmonic mean p
only bounds the error. An edge's p-value is the share of replicates whose heaviest chance
fused edge is as heavy, a ring's that of replicates whose best chance ring scores as high
(the maximum over the whole network, as in a single run); each signal's own p-value
(`signal_p`) is measured on the same replicates against that signal's heaviest chance edge.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from ..errors import BadParameter
from ..numbers import CYPHER_INT_MAX, check_number
from .pairs import (
    Coded,
    Weighting,
    decode_edges,
    encode,
    near_another,
    pair_targets,
    pair_weights,
    reachable,
    target_weights,
)
from .rings import RingMethod, find_rings
from .roles import ROLE_RULE
from .runs import DetectionResult, describe_rings
from .select import Selection, select
from .significance import EPS, NullPlan, replicate_rng, run_null

FUSED: Final = "fused"
DAY_MS: Final = 86_400_000
COMBINATION: Final = (
    "fused weight = sum over signals of weight / scale; p-value of the fused weight against "
    "joint null replicates (one permutation of tweets within UTC day and retweet-or-not "
    "applied to every signal): valid under any dependence between signals")


@dataclass(frozen=True, slots=True)
class Signal:
    """One detector's contribution: its events as it pairs them (`DetectionResult.paired`),
    its pair window, weighting and damped accounts."""

    kind: str
    events: pd.DataFrame  # account, target, time_ms, tweetid
    window_ms: int
    weighting: Weighting = Weighting.IDF
    damp: pd.Series | None = None


def signal_of(result: DetectionResult) -> Signal:
    """The signal of a single run: its events as it paired them, with its settings."""
    assert result.paired is not None
    return Signal(result.kind, result.paired, result.pair_window_ms, result.params.weighting,
                  result.damp)


@dataclass(frozen=True, slots=True)
class FusedParams:
    """What determines a fused run besides its signals; stored as JSON with them."""

    floor: float = 1.0  # a signal counts for a pair from this weight (its own units)
    min_weight: float = 2.0  # fused edges lighter than this are not kept
    dataset: str | None = None
    rings: RingMethod = RingMethod.LEIDEN
    min_size: int = 3
    resolution: float = 1.0
    null_reps: int = 100
    seed: int = 0
    evidence_cap: int = 20
    keep_p: float = 0.05
    keep_all: bool = False
    max_ring_size: int = 500
    stop_hits: int = 10
    workers: int = 0

    def validate(self) -> FusedParams:
        check_number("floor", self.floor, minimum=1e-9, maximum=CYPHER_INT_MAX)
        check_number("fused_min_weight", self.min_weight, minimum=1e-9, maximum=CYPHER_INT_MAX)
        if not 0 < self.keep_p <= 1:
            raise BadParameter("keep_p", f"{self.keep_p}: must be in (0, 1]")
        if self.null_reps < 0:
            raise BadParameter("null_reps", f"{self.null_reps}: must be >= 0")
        return self

    def as_json(self) -> dict[str, Any]:
        return {k: (v.value if hasattr(v, "value") else v) for k, v in asdict(self).items()}


@dataclass(slots=True)
class FusedResult:
    """A fused run as it is written: the same shape as a single run's result."""

    run_id: str
    params: FusedParams
    signals: list[Signal]
    sources: dict[str, str]  # kind -> run_id of the single run it came from
    scales: tuple[float, ...]  # per signal: its chance scale (`chance_scales`)
    fused_scale: float
    edges: pd.DataFrame  # + signals, signal_weights, signal_p
    members: pd.DataFrame
    rings: pd.DataFrame  # + signals, signal_shares, summary
    selection: Selection
    null: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    kind: str = FUSED

    def stored_params(self) -> dict[str, Any]:
        return {**self.params.as_json(), "kind": FUSED,
                "kinds": [s.kind for s in self.signals],
                "scales": {s.kind: x for s, x in zip(self.signals, self.scales, strict=True)},
                "fused_scale": self.fused_scale,
                "windows_s": {s.kind: s.window_ms / 1000 for s in self.signals},
                "weighting": {s.kind: s.weighting.value for s in self.signals},
                "window_s": max((s.window_ms for s in self.signals), default=0) / 1000,
                "source_runs": self.sources, "combination": COMBINATION,
                "roles_rule": ROLE_RULE, **self.null}

    def summary(self) -> dict[str, Any]:
        return {"edges_found": len(self.edges), "rings_found": len(self.rings),
                "edges_left_out": self.selection.edges_left_out(),
                "rings_left_out": json.dumps(self.selection.rings_left_out, sort_keys=True),
                "hyperactive": []}


def new_run_id() -> str:
    return f"{FUSED}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class _Coded:
    """A signal's events coded against the run's accounts and tweets, every event on a
    target with two or more (wherever a replicate deals them, they may pair)."""

    signal: Signal
    c: Coded
    gtweet: np.ndarray  # per event: the run's tweet code
    live: np.ndarray  # per event: another event on its target within the window
    population: int  # accounts with events in this signal (IDF's N)


def _code(signals: Sequence[Signal]) -> tuple[np.ndarray, list[_Coded], np.ndarray,
                                                np.ndarray]:
    """The run's accounts (sorted userids), each signal coded, and per tweet code its
    account and stratum (UTC day, retweet or not: a tweet feeds co-retweet or others)."""
    accounts = np.sort(pd.unique(pd.concat([s.events["account"] for s in signals],
                                           ignore_index=True).astype(object)))
    tweets = np.sort(pd.unique(pd.concat([s.events["tweetid"] for s in signals],
                                         ignore_index=True).astype(object)))
    owner = np.full(len(tweets), -1, dtype=np.int64)
    day = np.zeros(len(tweets), dtype=np.int64)
    retweet = np.zeros(len(tweets), dtype=np.int64)
    coded = []
    for s in signals:
        c = encode(s.events, 1, s.weighting, s.damp, prune=False, accounts=accounts)
        gtweet = np.searchsorted(tweets, c.tweets.astype(object))[c.tweet]
        owner[gtweet] = c.acc
        day[gtweet] = c.t // DAY_MS
        if s.kind == "co-retweet":
            retweet[gtweet] = 1
        coded.append(_Coded(s, c, gtweet, near_another(c.tgt, c.t, s.window_ms),
                            int(s.events["account"].nunique())))
    return accounts, coded, owner, day * 2 + retweet


def _signal_weights(k: _Coded, acc: np.ndarray, floor: float) -> pd.DataFrame:
    """The pairs (a, b codes, weight >= floor) of one signal with these accounts."""
    c, s = k.c, k.signal
    tw = target_weights(acc, c.tgt, len(c.accounts), len(c.targets), s.weighting,
                        k.population)
    aw = c.aw
    assert aw is not None
    keep = np.flatnonzero(reachable(acc, c.tgt, len(c.accounts), len(c.targets), floor, tw,
                                    aw, k.live))
    sub = Coded(acc[keep], c.tgt[keep], c.t[keep], c.tweet[keep], c.accounts, c.targets,
                c.tweets, tw, aw)
    return pair_weights(sub, s.window_ms, floor, tw, aw)


def _combine(parts: Sequence[pd.DataFrame], scales: Sequence[float], n_acc: int,
             min_weight: float) -> pd.DataFrame:
    """Fused edges (a, b, weight, w0, w1, ...: the weight in each signal) from each
    signal's (a, b, weight); fused weight = sum of weight / scale."""
    cols = [f"w{i}" for i in range(len(parts))]
    if not any(len(p) for p in parts):
        return pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64),
                             "weight": np.zeros(0), **{c: np.zeros(0) for c in cols}})
    key = np.concatenate([p["a"].to_numpy() * n_acc + p["b"].to_numpy() for p in parts])
    which = np.concatenate([np.full(len(p), i) for i, p in enumerate(parts)])
    raw = np.concatenate([p["weight"].to_numpy(dtype=float) for p in parts])
    uniq, inv = np.unique(key, return_inverse=True)
    total = np.bincount(inv, weights=raw / np.asarray(scales, dtype=float)[which],
                        minlength=len(uniq))
    big = total >= min_weight - EPS
    out = {"a": uniq[big] // n_acc, "b": uniq[big] % n_acc, "weight": total[big]}
    for i, c in enumerate(cols):
        out[c] = np.bincount(inv[which == i], weights=raw[which == i],
                             minlength=len(uniq))[big]
    return pd.DataFrame(out)


def ring_statistic(edges: pd.DataFrame, members: pd.DataFrame, stats: pd.DataFrame,
                   scales: Sequence[float], fused_scale: float) -> np.ndarray:
    """Per ring of `stats`: the larger of its score in each signal over that signal's
    chance scale and its fused score over the fused chance scale. `edges` carry w0, w1, ...
    (`_combine`); a signal's score is its weight inside the ring per member pair."""
    if stats.empty:
        return np.zeros(0)
    ring_of = members.set_index("account")["ring"]
    ra, rb = edges["a"].map(ring_of), edges["b"].map(ring_of)
    inside = edges[ra.notna() & (ra == rb)]
    ring = ra[ra.notna() & (ra == rb)].astype(np.int64)
    size = stats["size"].to_numpy(dtype=float)
    pairs = np.maximum(size * (size - 1) / 2, 1)
    best = stats["score"].to_numpy(dtype=float) / fused_scale
    index = pd.Index(stats["ring"])
    for i, scale in enumerate(scales):
        per = inside[f"w{i}"].groupby(ring.to_numpy()).sum().reindex(index, fill_value=0.0)
        best = np.maximum(best, per.to_numpy(dtype=float) / pairs / scale)
    return best


@dataclass(frozen=True, slots=True)
class Joint:
    """The coded signals and the tweets' owners and strata: what a joint replicate deals."""

    coded: list[_Coded]
    owner: np.ndarray
    stratum: np.ndarray
    floor: float

    def parts(self, seed: int, rep: int) -> list[pd.DataFrame]:
        """Each signal's chance pairs in replicate `rep` (the observed ones for rep -1)."""
        owner = self.owner
        if rep >= 0:
            rng = replicate_rng(seed, rep)
            by_stratum = np.argsort(self.stratum, kind="stable")
            shuffled = rng.permutation(len(self.stratum))
            dealt = shuffled[np.argsort(self.stratum[shuffled], kind="stable")]
            owner = np.empty_like(self.owner)
            owner[by_stratum] = self.owner[dealt]
        return [_signal_weights(k, owner[k.gtweet], self.floor) for k in self.coded]


@dataclass(frozen=True, slots=True)
class JointReplicator:
    """Joint null replicates: one permutation of tweets (within strata) for every signal."""

    plan: NullPlan
    joint: Joint
    scales: tuple[float, ...]
    fused_scale: float
    n_acc: int

    def edges(self, rep: int) -> tuple[pd.DataFrame, tuple[float, ...]]:
        parts = self.joint.parts(self.plan.seed, rep)
        fused = _combine(parts, self.scales, self.n_acc, self.plan.min_weight)
        return fused, tuple(float(p["weight"].max()) if len(p) else 0.0 for p in parts)

    def ring_scores(self, edges: pd.DataFrame, members: pd.DataFrame,
                    stats: pd.DataFrame) -> np.ndarray:
        return ring_statistic(edges, members, stats, self.scales, self.fused_scale)


PILOT_REPS: Final = 10
PILOT_OFFSET: Final = 1 << 30
"""Pilot replicates draw from streams of their own, apart from the test's."""


def chance_scales(joint: Joint, params: FusedParams, n_acc: int
                  ) -> tuple[tuple[float, ...], float]:
    """Each signal's chance scale (the median over pilot replicates of the best chance ring
    score of that signal alone, at least `floor`) and the fused chance scale (the same for
    the fused network so scaled, at least 1)."""
    pilots = [joint.parts(params.seed, PILOT_OFFSET + i) for i in range(PILOT_REPS)]
    scales = []
    for i in range(len(joint.coded)):
        best = [_best_score(p[i], params, rep) for rep, p in enumerate(pilots)]
        scales.append(max(float(np.median(best)), params.floor))
    fused = [_best_score(_combine(p, scales, n_acc, params.min_weight), params, rep)
             for rep, p in enumerate(pilots)]
    return tuple(scales), max(float(np.median(fused)), 1.0)


def _best_score(edges: pd.DataFrame, params: FusedParams, rep: int) -> float:
    _, stats = find_rings(edges[["a", "b", "weight"]], params.rings, params.min_size,
                          params.resolution, params.seed + rep)
    return float(stats["score"].max()) if len(stats) else 0.0


def fuse(signals: Sequence[Signal], params: FusedParams, sources: dict[str, str] | None = None,
         run_id: str | None = None, progress: Callable[[str], None] | None = None
         ) -> FusedResult:
    """The fused run of `signals` (see the module docstring), and what of it to write."""
    params.validate()
    if not signals:
        raise BadParameter("kinds", "no signal to fuse: every detector was skipped")
    say = progress or (lambda _: None)
    began = time.perf_counter()
    accounts, coded, owner, stratum = _code(signals)
    joint = Joint(coded, owner, stratum, params.floor)
    n_acc = len(accounts)
    say(f"fusing {len(signals)} signals: chance scales from {PILOT_REPS} pilot replicates")
    scales, fused_scale = chance_scales(joint, params, n_acc)
    coded_edges = _combine(joint.parts(params.seed, -1), scales, n_acc, params.min_weight)
    edges = _observed_edges(coded, coded_edges, accounts, params)
    say(f"{len(edges):,} fused edges")
    members, rings = find_rings(edges, params.rings, params.min_size, params.resolution,
                                params.seed)
    seconds = {"pairs": time.perf_counter() - began}
    named = coded_edges.assign(a=accounts[coded_edges["a"].to_numpy()],
                               b=accounts[coded_edges["b"].to_numpy()])
    statistic = ring_statistic(named, members, rings, scales, fused_scale)
    edges = edges.assign(p_value=np.nan, signal_p=[[] for _ in range(len(edges))])
    rings = rings.assign(p_value=np.nan, z=np.nan, statistic=statistic)
    null: dict[str, Any] = {}
    if params.null_reps and len(edges):
        plan = NullPlan(0, params.min_weight, params.null_reps, params.seed,
                        ring_method=params.rings, min_size=params.min_size,
                        resolution=params.resolution, stop_hits=params.stop_hits,
                        workers=params.workers)
        job = JointReplicator(plan, joint, scales, fused_scale, n_acc)
        by_signal = coded_edges[[f"w{i}" for i in range(len(signals))]].to_numpy(dtype=float)
        sig = run_null(job, sum(k.c.n for k in coded), coded_edges,
                       rings.assign(score=statistic), progress, by_signal)
        edges["p_value"] = sig.edges["p_value"].to_numpy()
        rings["p_value"] = sig.rings["p_value"].to_numpy()
        rings["z"] = np.where(np.isfinite(sig.rings["z"]), sig.rings["z"], np.nan)
        assert sig.signal_p is not None
        edges["signal_p"] = [[float(x) for x in row[row == row]] for row in sig.signal_p]
        null = {"null_reps_run": sig.reps, "null_workers": sig.workers,
                "null_stop_hits": params.stop_hits,
                "null_model": "joint: tweets dealt out again within (UTC day, retweet or not)",
                "null_edge_p": "share of joint replicates whose heaviest chance fused edge "
                               "is as heavy", "null_ring_p": "share of joint replicates "
                               "whose best chance ring has as high a statistic (the larger "
                               "of its fused and each signal's score over their scales)",
                "signal_p": "share of the same replicates whose heaviest chance edge in "
                            "that signal is as heavy"}
        seconds["null"] = time.perf_counter() - began - seconds["pairs"]
    chosen = select(edges, members, rings, params.keep_p, params.max_ring_size,
                    params.keep_all)
    kinds = [s.kind for s in signals]
    shares = _ring_shares(edges, members, dict(zip(kinds, scales, strict=True)))
    rings = rings.assign(signals=[[k for k, _ in shares.get(int(r), [])] for r in rings["ring"]],
                         signal_shares=[[round(x, 4) for _, x in shares.get(int(r), [])]
                                        for r in rings["ring"]])
    members, rings = describe_rings([(s.kind, s.events, s.window_ms) for s in signals], edges,
                                    members, rings, chosen, FUSED, null.get("null_reps_run"),
                                    shares)
    return FusedResult(run_id or new_run_id(), params, list(signals), dict(sources or {}),
                       scales, fused_scale, edges, members, rings, chosen, null, [], seconds)


def _observed_edges(coded: list[_Coded], fused: pd.DataFrame, accounts: np.ndarray,
                    params: FusedParams) -> pd.DataFrame:
    """The fused edges with userids (a < b), weight (fused), shared, first_ms, last_ms,
    evidence ('kind:target', up to evidence_cap), signals and signal_weights (each signal's
    weight in its own units), in the order of `fused`."""
    frames = []
    for i, k in enumerate(coded):
        c = k.c
        tw, aw = c.tw, c.aw
        assert tw is not None and aw is not None
        keep = np.flatnonzero(reachable(c.acc, c.tgt, len(accounts), len(c.targets),
                                        params.floor, tw, aw, k.live))
        sub = Coded(c.acc[keep], c.tgt[keep], c.t[keep], c.tweet[keep], c.accounts,
                    c.targets, c.tweets, tw, aw)
        e = decode_edges(sub, pair_targets(sub, k.signal.window_ms), params.floor,
                         params.evidence_cap, counted=False)
        e["evidence"] = [[f"{k.signal.kind}:{t}" for t in ev] for ev in e["evidence"]]
        frames.append(e.assign(signal=k.signal.kind, rank=i))
    pairs = pd.DataFrame({"a": accounts[fused["a"].to_numpy()],
                          "b": accounts[fused["b"].to_numpy()],
                          "weight": fused["weight"].to_numpy(), "order": np.arange(len(fused))})
    rows = pd.concat(frames, ignore_index=True).drop(columns="weight").rename(
        columns={"shared": "n"}).astype({"a": object, "b": object}).merge(pairs, on=["a", "b"])
    by_signal = fused[[f"w{i}" for i in range(len(coded))]].to_numpy(dtype=float)
    rows["w"] = by_signal[rows["order"].to_numpy(), rows["rank"].to_numpy()]
    rows = rows.sort_values(["order", "rank"])
    g = rows.groupby("order", sort=True)
    out = pairs.set_index("order").join(pd.DataFrame({
        "shared": g["n"].sum(), "first_ms": g["first_ms"].min(), "last_ms": g["last_ms"].max(),
        "evidence": g["evidence"].agg(lambda x: [t for ev in x for t in ev][
            : params.evidence_cap]),
        "signals": g["signal"].agg(list), "signal_weights": g["w"].agg(list)}))
    return out.reset_index(drop=True)[["a", "b", "weight", "shared", "first_ms", "last_ms",
                                       "evidence", "signals", "signal_weights"]]


def _ring_shares(edges: pd.DataFrame, members: pd.DataFrame, scales: dict[str, float]
                 ) -> dict[int, list[tuple[str, float]]]:
    """Per ring: (signal, share of the fused weight of the ring's inside edges), largest
    first, signals with no share left out."""
    kinds = list(scales)
    if members.empty or edges.empty:
        return {}
    ring_of = members.set_index("account")["ring"]
    ra, rb = edges["a"].map(ring_of), edges["b"].map(ring_of)
    inside = ra.notna() & (ra == rb)
    out: dict[int, list[tuple[str, float]]] = {}
    for ring, g in edges[inside].groupby(ra[inside]):
        parts = np.zeros(len(kinds))
        for sigs, ws in zip(g["signals"], g["signal_weights"], strict=True):
            for s, w in zip(sigs, ws, strict=True):
                parts[kinds.index(s)] += w / scales[s]
        total = parts.sum()
        if total <= 0:
            continue
        share = sorted(((kinds[i], float(parts[i] / total)) for i in range(len(kinds))
                        if parts[i] > 0), key=lambda x: (-x[1], x[0]))
        out[int(ring)] = share
    return out
