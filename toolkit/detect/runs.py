"""One detection run end to end: read the events of a kind, choose the window, pair, find
rings, test them against the null model, write everything back under a new run_id.

`compute` is the pure part (events in, result out) that tests and benchmarks call directly;
`detect` adds the read-out from and the write-back to Neo4j.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..db.connect import Graph
from ..errors import BadParameter
from .events import EventFilter, Kind, read_events
from .pairs import DEFAULT_BUDGET, co_action_edges, encode, sweep
from .rings import RingMethod, find_rings
from .significance import NullModel, significance
from .similar import near_duplicate_groups
from .window import auto_window_ms
from .writeback import write_run

DAY_MS = 86_400_000
MINUTE_MS = 60_000


@dataclass(frozen=True, slots=True)
class DetectParams:
    """Everything that determines a run; stored as JSON on the DetectionRun."""

    kind: Kind
    window_s: float | None = 60.0  # None: estimate from the data (--window auto)
    min_weight: int = 3
    dataset: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    rings: RingMethod = RingMethod.LEIDEN
    min_size: int = 3
    resolution: float = 1.0
    null_reps: int = 100
    null: NullModel = NullModel.PERMUTE
    seed: int = 0
    evidence_cap: int = 20
    max_domain_accounts: int = 50  # co-domain: a domain more accounts use is not obscure
    similarity: float = 0.8  # co-similar-tweet: Jaccard of the word sets

    def validate(self) -> DetectParams:
        if self.window_s is not None and self.window_s < 0:
            raise BadParameter("window", f"{self.window_s}: must be >= 0 seconds or 'auto'")
        if self.min_weight < 1:
            raise BadParameter("min_weight", f"{self.min_weight}: must be >= 1")
        if self.null_reps < 0:
            raise BadParameter("null_reps", f"{self.null_reps}: must be >= 0")
        if self.evidence_cap < 1:
            raise BadParameter("evidence_cap", f"{self.evidence_cap}: must be >= 1")
        if (self.since_ms is not None and self.until_ms is not None
                and self.since_ms >= self.until_ms):
            raise BadParameter("since", "must be before --until")
        return self

    def as_json(self) -> dict[str, Any]:
        return {k: (v.value if hasattr(v, "value") else v) for k, v in asdict(self).items()}


@dataclass(slots=True)
class DetectionResult:
    run_id: str
    params: DetectParams
    window_ms: int
    window_note: str
    events: int
    edges: pd.DataFrame  # a, b, weight, first_ms, last_ms, evidence, p_value
    members: pd.DataFrame  # account, ring
    rings: pd.DataFrame  # ring, size, edges, density, weight, score, p_value, z
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def stored_params(self) -> dict[str, Any]:
        """What the DetectionRun keeps: the parameters plus the window actually used."""
        return {**self.params.as_json(), "window_s": self.window_ms / 1000,
                "window_requested": self.params.window_s, "window_note": self.window_note,
                "null_reps": self.params.null_reps}


def new_run_id(kind: Kind) -> str:
    return f"{kind.value}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def targets_for(kind: Kind, events: pd.DataFrame, window_ms: int,
                params: DetectParams) -> tuple[pd.DataFrame, int]:
    """Kind-specific targets: co-post pairs posts in the same time bin (the window), the
    hashtag sequence in the same UTC day; co-domain keeps only obscure domains;
    co-similar-tweet replaces each text by its group of near-duplicates."""
    if kind is Kind.CO_POST:
        bin_ms = max(window_ms, 1)
        return events.assign(target=(events["time_ms"] // bin_ms).astype(str)), bin_ms - 1
    if kind is Kind.CO_HASHTAG_SEQUENCE:
        day = (events["time_ms"] // DAY_MS).astype(str)
        return events.assign(target=events["target"] + "@" + day), DAY_MS - 1
    if kind is Kind.CO_SIMILAR_TWEET:
        groups = near_duplicate_groups(events["target"], params.similarity, seed=params.seed)
        return events.assign(target=groups).dropna(subset=["target"]), window_ms
    if kind is Kind.CO_DOMAIN:
        users = events.groupby("target")["account"].nunique()
        obscure = users[users <= params.max_domain_accounts].index
        return events[events["target"].isin(obscure)], window_ms
    return events, window_ms


def choose_window(events: pd.DataFrame, params: DetectParams) -> tuple[int, str, list[str]]:
    """The window in ms, what was chosen and why, and warnings about time precision."""
    if params.window_s is None:
        window_ms = auto_window_ms(events)
        note = f"auto: {window_ms / 1000:g} s (0.1-quantile of second-share delays)"
    else:
        window_ms = round(params.window_s * 1000)
        note = f"given: {window_ms / 1000:g} s"
    warnings = []
    coarse = int((events["time_source"] == "archive").sum()) if len(events) else 0
    if window_ms < MINUTE_MS and coarse:
        what = (f"{coarse} of {len(events)} events have only the archive's minute times "
                "(no snowflake id)")
        if coarse == len(events):
            raise BadParameter("window", f"{window_ms / 1000:g} s is below the data's time "
                               f"precision: {what}; use --window 60 or more")
        warnings.append(f"{what}: their sub-minute timing is unknown, pairs involving them "
                        "are compared at minute precision")
    return window_ms, note, warnings


def compute(events: pd.DataFrame, params: DetectParams, run_id: str | None = None,
            progress: Callable[[str], None] | None = None) -> DetectionResult:
    """Edges, rings and significance for `events` (columns of `events.COLUMNS`)."""
    params.validate()
    say = progress or (lambda _: None)
    timer = time.perf_counter()
    seconds: dict[str, float] = {}
    window_ms, note, warnings = choose_window(events, params)
    events, pair_window = targets_for(params.kind, events, window_ms, params)
    say(f"pairing {len(events):,} events, window {window_ms / 1000:g} s")
    edges = co_action_edges(events, pair_window, params.min_weight, params.evidence_cap,
                            DEFAULT_BUDGET)
    seconds["pairs"] = time.perf_counter() - timer
    members, rings = find_rings(edges, params.rings, params.min_size, params.resolution,
                                params.seed)
    seconds["rings"] = time.perf_counter() - timer - seconds["pairs"]
    edges = edges.assign(p_value=np.nan)
    rings = rings.assign(p_value=np.nan, z=np.nan)
    if params.null_reps and len(edges):
        say(f"null model: {params.null_reps} replicates ({params.null.value})")
        sig = significance(events, edges, members, rings, pair_window, params.min_weight,
                           params.null_reps, params.seed, params.null, params.rings,
                           params.min_size)
        edges["p_value"] = sig.edges["p_value"].to_numpy()
        rings["p_value"] = sig.rings["p_value"].to_numpy()
        rings["z"] = np.where(np.isfinite(sig.rings["z"]), sig.rings["z"], np.nan)
        seconds["null"] = time.perf_counter() - timer - seconds["pairs"] - seconds["rings"]
    return DetectionResult(run_id or new_run_id(params.kind), params, window_ms, note,
                           len(events), edges, members, rings, warnings, seconds)


def detect(graph: Graph, params: DetectParams,
           progress: Callable[[str], None] | None = None) -> DetectionResult:
    """Read the events of `params.kind`, compute, write the run; return what was written."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    say(f"reading {params.kind.value} events")
    events = read_events(graph, params.kind, EventFilter(params.dataset, params.since_ms,
                                                         params.until_ms), progress=progress)
    read_s = time.perf_counter() - started
    result = compute(events, params, progress=progress)
    say(f"writing {len(result.edges):,} edges and {len(result.rings):,} rings")
    began = time.perf_counter()
    write_run(graph, result.run_id, params.kind.value, result.stored_params(), __version__,
              result.edges, result.members, result.rings)
    result.seconds = {"read": read_s, **result.seconds, "write": time.perf_counter() - began}
    return result


def matched_events(events: pd.DataFrame, window_ms: int, accounts: set[str]) -> pd.DataFrame:
    """The tweets behind the co-actions among `accounts`: every event that has a partner
    event of another of these accounts on the same target within the window."""
    c = encode(events[events["account"].isin(accounts)], min_targets=1)
    hits = [np.concatenate(pair) for pair in sweep(c, window_ms)]
    idx = np.unique(np.concatenate(hits)) if hits else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({"target": c.targets[c.tgt[idx]], "time_ms": c.t[idx],
                         "account": c.accounts[c.acc[idx]], "tweetid": c.tweets[c.tweet[idx]]})
