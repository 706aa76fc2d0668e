"""Generator parameters: scale, seed, output format, and the size and timing of each
planted operation and decoy. Validated here so the CLI and the API fail alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Final

from ..errors import BadParameter
from ..numbers import SEED_MAX, check_number

DEMO_SEED: Final = 20190819
"""The seed of the bundled demo dataset (the date of the Hong Kong disclosure)."""


class OutputFormat(StrEnum):
    IO_ARCHIVE = "io-archive"
    V2 = "v2"


OP_KINDS: Final = (
    "co-retweet", "copy-paste", "hashtag-flood", "reply-mention", "shared-infrastructure",
    "link-pushing", "repurposed", "mention-swarm", "reply-swarm", "copy-paste-zh",
    "weak-signals",
)
DECOY_KINDS: Final = ("viral-burst", "fan-community", "news-bots", "slogan-crowd",
                      "headline-quotes")


@dataclass(frozen=True, slots=True)
class OpSpec:
    """One planted operation or decoy: `size` accounts acting together `events` times,
    each time within `window_s` seconds (0 disables the operation)."""

    kind: str
    size: int
    events: int
    window_s: int


DEFAULT_OPS: Final = (
    OpSpec("co-retweet", size=25, events=30, window_s=30),
    OpSpec("copy-paste", size=20, events=25, window_s=45),
    OpSpec("hashtag-flood", size=20, events=25, window_s=45),
    OpSpec("reply-mention", size=15, events=120, window_s=0),
    OpSpec("shared-infrastructure", size=30, events=0, window_s=0),
    OpSpec("link-pushing", size=20, events=25, window_s=45),
    OpSpec("repurposed", size=12, events=0, window_s=0),
    OpSpec("mention-swarm", size=16, events=25, window_s=45),
    OpSpec("reply-swarm", size=16, events=25, window_s=45),
    OpSpec("copy-paste-zh", size=20, events=20, window_s=180),
    OpSpec("weak-signals", size=16, events=4, window_s=45),
)
"""Defaults: `events` is rounds of coordinated action (for reply-mention: replies; for
weak-signals: rounds in each of its four ways)."""

DEFAULT_DECOYS: Final = (
    OpSpec("viral-burst", size=0, events=6, window_s=60),  # size 0: scales with accounts
    OpSpec("fan-community", size=0, events=15, window_s=0),  # size 0: accounts // 25
    OpSpec("news-bots", size=6, events=60, window_s=120),  # window_s: minimum gap
    OpSpec("slogan-crowd", size=0, events=3, window_s=1800),  # size 0: scales with accounts
    OpSpec("headline-quotes", size=8, events=20, window_s=120),  # window_s: minimum gap
)


@dataclass(frozen=True, slots=True)
class SampleParams:
    """Everything that determines a sample; the same params give the same bytes."""

    seed: int = DEMO_SEED
    accounts: int = 2000
    days: int = 30
    start: date = date(2019, 6, 1)
    format: OutputFormat = OutputFormat.IO_ARCHIVE
    name: str = "sample_campaign"
    tweets_per_day: float = 0.65
    """Mean organic tweets per account per day (heavy-tailed across accounts)."""
    hash_below: int = 5000
    """Disclosed accounts with fewer followers get hashed ids, as in the release."""
    operations: tuple[OpSpec, ...] = DEFAULT_OPS
    decoys: tuple[OpSpec, ...] = DEFAULT_DECOYS

    def op(self, kind: str) -> OpSpec:
        return next(s for s in (*self.operations, *self.decoys) if s.kind == kind)

    def validate(self) -> SampleParams:
        """Raise `BadParameter` naming the first value out of range."""
        check_number("seed", self.seed, minimum=0, maximum=SEED_MAX, integer=True)
        if self.accounts < 200:
            raise BadParameter("accounts", f"{self.accounts} is too few; use at least 200")
        if not 3 <= self.days <= 3650:
            raise BadParameter("days", f"{self.days} is outside 3..3650")
        if self.start < date(2014, 1, 1):
            raise BadParameter("start", "must be 2014-01-01 or later (op 7 needs years of "
                               "snowflake-dated history before it)")
        if not self.name or not self.name.replace("_", "").replace("-", "").isalnum():
            raise BadParameter("name", f"{self.name!r}: use letters, digits, '_' or '-'")
        if self.tweets_per_day <= 0:
            raise BadParameter("tweets_per_day", "must be positive")
        for spec in (*self.operations, *self.decoys):
            if spec.size < 0 or spec.events < 0 or spec.window_s < 0:
                raise BadParameter(spec.kind, "size, events and window must be >= 0")
            if spec.kind in ("co-retweet", "copy-paste", "hashtag-flood", "link-pushing",
                             "mention-swarm", "reply-swarm", "copy-paste-zh",
                             "weak-signals") and (
                spec.size and not 1 <= spec.window_s <= 3600
            ):
                raise BadParameter(spec.kind, "window must be 1..3600 seconds")
            if spec.size == 1:
                raise BadParameter(spec.kind, "an operation needs at least 2 accounts")
        fans = self.op("fan-community").size
        if fans > self.accounts // 4:
            raise BadParameter("fan-community", f"{fans} fans is more than a quarter of the "
                               f"{self.accounts} organic accounts they are drawn from")
        return self

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = self.start.isoformat()
        d["format"] = self.format.value
        d["operations"] = {s.kind: _spec_json(s) for s in self.operations}
        d["decoys"] = {s.kind: _spec_json(s) for s in self.decoys}
        return d


DEMO_PARAMS: Final = SampleParams(accounts=800, days=14)
"""The bundled demo's sample (`infoops demo`): about 15,000 tweets, which load, detect and
report in about a minute."""


def _spec_json(spec: OpSpec) -> dict[str, int]:
    return {"size": spec.size, "events": spec.events, "window_s": spec.window_s}


def with_op_overrides(params: SampleParams, overrides: list[str]) -> SampleParams:
    """Apply `KIND:size=N,events=N,window=S` strings (the CLI's `--op`) to the defaults."""
    specs = {s.kind: s for s in (*params.operations, *params.decoys)}
    for text in overrides:
        kind, _, body = text.partition(":")
        if kind not in specs:
            raise BadParameter("op", f"{kind!r} is not one of {', '.join(specs)}")
        spec = specs[kind]
        for item in filter(None, body.split(",")):
            key, _, value = item.partition("=")
            attr = {"size": "size", "events": "events", "window": "window_s"}.get(key.strip())
            if attr is None or not value.strip().isdigit():
                raise BadParameter("op", f"{item!r} in {text!r}: expected size=N, events=N "
                                   "or window=SECONDS")
            spec = replace(spec, **{attr: int(value)})
        specs[kind] = spec
    return replace(
        params,
        operations=tuple(specs[s.kind] for s in params.operations),
        decoys=tuple(specs[s.kind] for s in params.decoys),
    )
