"""Identifiers that look like the release's: snowflake tweet ids whose embedded time is
the tweet time, user ids that grow with the account's creation date, hashed ids of the
2019 releases, and random tokens for t.co and shortener links."""

from __future__ import annotations

import base64
import hashlib

import numpy as np

TWITTER_EPOCH_MS = 1288834974657
"""Snowflake epoch: (id >> 22) + this = creation time in ms since 1970."""

SNOWFLAKE_USERIDS_FROM_MS = 1464739200000  # 2016-06-01: user ids became snowflakes

# (ms since 1970, typical user id) before snowflake user ids; interpolated in log space.
_LEGACY_USERIDS = np.array([
    (1167609600000, 5.0e5),  # 2007-01
    (1230768000000, 1.8e7),  # 2009-01
    (1262304000000, 1.0e8),  # 2010-01
    (1325376000000, 4.5e8),  # 2012-01
    (1388534400000, 2.3e9),  # 2014-01
    (1446336000000, 4.1e9),  # 2015-11
    (1464739200000, 7.4e9),  # 2016-06
])

_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))


def snowflake_ids(rng: np.random.Generator, ms: np.ndarray) -> np.ndarray:
    """Unique int64 ids whose top bits are `ms` since the Twitter epoch; the low 22
    (worker and sequence) bits are random, redrawn where two ids collide."""
    base = (ms.astype(np.int64) - TWITTER_EPOCH_MS) << 22
    ids = base | rng.integers(0, 1 << 22, size=len(ms), dtype=np.int64)
    while True:
        _, first, counts = np.unique(ids, return_index=True, return_counts=True)
        if (counts == 1).all():
            return ids
        dup = np.ones(len(ids), dtype=bool)
        dup[first] = False
        ids[dup] = base[dup] | rng.integers(0, 1 << 22, size=int(dup.sum()), dtype=np.int64)


def user_ids(rng: np.random.Generator, created_ms: np.ndarray) -> np.ndarray:
    """Numeric user ids as strings: snowflakes for accounts created since mid-2016, older
    accounts a sequential-looking 32-bit-era number that grows with the creation date."""
    at = created_ms + rng.integers(0, 86_400_000, len(created_ms))  # the time of day
    snow = snowflake_ids(rng, np.maximum(at, SNOWFLAKE_USERIDS_FROM_MS))
    log_id = np.interp(created_ms, _LEGACY_USERIDS[:, 0], np.log(_LEGACY_USERIDS[:, 1]))
    legacy = (np.exp(log_id) * rng.uniform(0.97, 1.03, len(created_ms))).astype(np.int64)
    ids = np.where(created_ms >= SNOWFLAKE_USERIDS_FROM_MS, snow, legacy)
    while len(np.unique(ids)) < len(ids):  # legacy ids may collide: nudge the repeats
        _, first = np.unique(ids, return_index=True)
        dup = np.ones(len(ids), dtype=bool)
        dup[first] = False
        ids[dup] += rng.integers(1, 1000, int(dup.sum()))
    return ids.astype(str).astype(object)


def hashed_ids(seed: int, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The 2019 releases' hashes: base64 of a digest, ending in '=', 41-44 characters
    (lengths in the real China users file: 44 52 %, 43 36 %, 42 9 %, 41 3 %)."""
    cut = rng.choice(4, size=len(keys), p=[0.52, 0.36, 0.09, 0.03])
    out = np.empty(len(keys), dtype=object)
    for i, (key, c) in enumerate(zip(keys, cut, strict=True)):
        digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
        out[i] = base64.b64encode(digest).decode()[c:]
    return out


def tokens(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    """`n` random alphanumeric strings of `length` (t.co codes, shortener codes, paths)."""
    chars = np.ascontiguousarray(_ALNUM[rng.integers(0, len(_ALNUM), (n, length))])
    return chars.view(f"<U{length}").ravel().astype(object)


def unique_suffix(rng: np.random.Generator, handles: np.ndarray) -> np.ndarray:
    """Make handles unique by appending 1-3 digits to repeats."""
    seen: set[str] = set()
    out = handles.copy()
    for i, h in enumerate(handles):
        while h in seen:
            h = f"{handles[i]}{rng.integers(1, 999)}"
        seen.add(h)
        out[i] = h
    return out
