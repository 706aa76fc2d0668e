"""The generator's columnar tables: accounts and tweets as numpy arrays, appended in
batches by the organic, operation and decoy modules and frozen once for the writers.

Tweets refer to each other and to accounts by row index, so every module can plant
references cheaply; ids, hashing and derived text are filled in at `freeze`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .ids import hashed_ids, snowflake_ids, tokens, unique_suffix, user_ids

ORIGINAL, RETWEET, REPLY, QUOTE = 0, 1, 2, 3
EMPTY: tuple[str, ...] = ()

ACCOUNT_COLUMNS = (
    "handle", "name", "location", "description", "profile_url", "followers", "following",
    "created_ms", "account_lang", "lang", "tz", "rate", "rt_share", "client", "disclosed",
)
TWEET_COLUMNS = (
    "author", "ms", "kind", "ref", "text", "lang", "client", "hashtags", "urls", "mentions",
)
_DEFAULTS: dict[str, Any] = {
    "ref": -1, "text": "", "lang": "", "client": "", "hashtags": EMPTY, "urls": EMPTY,
    "mentions": EMPTY, "location": "", "description": "", "profile_url": "",
    "rate": 0.0, "rt_share": 0.0, "disclosed": False, "kind": ORIGINAL,
}


class Table:
    """Append-only batches of equal-length columns; `add` returns the new rows' indices."""

    def __init__(self, columns: tuple[str, ...]):
        self.columns = columns
        self.batches: list[dict[str, np.ndarray]] = []
        self.size = 0

    def add(self, n: int, **cols: Any) -> np.ndarray:
        batch: dict[str, np.ndarray] = {}
        for name in self.columns:
            value = cols.pop(name, _DEFAULTS.get(name))
            if value is None:
                raise TypeError(f"missing column {name}")
            batch[name] = _column(value, n)
        if cols:
            raise TypeError(f"unknown columns {sorted(cols)}")
        self.batches.append(batch)
        self.size += n
        return np.arange(self.size - n, self.size)

    def column(self, name: str) -> np.ndarray:
        return np.concatenate([b[name] for b in self.batches])


def _column(value: Any, n: int) -> np.ndarray:
    if isinstance(value, np.ndarray):
        if len(value) != n:
            raise ValueError(f"column of length {len(value)}, expected {n}")
        return value
    if isinstance(value, list):
        if len(value) != n:
            raise ValueError(f"column of length {len(value)}, expected {n}")
        return objects(value)
    arr = np.empty(n, dtype=object if isinstance(value, str | tuple) else type(value))
    arr.fill(value)  # a tuple fills as one object
    return arr


def objects(values: Any) -> np.ndarray:
    """A 1-d object array of `values` (numpy would turn a list of tuples into 2-d)."""
    arr = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        arr[i] = v
    return arr


@dataclass
class World:
    """What every generator module reads and extends: the window, both tables, and
    indices of tweets other modules may react to."""

    rng: np.random.Generator
    t0_ms: int
    days: int
    hashtags: tuple[np.ndarray, np.ndarray]  # organic hashtags and their popularity
    accounts: Table = field(default_factory=lambda: Table(ACCOUNT_COLUMNS))
    tweets: Table = field(default_factory=lambda: Table(TWEET_COLUMNS))

    @property
    def t1_ms(self) -> int:
        return self.t0_ms + self.days * 86_400_000

    def account(self, name: str) -> np.ndarray:
        return self.accounts.column(name)


@dataclass
class Frozen:
    """Final columns for the writers: file ids (hashed where the release hashes), the
    text of retweets and replies, counts, and tweet ids from the snowflake times."""

    userid: np.ndarray  # as in the files (hashed or numeric)
    screen_name: np.ndarray
    display_name: np.ndarray
    hashed: np.ndarray
    acc: dict[str, np.ndarray]
    tw: dict[str, np.ndarray]
    tweetid: np.ndarray  # int64 snowflakes
    counts: dict[str, np.ndarray]


def freeze(world: World, seed: int, hash_below: int) -> Frozen:
    rng = world.rng
    acc = {c: world.accounts.column(c) for c in ACCOUNT_COLUMNS}
    acc["handle"] = unique_suffix(rng, acc["handle"])
    tw = {c: world.tweets.column(c) for c in TWEET_COLUMNS}
    hashed = acc["disclosed"] & (acc["followers"] < hash_below)
    userid = user_ids(rng, acc["created_ms"])
    hashes = hashed_ids(seed, np.flatnonzero(hashed), rng)
    userid[hashed] = hashes
    screen = acc["handle"].copy()
    display = acc["name"].copy()
    screen[hashed] = hashes
    display[hashed] = hashes
    tweetid = snowflake_ids(rng, tw["ms"])
    _derive_references(tw, acc["handle"], tweetid, rng)
    kind, ref = tw["kind"], tw["ref"]
    counts = {
        name: np.bincount(ref[kind == k], minlength=len(kind)) if (kind == k).any()
        else np.zeros(len(kind), dtype=np.int64)
        for name, k in (("retweet_count", RETWEET), ("reply_count", REPLY),
                        ("quote_count", QUOTE))
    }
    # audiences outside the sample also react: more for authors with more followers
    reach = np.log1p(acc["followers"][tw["author"]]) / 4
    counts["like_count"] = rng.poisson(reach * (1 + 3 * counts["retweet_count"]))
    counts["retweet_count"] = counts["retweet_count"] + rng.poisson(reach / 3)
    for name in counts:
        counts[name][kind == RETWEET] = 0  # the release reports 0 on retweet rows
    return Frozen(userid, screen, display, hashed, acc, tw, tweetid, counts)


def _derive_references(tw: dict[str, np.ndarray], handle: np.ndarray, tweetid: np.ndarray,
                       rng: np.random.Generator) -> None:
    """Retweets copy their original ('RT @author: text', its entities, its language);
    replies start with '@author' and mention them; quotes link to the quoted status."""
    kind, ref, author = tw["kind"], tw["ref"], tw["author"]
    rt = np.flatnonzero(kind == RETWEET)
    src = ref[rt]
    if (kind[src] == RETWEET).any():
        raise ValueError("a retweet must point at an original, reply or quote")
    for i, s in zip(rt, src, strict=True):
        text = f"RT @{handle[author[s]]}: {tw['text'][s]}"
        tw["text"][i] = text if len(text) <= 140 else text[:139] + "…"
        tw["mentions"][i] = (author[s], *tw["mentions"][s])
    for col in ("lang", "hashtags", "urls"):
        tw[col][rt] = tw[col][src]
    rp = np.flatnonzero(kind == REPLY)
    for i in rp:
        target = author[ref[i]]
        tw["text"][i] = f"@{handle[target]} {tw['text'][i]}"
        tw["mentions"][i] = (target, *tw["mentions"][i])
    qt = np.flatnonzero(kind == QUOTE)
    codes = tokens(rng, len(qt), 10)
    for i, code in zip(qt, codes, strict=True):
        tw["text"][i] = f"{tw['text'][i]} https://t.co/{code}"
        status = f"https://twitter.com/{handle[author[ref[i]]]}/status/{tweetid[ref[i]]}"
        tw["urls"][i] = (*tw["urls"][i], status)
