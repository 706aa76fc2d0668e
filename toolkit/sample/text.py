"""Synthetic tweet text and entities: sentences from the word lists, hashtags with a
Zipf popularity, links on common domains written as t.co in the text (as the archive
does) and expanded in the `urls` column."""

from __future__ import annotations

import numpy as np

from .ids import tokens
from .vocab import DOMAINS, EMOJI, NO_SPACE_LANGS, POPULAR_HASHTAGS, SHORTENERS, WORDS
from .world import objects


def sentences(rng: np.random.Generator, langs: np.ndarray, lo: int = 4, hi: int = 16,
              words: tuple[str, ...] | None = None) -> np.ndarray:
    """One random sentence per entry of `langs` ('und' gets emoji only); `words`
    replaces the language's everyday list (a topic vocabulary)."""
    out = np.empty(len(langs), dtype=object)
    for lang in np.unique(langs):
        rows = np.flatnonzero(langs == lang)
        if lang == "und":
            picks = rng.integers(0, len(EMOJI), (len(rows), 3))
            out[rows] = ["".join(EMOJI[j] for j in p[: 1 + i % 3]) for i, p in enumerate(picks)]
            continue
        vocab = np.array(words or WORDS[lang], dtype=object)
        lengths = rng.integers(lo, hi + 1, len(rows))
        idx = rng.integers(0, len(vocab), (len(rows), hi))
        sep = "" if lang in NO_SPACE_LANGS else " "
        emoji = rng.random(len(rows)) < 0.15
        picked = vocab[idx]
        out[rows] = [
            sep.join(w[:k]) + (" " + EMOJI[k % len(EMOJI)] if e else "")
            for w, k, e in zip(picked, lengths, emoji, strict=True)
        ]
    return out


def hashtag_vocabulary(rng: np.random.Generator, size: int = 400) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """Hashtags and their Zipf(1.1) popularity: the common ones first, then made-up
    CamelCase pairs of English words."""
    content = [w for w in WORDS["en"] if len(w) > 3]
    pairs = {a.capitalize() + b.capitalize() for a, b in
             rng.choice(content, (size * 2, 2))} - set(POPULAR_HASHTAGS)
    tags = np.array([*POPULAR_HASHTAGS, *sorted(pairs)][:size], dtype=object)
    weights = 1.0 / np.arange(1, len(tags) + 1) ** 1.1
    return tags, weights / weights.sum()


def draw_hashtags(rng: np.random.Generator, n: int, share: float, tags: np.ndarray,
                  p: np.ndarray) -> np.ndarray:
    """Per tweet a tuple of 0-3 distinct hashtags; `share` of the tweets get any."""
    out = np.empty(n, dtype=object)
    out.fill(())
    has = np.flatnonzero(rng.random(n) < share)
    k = rng.choice([1, 2, 3], size=len(has), p=[0.6, 0.28, 0.12])
    picks = tags[rng.choice(len(tags), size=(len(has), 3), p=p)]
    out[has] = objects([tuple(dict.fromkeys(row[:j])) for row, j in zip(picks, k, strict=True)])
    return out


def draw_urls(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Per tweet a tuple of 0-1 organic links: a random page on a common domain, or a
    shortened link that stays as written."""
    out = np.empty(n, dtype=object)
    out.fill(())
    has = np.flatnonzero(rng.random(n) < share)
    names = np.array([d for d, _ in DOMAINS], dtype=object)
    weights = np.array([w for _, w in DOMAINS])
    domain = names[rng.choice(len(names), size=len(has), p=weights / weights.sum())]
    code = tokens(rng, len(has), 11)
    out[has] = objects([
        (f"http://{d}/{c[:7]}",) if d in SHORTENERS else (f"https://{d}/{_path(d, c)}",)
        for d, c in zip(domain, code, strict=True)
    ])
    return out


def _path(domain: str, code: str) -> str:
    if "youtube" in domain:
        return f"watch?v={code}"
    if domain == "youtu.be":
        return code
    return f"{code[:4].lower()}/{code[4:].lower()}"


def attach(rng: np.random.Generator, texts: np.ndarray, hashtags: np.ndarray,
           urls: np.ndarray) -> np.ndarray:
    """Append '#tag' for each hashtag and a t.co link for each URL to the texts."""
    out = texts.copy()
    n_links = np.fromiter((len(u) for u in urls), dtype=np.int64, count=len(urls))
    codes = iter(tokens(rng, int(n_links.sum()), 10))
    for i in np.flatnonzero(n_links | np.fromiter((len(h) for h in hashtags), np.int64,
                                                  count=len(hashtags))):
        tags = "".join(f" #{t}" for t in hashtags[i])
        links = "".join(f" https://t.co/{next(codes)}" for _ in urls[i])
        out[i] = f"{out[i]}{tags}{links}"
    return out
