"""Near-duplicate texts for co-similar-tweet: texts whose token sets have Jaccard similarity
>= threshold (coordination-network-toolkit's measure, default 0.8 as its CLI) are grouped,
and the group becomes the shared target; the windowed pairing then runs as for co-tweet.

Texts are compared in their `normalize_text` form (script, width, case, punctuation and
emoji folded) and split by `tokens`: words where a script has spaces, character n-grams
(bigrams by default) in Han, Kana, Hangul, Thai, Lao, Khmer and Myanmar runs. So a
threshold of 0.8 is 80% of shared words in English and 80% of shared two-character pieces
in Chinese: one changed character of a 30-character message changes two bigrams
(Jaccard 28/32 = 0.875), a 4-character tail added changes four (30/34 = 0.88).

Candidates come from MinHash with banded LSH over the distinct normalized texts (never all
pairs): 20 bands of 8 hashes, so a pair at Jaccard 0.8 becomes a candidate with
probability 0.975, at 0.85 0.998, at 0.9 and above always in practice, while pairs below
0.5 rarely do (texts of a small vocabulary would otherwise flood the exact check). Each
candidate's exact Jaccard is then computed vectorized from the token hashes. Everything
runs a block at a time (texts, tokens, pairs), so memory follows the number of texts.
Groups are the connected components of the similar pairs (single linkage: A~B and B~C put
A and C together even when A and C are less similar).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import igraph
import numpy as np
import pandas as pd

from ..errors import BadParameter
from ..sources.text import normalize_text, tokens
from .pairs import Coded, sweep

BANDS, ROWS = 20, 8  # 160 hashes; a pair with Jaccard 0.8 shares a band with p = 0.975
MAX_BUCKET = 2000  # a band bucket larger than this is text too generic to be evidence
BLOCK_TOKENS = 50_000  # token hashes per MinHash block (x 160 hashes x 8 bytes = 64 MB)
BLOCK_DOCS = 100_000  # texts tokenized at a time
BLOCK_PAIRS = 50_000  # candidate pairs whose exact Jaccard is computed at a time


def near_duplicate_groups(texts: pd.Series, threshold: float = 0.8, min_tokens: int = 3,
                          seed: int = 0, ngram: int = 2) -> pd.Series:
    """For each text, a representative (the group's first normalized text) of its group of
    near-duplicates; missing (NA) for texts with fewer than `min_tokens` tokens."""
    if not 0 < threshold <= 1:
        raise BadParameter("similarity", f"{threshold}: must be in (0, 1]")
    if ngram < 1:
        raise BadParameter("ngram", f"{ngram}: must be >= 1")
    raw, raw_distinct = pd.factorize(texts)  # -1: a missing text
    norm, distinct = pd.factorize(np.array([normalize_text(t) for t in raw_distinct.tolist()],
                                           dtype=object))
    flat, sizes, vocab = token_ids(distinct.tolist(), ngram)
    ok = sizes >= min_tokens
    pairs = _candidates(flat, sizes, vocab, ok, seed)
    similar = pairs[_jaccard(flat, sizes, len(vocab), pairs) >= threshold]
    g = igraph.Graph(n=len(distinct), edges=similar.tolist())
    comp = np.asarray(g.connected_components().membership, dtype=np.int64)
    first = pd.Series(np.arange(len(distinct))).groupby(comp).transform("min").to_numpy()
    rep = np.asarray(distinct, dtype=object)[first] if len(distinct) else np.zeros(0, object)
    rep[~ok] = None
    out = np.full(len(texts), None, dtype=object)
    out[raw >= 0] = rep[norm][raw[raw >= 0]]
    return pd.Series(out, index=texts.index, dtype=object)


def token_ids(normalized: Sequence[str], ngram: int = 2
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each normalized text's distinct tokens as sorted ids into `vocab` (the tokens'
    uint64 hashes), concatenated (`flat`), and the number of them per text (`sizes`).
    Tokens are hashed vectorized, a block of texts at a time (token strings are the bulky
    part); words of ASCII texts are split in one pass over the whole block."""
    owners, hashes = [], []
    for lo in range(0, len(normalized), BLOCK_DOCS):
        block = normalized[lo:lo + BLOCK_DOCS]
        plain = [k for k, t in enumerate(block) if t.isascii() and t]
        other = [k for k, t in enumerate(block) if not t.isascii()]
        words = " ".join(block[k] for k in plain).split(" ") if plain else []
        docs = [tokens(block[k], ngram) for k in other]
        lengths = np.array([block[k].count(" ") + 1 for k in plain]
                           + [len(d) for d in docs], dtype=np.int64)
        owners.append(lo + np.repeat(np.array(plain + other, dtype=np.int64), lengths))
        hashes.append(pd.util.hash_array(np.fromiter(
            chain(words, chain.from_iterable(docs)), dtype=object, count=int(lengths.sum())),
            categorize=False))
    if not hashes:
        return (np.zeros(0, dtype=np.int64), np.zeros(len(normalized), dtype=np.int64),
                np.zeros(0, dtype=np.uint64))
    ids, vocab = pd.factorize(np.concatenate(hashes))
    owner = np.concatenate(owners)
    key = _sorted_unique(owner * max(len(vocab), 1) + ids)  # one per (text, token)
    sizes = np.bincount(key // max(len(vocab), 1), minlength=len(normalized))
    return key % max(len(vocab), 1), sizes.astype(np.int64), np.asarray(vocab, np.uint64)


def _band_keys(flat: np.ndarray, sizes: np.ndarray, vocab: np.ndarray, live: np.ndarray,
               seed: int) -> np.ndarray:
    """One key per band (uint64, a row per band) for each live text: its ROWS MinHash
    values mixed into one number. Computed over blocks of about `BLOCK_TOKENS` tokens;
    the 160-value signatures themselves are never held."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, BANDS * ROWS, dtype=np.uint64)
    mix = rng.integers(1, 2**63, ROWS, dtype=np.uint64) | np.uint64(1)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    keys = np.empty((BANDS, len(live)), dtype=np.uint64)
    ends = np.cumsum(sizes[live])
    lo = 0
    while lo < len(live):
        base = int(ends[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(ends, base + BLOCK_TOKENS, side="right")), lo + 1)
        docs = live[lo:hi]
        n = sizes[docs]
        pos = np.repeat(starts[docs] - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        with np.errstate(over="ignore"):  # hashes in rows: 3x faster than in columns
            h = (a[:, None] * vocab[None, flat[pos]] + b[:, None]) >> np.uint64(32)
            sig = np.minimum.reduceat(h, np.concatenate([[0], np.cumsum(n)[:-1]]), axis=1)
            keys[:, lo:hi] = (sig.reshape(BANDS, ROWS, len(docs)) * mix[None, :, None]).sum(
                axis=1)
        lo = hi
    return keys


def _candidates(flat: np.ndarray, sizes: np.ndarray, vocab: np.ndarray, ok: np.ndarray,
                seed: int) -> np.ndarray:
    """Distinct-text pairs (i < j) sharing at least one LSH band."""
    live = np.flatnonzero(ok & (sizes > 0))
    if len(live) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    keys = _band_keys(flat, sizes, vocab, live, seed)
    found = []
    for band in range(BANDS):
        key = pd.factorize(keys[band])[0].astype(np.int64)
        size = np.bincount(key)[key]
        keep = (size >= 2) & (size <= MAX_BUCKET)
        if not keep.any():
            continue
        order = np.lexsort((live[keep], key[keep]))
        c = Coded(live[keep][order], key[keep][order], np.zeros(int(keep.sum()), np.int64),
                  np.zeros(int(keep.sum()), np.int64), live, live, live)
        for i, j in sweep(c, 0):
            found.append(np.column_stack([c.acc[i], c.acc[j]]))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    key = _sorted_unique(pairs[:, 0] * len(sizes) + pairs[:, 1])
    return np.column_stack([key // len(sizes), key % len(sizes)])


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """`np.unique` of an int64 array by one sort (numpy's hash-based unique is slower on
    millions of integers)."""
    values = np.sort(values)
    head = np.ones(len(values), dtype=bool)
    head[1:] = values[1:] != values[:-1]
    return values[head]


def _jaccard(flat: np.ndarray, sizes: np.ndarray, n_tokens: int,
             pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard of each pair's token sets, from the texts' sorted token ids, a block
    of `BLOCK_PAIRS` pairs at a time: the shared tokens are the adjacent equal ones once
    both sets of a pair are sorted together."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    out = np.zeros(len(pairs))
    for lo in range(0, len(pairs), BLOCK_PAIRS):
        block = pairs[lo:lo + BLOCK_PAIRS]
        both = np.concatenate([block[:, 0], block[:, 1]])
        n = sizes[both]
        pid = np.repeat(np.concatenate([np.arange(len(block))] * 2), n)
        pos = np.repeat(starts[both] - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        key = np.sort(pid * max(n_tokens, 1) + flat[pos])
        shared = key[1:][key[1:] == key[:-1]] // max(n_tokens, 1)
        inter = np.bincount(shared, minlength=len(block))
        union = sizes[block[:, 0]] + sizes[block[:, 1]] - inter
        out[lo:lo + len(block)] = inter / np.maximum(union, 1)
    return out
