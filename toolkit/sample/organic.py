"""Organic background: accounts posting on a daily rhythm in their own time zone, and
retweet/reply/quote cascades of popular tweets with heavy-tailed delays.

Popularity follows the author's followers, so celebrities gather large cascades whose
first retweets come within seconds, as on real Twitter; because retweeters are drawn
independently per cascade, two ordinary accounts rarely meet in the same minute twice.
"""

from __future__ import annotations

import numpy as np

from .accounts import DAY_MS, heavy_tailed_rates, make_accounts
from .text import attach, draw_hashtags, draw_urls, sentences
from .vocab import HOUR_WEIGHTS
from .world import ORIGINAL, QUOTE, REPLY, RETWEET, World, objects

REPLY_SHARE, QUOTE_SHARE = 0.12, 0.04
CELEBRITIES = 12
_HOUR_P = np.array(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS)
# (median seconds, sigma) of the lognormal delay between a tweet and a reaction to it
DELAYS = {RETWEET: (3600.0, 1.8), REPLY: (1800.0, 1.5), QUOTE: (5400.0, 1.5)}


def organic_accounts(world: World, n: int, tweets_per_day: float) -> np.ndarray:
    """The background population, with a dozen celebrities on top."""
    rng = world.rng
    stars = make_accounts(world, CELEBRITIES, lang="en",
                          followers=rng.integers(200_000, 5_000_000, CELEBRITIES),
                          rate=rng.uniform(2.0, 6.0, CELEBRITIES),
                          rt_share=np.full(CELEBRITIES, 0.05))
    rest = make_accounts(world, n - CELEBRITIES,
                         rate=heavy_tailed_rates(rng, n - CELEBRITIES, tweets_per_day))
    return np.concatenate([stars, rest])


def rhythm_ms(rng: np.random.Generator, tz: np.ndarray, t0_ms: int, days: int) -> np.ndarray:
    """Times inside the window that follow the daily rhythm of each event's time zone."""
    n = len(tz)
    local = rng.integers(0, days, n) * DAY_MS + rng.choice(24, size=n, p=_HOUR_P) * 3_600_000
    ms = local + rng.integers(0, 3_600_000, n) - (tz * 3_600_000).astype(np.int64)
    return t0_ms + np.mod(ms, days * DAY_MS)


def post_originals(world: World, authors: np.ndarray, ms: np.ndarray, *,
                   hashtag_share: float = 0.25, url_share: float = 0.14,
                   mention_share: float = 0.05) -> np.ndarray:
    """Original tweets by `authors` at `ms` in each author's language and client."""
    rng = world.rng
    n = len(authors)
    lang = world.account("lang")[authors]
    und = rng.random(n) < 0.05  # emoji-only tweets: language 'und', as in the release
    lang = np.where(und, "und", lang).astype(object)
    tags, p = world.hashtags
    hashtags = draw_hashtags(rng, n, hashtag_share, tags, p)
    urls = draw_urls(rng, n, url_share)
    mentions = np.empty(n, dtype=object)
    mentions.fill(())
    who = np.flatnonzero(rng.random(n) < mention_share)
    mentions[who] = objects([(int(m),) for m in _popular_accounts(world, len(who))])
    text = attach(rng, sentences(rng, lang), hashtags, urls)
    handles = world.account("handle")
    for i in who:
        text[i] = f"{text[i]} @{handles[mentions[i][0]]}"
    return world.tweets.add(n, author=authors, ms=ms, kind=ORIGINAL, text=text, lang=lang,
                            client=world.account("client")[authors], hashtags=hashtags,
                            urls=urls, mentions=mentions)


def originals_for(world: World, accounts: np.ndarray, **kw: float) -> np.ndarray:
    """Each account's own tweets over the window: Poisson around its rate."""
    rng = world.rng
    rate = world.account("rate")[accounts]
    share = 1 - world.account("rt_share")[accounts] - REPLY_SHARE - QUOTE_SHARE
    n = rng.poisson(rate * np.clip(share, 0.05, 1) * world.days)
    authors = np.repeat(accounts, n)
    ms = rhythm_ms(rng, world.account("tz")[authors], world.t0_ms, world.days)
    return post_originals(world, authors, ms, **kw)


def reactions_for(world: World, accounts: np.ndarray, pool: np.ndarray) -> None:
    """Retweets, replies and quotes by `accounts` of tweets in `pool`, each account
    reacting at its own rate to tweets chosen by their author's popularity."""
    rng = world.rng
    rate = world.account("rate")[accounts] * world.days
    shares = {RETWEET: world.account("rt_share")[accounts],
              REPLY: np.full(len(accounts), REPLY_SHARE),
              QUOTE: np.full(len(accounts), QUOTE_SHARE)}
    authors_of_pool = world.tweets.column("author")[pool]
    ms_of_pool = world.tweets.column("ms")[pool]
    weight = (world.account("followers")[authors_of_pool] + 20.0) ** 0.35
    weight *= rng.lognormal(0.0, 1.0, len(pool))
    # people mostly react to tweets in their own language
    labels = np.unique(world.account("lang")[accounts])
    same = world.tweets.column("lang")[pool][None, :] == labels[:, None]
    for kind, share in shares.items():
        who = np.repeat(accounts, rng.poisson(rate * share))
        pos = _choose_targets(rng, world.account("lang")[who], labels, same, weight)
        target = pool[pos]
        median, sigma = DELAYS[kind]
        delay = np.maximum(rng.lognormal(np.log(median), sigma, len(who)), 2.0)
        ms = ms_of_pool[pos] + (delay * 1000).astype(np.int64)
        keep = (ms < world.t1_ms) & (authors_of_pool[pos] != who)
        if kind == RETWEET:  # one retweet per account and tweet
            key = who.astype(np.int64) * (1 << 32) + target
            first = np.zeros(len(who), dtype=bool)
            first[np.unique(key, return_index=True)[1]] = True
            keep &= first
        add_reactions(world, who[keep], target[keep], ms[keep], kind)


def _choose_targets(rng: np.random.Generator, langs: np.ndarray, labels: np.ndarray,
                    same: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Pool positions drawn by `weight`; 90 % among tweets in the reactor's language."""
    out = rng.choice(len(weight), size=len(langs), p=weight / weight.sum())
    local = rng.random(len(langs)) < 0.9
    for row, lang in enumerate(labels):
        w = np.where(same[row], weight, 0.0)
        pick = np.flatnonzero(local & (langs == lang))
        if w.sum() > 0:
            out[pick] = rng.choice(len(weight), size=len(pick), p=w / w.sum())
    return out


def add_reactions(world: World, who: np.ndarray, target: np.ndarray, ms: np.ndarray,
                  kind: int) -> np.ndarray:
    """Rows reacting to `target` tweets; retweets take their text later, from the
    original; replies and quotes get a sentence of their own."""
    rng = world.rng
    client = world.account("client")[who]
    if kind == RETWEET:
        return world.tweets.add(len(who), author=who, ms=ms, kind=kind, ref=target,
                                client=client)
    lang = world.account("lang")[who]
    return world.tweets.add(len(who), author=who, ms=ms, kind=kind, ref=target,
                            text=sentences(rng, lang, 2, 12), lang=lang, client=client)


def _popular_accounts(world: World, n: int) -> np.ndarray:
    followers = world.account("followers").astype(float)
    p = np.sqrt(followers + 1)
    return world.rng.choice(len(followers), size=n, p=p / p.sum())
