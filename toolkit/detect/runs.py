"""One detection run end to end: read the events of a kind, choose the window, pair, find
rings, test them against the null model, write everything back under a new run_id.

`compute` is the pure part (events in, result out) that tests and benchmarks call directly;
`detect` adds the read-out from and the write-back to Neo4j.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..db.connect import Graph
from ..db.datasets import require_dataset
from ..errors import BadParameter
from ..numbers import CYPHER_INT_MAX, SEED_MAX, check_number
from .events import EventFilter, Kind, read_events
from .hyperactive import hyperactive_accounts
from .pairs import DEFAULT_BUDGET, Weighting, co_action_edges, encode, sweep
from .rings import RingMethod, find_rings
from .roles import ROLE_COLUMNS, ROLE_RULE, member_roles, ring_episodes
from .select import Selection, select
from .significance import NullModel, NullPlan, significance
from .similar import near_duplicate_groups
from .summary import summaries
from .window import auto_window_ms
from .writeback import write_result

DAY_MS = 86_400_000
MINUTE_MS = 60_000


@dataclass(frozen=True, slots=True)
class DetectParams:
    """Everything that determines a run; stored as JSON on the DetectionRun."""

    kind: Kind
    window_s: float | None = 60.0  # None: estimate from the data (--window auto)
    min_weight: float = 3.0
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
    similarity: float = 0.8  # co-similar-tweet: Jaccard of the token sets
    ngram: int = 2  # co-similar-tweet: character n-grams in scripts without spaces
    weighting: Weighting = Weighting.IDF  # how a shared target counts (pairs.Weighting)
    hyperactive: float = 100.0  # x the median account's events: damped; 0 turns it off
    keep_p: float = 0.05  # edges and rings with a larger p-value are not written
    keep_all: bool = False  # write every edge and ring found
    max_ring_size: int = 500  # larger rings are crowds, not rings: not written
    stop_hits: int = 10  # Besag-Clifford: stop a finding's replicates after this many hits
    workers: int = 0  # null-model processes (0: one per CPU core)

    def __post_init__(self) -> None:
        """Enum fields given as their string values (a notebook's `weighting="count"`)
        become the enums; an unknown value names its parameter."""
        for name, enum in (("kind", Kind), ("rings", RingMethod), ("null", NullModel),
                           ("weighting", Weighting)):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, enum(value))
            except ValueError:
                raise BadParameter(name, f"{value!r} is not one of "
                                   f"{', '.join(e.value for e in enum)}") from None

    def validate(self) -> DetectParams:
        """Every number finite and in its range (`toolkit.numbers`), before anything runs."""
        if self.window_s is not None:
            check_number("window", self.window_s, minimum=0, maximum=365 * DAY_MS / 1000)
        for name, low, high in (("min_size", 2, None), ("null_reps", 0, 100_000),
                                ("seed", 0, SEED_MAX), ("evidence_cap", 1, 100_000),
                                ("max_domain_accounts", 1, None), ("ngram", 1, 10),
                                ("stop_hits", 0, None), ("workers", 0, 1_000)):
            check_number(name, getattr(self, name), minimum=low, maximum=high, integer=True)
        check_number("min_weight", self.min_weight, minimum=1e-9, maximum=CYPHER_INT_MAX)
        check_number("hyperactive", self.hyperactive, minimum=0)
        check_number("keep_p", self.keep_p, minimum=1e-9, maximum=1)
        check_number("max_ring_size", self.max_ring_size, minimum=self.min_size, integer=True)
        check_number("resolution", self.resolution, minimum=1e-9, maximum=1e6)
        check_number("similarity", self.similarity, minimum=1e-9, maximum=1)
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
    edges: pd.DataFrame  # a, b, weight, shared, first_ms, last_ms, evidence, p_value
    members: pd.DataFrame  # account, ring, and for written rings the `roles` columns
    rings: pd.DataFrame  # ring, size, edges, density, weight, score, p_value, z, summary
    selection: Selection  # which edges and rings are written, and why the others are not
    hyperactive: pd.DataFrame  # account, events, factor: accounts whose edges count less
    null: dict[str, Any] = field(default_factory=dict)  # how the null model was run
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    paired: pd.DataFrame | None = None  # the events as paired (targets_for), for a fused run
    pair_window_ms: int = 0
    damp: pd.Series | None = None  # hyperactive accounts' factors

    @property
    def kind(self) -> str:
        return self.params.kind.value

    def stored_params(self) -> dict[str, Any]:
        """What the DetectionRun keeps: the parameters, the window actually used and how
        the null model was run."""
        return {**self.params.as_json(), "window_s": self.window_ms / 1000,
                "window_requested": self.params.window_s, "window_note": self.window_note,
                "null_reps": self.params.null_reps, "roles_rule": ROLE_RULE, **self.null}

    def summary(self) -> dict[str, Any]:
        """Counts the DetectionRun keeps besides what it wrote: everything found, what was
        left out and why, the hyperactive accounts."""
        return {"edges_found": len(self.edges), "rings_found": len(self.rings),
                "edges_left_out": self.selection.edges_left_out(),
                "rings_left_out": json.dumps(self.selection.rings_left_out, sort_keys=True),
                "hyperactive": self.hyperactive["account"].astype(str).tolist()}


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
        groups = near_duplicate_groups(events["target"], params.similarity, seed=params.seed,
                                       ngram=params.ngram)
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
    """Edges, rings and significance for `events` (columns of `events.COLUMNS`), and which
    of them to write (`select`)."""
    params.validate()
    say = progress or (lambda _: None)
    timer = time.perf_counter()
    seconds: dict[str, float] = {}
    window_ms, note, warnings = choose_window(events, params)
    events, pair_window = targets_for(params.kind, events, window_ms, params)
    hyper = hyperactive_accounts(events, params.hyperactive)
    damp = hyper.set_index("account")["factor"]
    say(f"pairing {len(events):,} events, window {window_ms / 1000:g} s, "
        f"{params.weighting.value} weights, {len(hyper):,} hyperactive accounts damped")
    edges = co_action_edges(events, pair_window, params.min_weight, params.evidence_cap,
                            DEFAULT_BUDGET, params.weighting, damp)
    seconds["pairs"] = time.perf_counter() - timer
    members, rings = find_rings(edges, params.rings, params.min_size, params.resolution,
                                params.seed)
    seconds["rings"] = time.perf_counter() - timer - seconds["pairs"]
    say(f"{len(edges):,} edges, {len(rings):,} rings")
    edges = edges.assign(p_value=np.nan)
    rings = rings.assign(p_value=np.nan, z=np.nan)
    null: dict[str, Any] = {}
    if params.null_reps and len(edges):
        plan = NullPlan(pair_window, params.min_weight, params.null_reps, params.seed,
                        params.null, params.rings, params.min_size, params.resolution,
                        params.weighting, params.stop_hits, params.workers)
        sig = significance(events, edges, rings, plan, damp, progress)
        edges["p_value"] = sig.edges["p_value"].to_numpy()
        rings["p_value"] = sig.rings["p_value"].to_numpy()
        rings["z"] = np.where(np.isfinite(sig.rings["z"]), sig.rings["z"], np.nan)
        null = {"null_reps_run": sig.reps, "null_workers": sig.workers,
                "null_edge_scale": float(np.median(sig.edge_max)),
                "null_ring_scale": float(np.median(sig.null_max)),
                "null_stop_hits": params.stop_hits,
                "null_pruning": "only accounts that can reach --min-weight in a replicate",
                "null_edge_p": "share of replicates whose heaviest chance edge is as "
                               "heavy (no analytic p-value is exact for these nulls)"}
        seconds["null"] = time.perf_counter() - timer - seconds["pairs"] - seconds["rings"]
    if null and not params.keep_all and 1 / (1 + params.null_reps) > params.keep_p:
        warnings.append(f"with {params.null_reps} replicates no p-value can be below "
                        f"{1 / (1 + params.null_reps):.3f}, which is above --keep-p "
                        f"{params.keep_p:g}: nothing is written; use --null-reps "
                        f"{int(np.ceil(1 / params.keep_p)) - 1} or more, or --keep-all")
    chosen = select(edges, members, rings, params.keep_p, params.max_ring_size,
                    params.keep_all)
    members, rings = describe_rings([(params.kind.value, events, pair_window)], edges,
                                    members, rings, chosen, params.kind.value,
                                    null.get("null_reps_run"))
    return DetectionResult(run_id or new_run_id(params.kind), params, window_ms, note,
                           len(events), edges, members, rings, chosen, hyper, null,
                           warnings, seconds, events, pair_window, damp)


def describe_rings(signals: list[tuple[str, pd.DataFrame, int]], edges: pd.DataFrame,
                   members: pd.DataFrame, rings: pd.DataFrame, chosen: Selection, kind: str,
                   reps: int | None, shares: dict[int, list[tuple[str, float]]] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members with their roles and rings with their summaries, for the rings written
    (the others keep empty values: describing a crowd of thousands costs and says little)."""
    written = members[chosen.members]
    if written.empty:
        return (members.assign(**{c: None for c in ROLE_COLUMNS[2:]}),
                rings.assign(summary=None))
    episodes = ring_episodes(signals, written)
    roles = member_roles(episodes, written)
    members = members.merge(roles.drop(columns="ring"), on="account", how="left")
    text = pd.Series(summaries(rings[chosen.rings], written, edges, episodes, roles, kind,
                               reps, shares), index=rings.index[chosen.rings], dtype=object)
    return members, rings.assign(summary=text.reindex(rings.index))


def detect(graph: Graph, params: DetectParams,
           progress: Callable[[str], None] | None = None) -> DetectionResult:
    """Read the events of `params.kind`, compute, write the run; return what was written."""
    say = progress or (lambda _: None)
    params.validate()
    require_dataset(graph, params.dataset)
    started = time.perf_counter()
    say(f"reading {params.kind.value} events")
    events = read_events(graph, params.kind, EventFilter(params.dataset, params.since_ms,
                                                         params.until_ms), progress=progress)
    read_s = time.perf_counter() - started
    result = compute(events, params, progress=progress)
    chosen = result.selection
    say(f"writing {int(chosen.edges.sum()):,} of {len(result.edges):,} edges and "
        f"{int(chosen.rings.sum()):,} of {len(result.rings):,} rings")
    began = time.perf_counter()
    write_result(graph, result)
    result.seconds = {"read": read_s, **result.seconds, "write": time.perf_counter() - began}
    return result


def matched_events(events: pd.DataFrame, window_ms: int, accounts: set[str]) -> pd.DataFrame:
    """The tweets behind the co-actions among `accounts`: every event that has a partner
    event of another of these accounts on the same target within the window."""
    c = encode(events[events["account"].isin(accounts)])
    hits = [np.concatenate(pair) for pair in sweep(c, window_ms)]
    idx = np.unique(np.concatenate(hits)) if hits else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({"target": c.targets[c.tgt[idx]], "time_ms": c.t[idx],
                         "account": c.accounts[c.acc[idx]], "tweetid": c.tweets[c.tweet[idx]]})
