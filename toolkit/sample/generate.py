"""Orchestration: organic background, planted operations and decoys, then the files
and `ground_truth.json`. One seeded PCG64 stream drives everything, in a fixed order, so
a seed always gives the same bytes."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadParameter
from .chinese import copy_paste_zh, headline_quotes, slogan_crowd
from .decoys import fan_community, news_bots, viral_burst
from .operations import (
    ACCOUNT_KEYS,
    ACTS,
    BUILDS,
    TWEET_KEYS,
    co_retweet,
    recruit,
    weak_signals,
)
from .organic import CELEBRITIES, organic_accounts, originals_for, reactions_for
from .params import OpSpec, OutputFormat, SampleParams
from .text import hashtag_vocabulary
from .world import Frozen, World, freeze
from .writers import write_io_archive, write_v2


@dataclass(frozen=True, slots=True)
class GeneratedSample:
    """What `generate` wrote, with counts for the summary."""

    out_dir: Path
    files: dict[str, Path]
    ground_truth: Path
    tweets: int
    accounts: int
    disclosed: int
    operations: int
    decoys: int
    seconds: float


def generate(out_dir: Path, params: SampleParams | None = None) -> GeneratedSample:
    """Generate a sample campaign into `out_dir` (created if missing)."""
    began = time.perf_counter()
    params = (params or SampleParams()).validate()
    if out_dir.exists() and not out_dir.is_dir():
        raise BadParameter("out", f"{out_dir} exists and is not a directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    world, operations, decoys = build(params)
    fz = freeze(world, params.seed, params.hash_below)
    if params.format is OutputFormat.IO_ARCHIVE:
        files = write_io_archive(fz, out_dir, params.name, world.rng)
    else:
        files = write_v2(fz, out_dir, params.name, _iso(world.t1_ms))
    truth = {
        "seed": params.seed,
        "params": params.as_json(),
        "files": {role: path.name for role, path in files.items()},
        "operations": [_resolve(fz, e) for e in operations],
        "decoys": [_resolve(fz, e) for e in decoys],
    }
    gt = out_dir / "ground_truth.json"
    gt.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return GeneratedSample(out_dir, files, gt, len(fz.tweetid), len(fz.userid),
                           int(fz.acc["disclosed"].sum()), len(operations), len(decoys),
                           time.perf_counter() - began)


def build(params: SampleParams) -> tuple[World, list[dict[str, Any]], list[dict[str, Any]]]:
    """Populate the world; return it with the operations' and decoys' evidence (rows)."""
    rng = np.random.Generator(np.random.PCG64(params.seed))
    t0 = datetime(params.start.year, params.start.month, params.start.day, tzinfo=UTC)
    world = World(rng, int(t0.timestamp() * 1000), params.days, hashtag_vocabulary(rng))
    organic = organic_accounts(world, params.accounts, params.tweets_per_day)
    specs = [s for s in params.operations if s.size]

    members: dict[str, np.ndarray] = {}
    evidence: dict[str, dict[str, Any]] = {}
    for spec in specs:
        if spec.kind == "weak-signals":
            continue  # drawn last (`_weak_signals`)
        if spec.kind in BUILDS:
            members[spec.kind], evidence[spec.kind] = BUILDS[spec.kind](world, spec)
        elif spec.kind == "hashtag-flood":
            members[spec.kind] = recruit(world, spec, rt_share=np.zeros(spec.size))
        elif spec.kind == "copy-paste-zh":
            members[spec.kind] = recruit(world, spec, lang="zh")
        else:
            members[spec.kind] = recruit(world, spec)

    active = np.concatenate([organic, *(m for k, m in members.items() if k != "repurposed")])
    pool = originals_for(world, active)
    reactions_for(world, active, pool)

    acts = {**ACTS, "co-retweet": partial(co_retweet, pool=pool), "copy-paste-zh": copy_paste_zh}
    for spec in specs:
        if spec.kind in acts:
            evidence[spec.kind] = acts[spec.kind](world, spec, members[spec.kind])

    crowd = organic[CELEBRITIES:][world.account("rate")[organic[CELEBRITIES:]] > 0]
    decoys = []
    fan, viral, news = (params.op(k) for k in ("fan-community", "viral-burst", "news-bots"))
    fan = replace(fan, size=fan.size or params.accounts // 25)
    if fan.events:
        decoys.append({"name": "decoy-fan-community", "kind": "fan-community",
                       **fan_community(world, fan, crowd)})
        crowd = np.setdiff1d(crowd, decoys[-1]["members"])
    if viral.events:
        decoys.append({"name": "decoy-viral-burst", "kind": "viral-burst",
                       **viral_burst(world, viral, crowd, organic[:CELEBRITIES])})
    if news.size >= 2 and news.events:
        decoys.append({"name": "decoy-news-bots", "kind": "news-bots",
                       **news_bots(world, news)})
    slogans, quotes = params.op("slogan-crowd"), params.op("headline-quotes")
    if slogans.events:
        decoys.append({"name": "decoy-slogan-crowd", "kind": "slogan-crowd",
                       **slogan_crowd(world, slogans, crowd)})
    if quotes.size >= 2 and quotes.events:
        decoys.append({"name": "decoy-headline-quotes", "kind": "headline-quotes",
                       **headline_quotes(world, quotes)})
    for spec in specs:
        if spec.kind == "weak-signals":
            members[spec.kind], evidence[spec.kind] = _weak_signals(world, spec, pool)
    operations = [
        {"name": f"op{i}-{spec.kind}", "kind": spec.kind, "members": members[spec.kind],
         "disclosed": True, "size": spec.size, **evidence[spec.kind]}
        for i, spec in enumerate(specs, start=1)
    ]
    return world, operations, decoys


def _weak_signals(world: World, spec: OpSpec, pool: np.ndarray
                  ) -> tuple[np.ndarray, dict[str, Any]]:
    """The weak-signals operation, recruited, given a background and planted after all the
    rest, so that every other operation and decoy is drawn as it was before it existed."""
    members = recruit(world, spec)
    originals_for(world, members)
    reactions_for(world, members, pool)
    return members, weak_signals(world, spec, members, pool)


def _resolve(fz: Frozen, entry: dict[str, Any]) -> dict[str, Any]:
    """Row indices to the ids written in the files."""
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if key in TWEET_KEYS:
            out[key] = [str(t) for t in fz.tweetid[np.sort(np.asarray(value))]]
        elif key in ACCOUNT_KEYS:
            out[key] = sorted(str(u) for u in fz.userid[np.asarray(value)])
        else:
            out[key] = value
    return out


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()
