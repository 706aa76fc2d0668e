"""The Chinese-language copy-paste operation and the two crowds that resemble it.

The operation (as in the 2019 PRC releases): a group posts the same messages within
minutes, round after round, each copy lightly edited by hand: some in Traditional and some
in Simplified script, punctuation swapped between full and half width, digits in full
width, an emoji (joiner sequences, skin tones, flags) or a short tail added, now and then a
phrase dropped. Exact-text matching separates nearly every copy; co-similar-tweet (and,
for copies that differ only in script, width, punctuation and emoji, co-tweet) joins them.

Decoys: a crowd that posts one slogan once within half an hour (many accounts, one
occasion: no pair meets twice), and news accounts that quote the same headline over a day
(the same text, hours apart).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from .accounts import DAY_MS, make_accounts
from .ids import tokens
from .operations import Evidence, participants, post, round_times
from .params import OpSpec
from .vocab import EMOJI_SEQUENCES, NEWS_CLIENTS, ZH_HEADLINE, ZH_PHRASES, ZH_TAILS
from .world import World, objects

_FULL_WIDTH = str.maketrans("0123456789,!?:", "０１２３４５６７８９，！？：")
_STYLES = (("，", "！"), (",", "!"), ("、", "…"), (" ", "!!!"), ("，", "。"))
"""(clause separator, ending) of the punctuation a copy may use instead of the base's."""


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def base_message(rng: np.random.Generator) -> tuple[str, ...]:
    """Three clauses of two to three civic phrases each, sometimes with a date."""
    clauses = ["".join(rng.choice(ZH_PHRASES, int(rng.integers(2, 4)), replace=False))
               for _ in range(3)]
    if rng.random() < 0.4:
        clauses[0] = f"{int(rng.integers(1, 13))}月{int(rng.integers(1, 29))}日{clauses[0]}"
    return tuple(clauses)


def render(clauses: tuple[str, ...], style: tuple[str, str] = _STYLES[0]) -> str:
    return style[0].join(clauses) + style[1]


def edit(rng: np.random.Generator, clauses: tuple[str, ...]) -> tuple[str, bool]:
    """One hand-edited copy, and whether it differs from `render(clauses)` only in script,
    width, punctuation and emoji (what normalization folds)."""
    parts = list(clauses)
    exact = True
    if rng.random() < 0.15:  # a phrase dropped
        k = int(rng.integers(0, len(parts)))
        cut = 4 if len(parts[k]) > 8 else 0
        parts[k] = parts[k][cut:] if cut else parts[k]
        exact = cut == 0
    style = _STYLES[int(rng.integers(0, len(_STYLES)))] if rng.random() < 0.6 else _STYLES[0]
    text = render(tuple(parts), style)
    if rng.random() < 0.3:  # full-width digits and punctuation
        text = text.translate(_FULL_WIDTH)
    if rng.random() < 0.5:
        text = _s2t().convert(text)
    if rng.random() < 0.35:
        text += " " + EMOJI_SEQUENCES[int(rng.integers(0, len(EMOJI_SEQUENCES)))]
    if rng.random() < 0.3:  # a tail of the poster's own
        text += ZH_TAILS[int(rng.integers(0, len(ZH_TAILS)))]
        exact = False
    return text, exact


def copy_paste_zh(world: World, spec: OpSpec, members: np.ndarray) -> Evidence:
    """Members post edited copies of one message within `window_s`, round after round."""
    rng = world.rng
    bases = [base_message(rng) for _ in range(spec.events)]
    rows, exact = [], []
    for clauses, start in zip(bases, round_times(world, spec.events, spec.window_s),
                              strict=True):
        who = participants(rng, members)
        copies = [edit(rng, clauses) for _ in who]
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        posted = post(world, who, when, objects([c for c, _ in copies]), "zh")
        rows.append(posted)
        exact.append(posted[[e for _, e in copies]])
    return {"texts": [render(c) for c in bases], "window_s": spec.window_s,
            "tweets": np.concatenate(rows), "exact": np.concatenate(exact)}


def slogan_crowd(world: World, spec: OpSpec, pool: np.ndarray) -> Evidence:
    """`events` slogans, each posted once by a crowd drawn afresh from `pool`, all within
    `window_s` (half an hour by default) of its first post, each copy edited as above."""
    rng = world.rng
    size = min(spec.size or max(30, len(pool) // 15), len(pool))
    starts = np.sort(rng.integers(world.t0_ms, world.t1_ms - DAY_MS, spec.events))
    members: set[int] = set()
    rows, slogans = [], []
    for start in starts:
        clauses = base_message(rng)
        who = rng.choice(pool, size=size, replace=False)
        copies = objects([edit(rng, clauses)[0] for _ in who])
        when = start + rng.integers(0, spec.window_s * 1000, size)
        rows.append(post(world, who, when, copies, "zh"))
        members.update(int(m) for m in who)
        slogans.append(render(clauses))
    return {"members": np.array(sorted(members)), "texts": slogans,
            "window_s": spec.window_s, "tweets": np.concatenate(rows)}


def headline_quotes(world: World, spec: OpSpec) -> Evidence:
    """`size` Chinese-language news accounts each post the same headline (a prefix of
    their own, some in Traditional script) over the day after it breaks, never within
    `window_s` of each other."""
    rng = world.rng
    n = spec.size
    handles = objects([f"{a}{b}" for a, b in zip(
        rng.choice(["HK", "Asia", "ZhongWen", "HuaRen", "Greater", "Pearl"], n),
        rng.choice(["Daily", "NewsNow", "Wire", "Times", "Post", "Express"], n), strict=True)])
    bots = make_accounts(world, n, lang="zh", handle=handles, name=handles.copy(),
                         client=rng.choice(np.array(NEWS_CLIENTS, dtype=object), n),
                         followers=rng.integers(3000, 90_000, n))
    traditional = rng.random(n) < 0.5
    prefix = rng.choice(np.array(["【快讯】", "【新闻】", "#新闻# ", ""], dtype=object), n)
    published = np.sort(rng.integers(world.t0_ms, world.t1_ms - 2 * DAY_MS, spec.events))
    rows, headlines = [], []
    for t in published:
        headline = "".join(rng.choice(ZH_HEADLINE, 4, replace=False))
        gaps = spec.window_s + rng.exponential(DAY_MS / 1000 / n, n)
        when = t + (np.cumsum(gaps) * 1000).astype(np.int64)
        order = rng.permutation(n)
        text = [f"{prefix[k]}{_s2t().convert(headline) if traditional[k] else headline} "
                f"https://t.co/{code}" for k, code in zip(order, tokens(rng, n, 10),
                                                         strict=True)]
        rows.append(post(world, bots[order], when, objects(text), "zh"))
        headlines.append(headline)
    return {"members": bots, "texts": headlines, "min_gap_s": spec.window_s,
            "tweets": np.concatenate(rows)}
