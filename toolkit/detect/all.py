"""`detect all`: every applicable detector with its defaults, then the fused run of their
signals. A detector whose inputs the data lacks (no retweets, no media) is skipped with a
note; every run is written as it would be alone, the fused run last."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..db.connect import Graph
from ..errors import BadParameter
from .events import EventFilter, Kind, kind_of, read_events
from .fused import FusedParams, FusedResult, fuse, signal_of
from .runs import DetectionResult, DetectParams, compute
from .writeback import write_result

DEFAULT_KINDS: tuple[Kind, ...] = tuple(k for k in Kind if k is not Kind.CO_POST)
"""co-post (posting in the same minute) is left out: it measures only timing, which every
other signal already requires, and links everyone active at busy hours. Ask for it with
--kinds."""

INPUTS = {
    Kind.CO_RETWEET: "retweets", Kind.CO_TWEET: "original tweets with text",
    Kind.CO_SIMILAR_TWEET: "original tweets with text", Kind.CO_LINK: "links",
    Kind.CO_DOMAIN: "links", Kind.CO_HASHTAG: "hashtags",
    Kind.CO_HASHTAG_SEQUENCE: "tweets with two or more hashtags", Kind.CO_REPLY: "replies",
    Kind.CO_MENTION: "mentions", Kind.CO_POST: "tweets",
}


@dataclass(frozen=True, slots=True)
class AllParams:
    """The runs of `detect all`: which kinds, on which data, and the settings every run
    shares; each detector otherwise keeps its defaults."""

    kinds: tuple[Kind, ...] = DEFAULT_KINDS
    dataset: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    null_reps: int = 100
    seed: int = 0
    keep_p: float = 0.05
    keep_all: bool = False
    max_ring_size: int = 500
    workers: int = 0
    fused: FusedParams = field(default_factory=FusedParams)

    def single(self, kind: Kind) -> DetectParams:
        return DetectParams(kind, dataset=self.dataset, since_ms=self.since_ms,
                            until_ms=self.until_ms, null_reps=self.null_reps, seed=self.seed,
                            keep_p=self.keep_p, keep_all=self.keep_all,
                            max_ring_size=self.max_ring_size, workers=self.workers).validate()

    def validate(self) -> AllParams:
        """Every run's settings checked, before anything connects or runs."""
        for kind in self.kinds:
            self.single(kind)
        _with_shared(self)
        return self


def parse_kinds(text: str | None) -> tuple[Kind, ...]:
    """'co-retweet,co-link' -> the kinds (each checked); None or '' -> the defaults."""
    if not text:
        return DEFAULT_KINDS
    kinds = tuple(dict.fromkeys(kind_of(k.strip()) for k in text.split(",") if k.strip()))
    if not kinds:
        raise BadParameter("kinds", f"{text!r}: name one or more kinds, comma-separated")
    return kinds


@dataclass(slots=True)
class AllResult:
    """The single runs written, the kinds skipped (kind -> why) and the fused run."""

    runs: list[DetectionResult] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    fused: FusedResult | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def detect_all(graph: Graph, params: AllParams,
               progress: Callable[[str], None] | None = None) -> AllResult:
    """Run every kind of `params` (skipping those without inputs), write each run, then
    fuse their signals into one more run (kind "fused") and write it."""
    say = progress or (lambda _: None)
    result = AllResult()
    for kind in params.kinds:
        began = time.perf_counter()
        single = params.single(kind)
        say(f"reading {kind.value} events")
        events = read_events(graph, kind, EventFilter(params.dataset, params.since_ms,
                                                      params.until_ms))
        if events.empty:
            result.skipped[kind.value] = f"no {INPUTS.get(kind, 'inputs')} in the data"
            continue
        run = compute(events, single, progress=progress)
        say(f"writing {kind.value}")
        write_result(graph, run)
        result.runs.append(run)
        result.seconds[kind.value] = time.perf_counter() - began
    if not result.runs:
        raise BadParameter("kinds", "nothing to fuse: " + "; ".join(
            f"{kind}: {why}" for kind, why in result.skipped.items()))
    began = time.perf_counter()
    fused_params = _with_shared(params)
    result.fused = fuse([signal_of(r) for r in result.runs], fused_params,
                        {r.kind: r.run_id for r in result.runs}, progress=progress)
    say("writing the fused run")
    write_result(graph, result.fused)
    result.seconds["fused"] = time.perf_counter() - began
    return result


def _with_shared(params: AllParams) -> FusedParams:
    """The fused settings with the settings every run of `detect all` shares."""
    return replace(params.fused, dataset=params.dataset, null_reps=params.null_reps,
                   seed=params.seed, keep_p=params.keep_p, keep_all=params.keep_all,
                   max_ring_size=params.max_ring_size, workers=params.workers).validate()


def run_table(result: AllResult) -> Sequence[dict[str, Any]]:
    """One row per run (the fused run first) and per skipped kind, for a summary."""
    rows: list[dict[str, Any]] = []
    runs: list[Any] = ([result.fused] if result.fused else []) + list(result.runs)
    for run in runs:
        chosen = run.selection
        rings = run.rings[chosen.rings]
        rows.append({"kind": run.kind, "run_id": run.run_id,
                     "edges": int(chosen.edges.sum()), "edges_found": len(run.edges),
                     "rings": len(rings), "rings_found": len(run.rings),
                     "significant": int((rings["p_value"] < 0.01).sum()),
                     "seconds": result.seconds.get(run.kind), "note": ""})
    for kind, why in result.skipped.items():
        rows.append({"kind": kind, "run_id": None, "edges": 0, "edges_found": 0, "rings": 0,
                     "rings_found": 0, "significant": 0, "seconds": None,
                     "note": f"skipped: {why}"})
    return rows
