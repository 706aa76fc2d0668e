"""Account factory: realistic profiles (heavy-tailed followers and activity, time zone
and language together, common clients, sparse bios) with overrides per population."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ids import tokens
from .text import sentences
from .vocab import (
    ACCOUNT_LANGUAGE,
    CLIENTS,
    FIRST_NAMES,
    HANDLE_WORDS,
    LAST_NAMES,
    LOCATIONS,
    TIMEZONES,
)
from .world import World

DAY_MS = 86_400_000
_FIRST_ACCOUNT_MS = 1199145600000  # 2008-01-01


def make_accounts(world: World, n: int, **overrides: Any) -> np.ndarray:
    """Add `n` accounts; any column given in `overrides` replaces the drawn value."""
    rng = world.rng
    zone = rng.choice(len(TIMEZONES), size=n, p=[z[1] for z in TIMEZONES])
    tz = np.array([TIMEZONES[z][0] for z in zone])
    lang = overrides.get("lang")
    if lang is None:
        lang = np.array([_pick(rng, TIMEZONES[z][2]) for z in zone], dtype=object)
    elif isinstance(lang, str):
        lang = np.full(n, lang, dtype=object)
    created = overrides.get("created_ms")
    if created is None:  # skewed to recent years, as sign-ups were
        span = world.t0_ms - 30 * DAY_MS - _FIRST_ACCOUNT_MS
        created = _FIRST_ACCOUNT_MS + (rng.beta(2.2, 1.2, n) * span).astype(np.int64)
    cols: dict[str, Any] = {
        "handle": organic_handles(rng, n),
        "name": _names(rng, n),
        "location": _sometimes(rng, 0.35, [rng.choice(LOCATIONS[x]) for x in lang]),
        "description": _sometimes(rng, 0.4, sentences(rng, lang, 3, 10)),
        "profile_url": _sometimes(rng, 0.12, ["https://t.co/" + t
                                              for t in tokens(rng, n, 10)]),
        "followers": np.minimum(rng.lognormal(np.log(180), 1.7, n), 4e5).astype(np.int64),
        "following": np.minimum(rng.lognormal(np.log(260), 1.1, n), 5e4).astype(np.int64),
        "created_ms": created - created % DAY_MS,
        "account_lang": np.array([rng.choice(ACCOUNT_LANGUAGE[x]) for x in lang], dtype=object),
        "lang": lang,
        "tz": tz,
        "rate": np.zeros(n),
        "rt_share": 0.75 * rng.beta(2.0, 2.5, n),
        "client": np.array([c for c, _ in CLIENTS], dtype=object)[
            rng.choice(len(CLIENTS), size=n, p=_norm([w for _, w in CLIENTS]))],
        "disclosed": np.zeros(n, dtype=bool),
    }
    cols.update({k: v for k, v in overrides.items() if k not in ("lang", "created_ms")})
    return world.accounts.add(n, **cols)


def heavy_tailed_rates(rng: np.random.Generator, n: int, mean: float) -> np.ndarray:
    """Tweets per day: lognormal (sigma 1.3) scaled to `mean`, capped at 20 a day."""
    raw = rng.lognormal(0.0, 1.3, n)
    return np.minimum(raw * mean / np.exp(1.3**2 / 2), 20.0)


def organic_handles(rng: np.random.Generator, n: int) -> np.ndarray:
    """Unique handles in everyday patterns; at most 4 trailing digits, so none looks like
    the default 'word + 8 digits' handles of op 5."""
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    word = np.array(HANDLE_WORDS, dtype=object)[rng.integers(0, len(HANDLE_WORDS), n)]
    num = rng.integers(1, 9999, n)
    pattern = rng.choice(4, size=n, p=[0.35, 0.3, 0.25, 0.1])
    out = np.array([
        (f"{f}{la}", f"{w}_{f.lower()}", f"{f.lower()}{w}{k % 100}", f"{la}{k}")[p]
        for f, la, w, k, p in zip(first, last, word, num, pattern, strict=True)
    ], dtype=object)
    return out


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    first = rng.integers(0, len(FIRST_NAMES), n)
    last = rng.integers(0, len(LAST_NAMES), n)
    return np.array([f"{FIRST_NAMES[a]} {LAST_NAMES[b]}" for a, b in zip(first, last,
                                                                         strict=True)],
                    dtype=object)


def _sometimes(rng: np.random.Generator, share: float, values: Any) -> np.ndarray:
    out = np.array(values, dtype=object)
    out[rng.random(len(out)) >= share] = ""
    return out


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...]) -> str:
    return options[rng.choice(len(options), p=_norm([w for _, w in options]))][0]


def _norm(weights: list[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()
