"""Decoys: organic patterns that resemble the operations at a glance but are not
repeatedly time-aligned, so a careful detector (window + minimum weight + null model)
leaves them alone while a careless one flags them."""

from __future__ import annotations

import numpy as np

from .accounts import DAY_MS, make_accounts
from .ids import tokens
from .operations import Evidence, post
from .organic import add_reactions, rhythm_ms
from .params import OpSpec
from .text import sentences
from .vocab import FAN_HASHTAGS, NEWS_CLIENTS
from .world import RETWEET, World, objects


def viral_burst(world: World, spec: OpSpec, pool: np.ndarray, stars: np.ndarray) -> Evidence:
    """Celebrity tweets that go viral: a crowd drawn afresh each time retweets within the
    first minute, the rest trickle in over hours. Any two accounts rarely meet twice."""
    rng = world.rng
    size = spec.size or max(40, len(pool) // 12)
    star = rng.choice(stars, spec.events)
    ms = np.sort(rng.integers(world.t0_ms, world.t1_ms - DAY_MS, spec.events))
    text = sentences(rng, np.full(spec.events, "en", dtype=object), 6, 14)
    targets = post(world, star, ms, text, "en")
    members: set[int] = set()
    rows = []
    for target, t in zip(targets, ms, strict=True):
        who = rng.choice(pool, size=min(size, len(pool)), replace=False)
        fast = rng.random(len(who)) < 0.6
        delay = np.where(fast, 1 + rng.exponential(20, len(who)),
                         rng.lognormal(np.log(1800), 1.5, len(who)))
        when = t + (delay * 1000).astype(np.int64)
        rows.append(add_reactions(world, who, np.full(len(who), target), when, RETWEET))
        members.update(int(m) for m in who[fast & (delay <= spec.window_s)])
    return {"members": np.array(sorted(members)), "celebrities": np.unique(star),
            "targets": targets, "tweets": np.concatenate(rows)}


def fan_community(world: World, spec: OpSpec, pool: np.ndarray) -> Evidence:
    """Fans of an invented band share its hashtags for days on their own schedules, and
    now and then retweet the band's account hours after it posts."""
    rng = world.rng
    fans = rng.choice(pool, size=spec.size, replace=False)
    idol = make_accounts(world, 1, lang="en", handle=["StarlightBandHQ"],
                         name=["Starlight (official)"], followers=np.array([350_000]))
    authors = np.repeat(fans, spec.events)
    ms = rhythm_ms(rng, world.account("tz")[authors], world.t0_ms, world.days)
    k = rng.integers(1, 3, len(authors))
    tags = objects([tuple(rng.choice(FAN_HASHTAGS, j, replace=False)) for j in k])
    text = sentences(rng, world.account("lang")[authors], 3, 10)
    text = objects([t + "".join(f" #{h}" for h in tg) for t, tg in zip(text, tags,
                                                                       strict=True)])
    rows = [post(world, authors, ms, text, world.account("lang")[authors],
                 hashtags=list(tags))]
    idol_ms = np.sort(rhythm_ms(rng, np.zeros(20), world.t0_ms, world.days - 1))
    idol_posts = post(world, np.repeat(idol, 20), idol_ms,
                      sentences(rng, np.full(20, "en", dtype=object), 5, 12), "en")
    for tweet, t in zip(idol_posts, idol_ms, strict=True):
        who = fans[rng.random(len(fans)) < 0.15]
        when = t + (rng.lognormal(np.log(5400), 1.2, len(who)) * 1000).astype(np.int64)
        rows.append(add_reactions(world, who, np.full(len(who), tweet), when, RETWEET))
    return {"members": np.sort(fans), "hashtags": list(FAN_HASHTAGS), "idol": idol,
            "tweets": np.concatenate(rows)}


def news_bots(world: World, spec: OpSpec) -> Evidence:
    """Feed bots of news sites that post the same headline and link, each minutes to
    hours after the last (never within `window_s`)."""
    rng = world.rng
    n = spec.size
    handles = objects([f"{w}{s}" for w, s in zip(
        rng.choice(["Metro", "Global", "Daily", "World", "City", "Morning"], n),
        rng.choice(["NewsFeed", "Headlines", "Wire", "Digest", "Brief", "Update"], n),
        strict=True)])
    bots = make_accounts(world, n, lang="en", handle=handles, name=handles.copy(),
                         client=rng.choice(np.array(NEWS_CLIENTS, dtype=object), n),
                         followers=rng.integers(800, 40_000, n))
    headlines = sentences(rng, np.full(spec.events, "en", dtype=object), 6, 12)
    slugs = tokens(rng, spec.events, 8)
    published = np.sort(rng.integers(world.t0_ms, world.t1_ms - 2 * DAY_MS, spec.events))
    rows, urls = [], []
    for headline, slug, t in zip(headlines, slugs, published, strict=True):
        url = f"https://www.bbc.co.uk/news/world-{int.from_bytes(slug.encode()) % 10**8}"
        gaps = spec.window_s + rng.exponential(1500, n)
        when = t + (np.cumsum(gaps) * 1000).astype(np.int64)
        order = rng.permutation(bots)
        text = objects([f"{headline.capitalize()} https://t.co/{c}"
                        for c in tokens(rng, n, 10)])
        rows.append(post(world, order, when, text, "en", urls=[(url,)] * n))
        urls.append(url)
    return {"members": bots, "urls": urls, "min_gap_s": spec.window_s,
            "tweets": np.concatenate(rows)}
