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
pairs), computed a block of texts at a time so memory stays flat, and each candidate's
exact Jaccard is computed vectorized from the token hashes. Groups are the connected
components of the similar pairs (single linkage: A~B and B~C put A and C together even when
A and C are less similar).
"""

from __future__ import annotations

from itertools import chain

import igraph
import numpy as np
import pandas as pd

from ..errors import BadParameter
from ..sources.text import normalize_text, tokens
from .pairs import Coded, sweep

BANDS, ROWS = 16, 4  # 64 hashes; a pair with Jaccard 0.8 shares a band with p > 0.999
MAX_BUCKET = 2000  # a band bucket larger than this is text too generic to be evidence
BLOCK_TOKENS = 500_000  # token hashes per MinHash block (x 64 hashes x 8 bytes = 256 MB)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5], dtype=np.uint64)


def near_duplicate_groups(texts: pd.Series, threshold: float = 0.8, min_tokens: int = 3,
                          seed: int = 0, ngram: int = 2) -> pd.Series:
    """For each text, a representative (the group's first normalized text) of its group of
    near-duplicates; missing (NA) for texts with fewer than `min_tokens` tokens."""
    if not 0 < threshold <= 1:
        raise BadParameter("similarity", f"{threshold}: must be in (0, 1]")
    if ngram < 1:
        raise BadParameter("ngram", f"{ngram}: must be >= 1")
    raw, raw_distinct = pd.factorize(texts)  # -1: a missing text
    norm, distinct = pd.factorize(pd.Series([normalize_text(t) for t in raw_distinct],
                                            dtype=object))
    flat, sizes = token_hashes([tokens(t, ngram) for t in distinct])
    ok = sizes >= min_tokens
    pairs = _candidates(flat, sizes, ok, seed)
    similar = pairs[_jaccard(flat, sizes, pairs) >= threshold]
    g = igraph.Graph(n=len(distinct), edges=similar.tolist())
    comp = np.asarray(g.connected_components().membership, dtype=np.int64)
    first = pd.Series(np.arange(len(distinct))).groupby(comp).transform("min").to_numpy()
    rep = np.asarray(distinct, dtype=object)[first] if len(distinct) else np.zeros(0, object)
    rep[~ok] = None
    out = np.full(len(texts), None, dtype=object)
    out[raw >= 0] = rep[norm][raw[raw >= 0]]
    return pd.Series(out, index=texts.index, dtype=object)


def token_hashes(docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Each document's distinct tokens as sorted uint64 hashes, concatenated (`flat`), and
    the number of them per document (`sizes`). Hashed in one vectorized call."""
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    hashed = pd.util.hash_array(np.fromiter(chain.from_iterable(docs), dtype=object,
                                            count=int(lengths.sum())), categorize=False)
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    order = np.lexsort((hashed, owner))
    owner, hashed = owner[order], hashed[order]
    keep = np.ones(len(hashed), dtype=bool)
    keep[1:] = (owner[1:] != owner[:-1]) | (hashed[1:] != hashed[:-1])
    return hashed[keep], np.bincount(owner[keep], minlength=len(docs)).astype(np.int64)


def _signatures(flat: np.ndarray, sizes: np.ndarray, live: np.ndarray,
                seed: int) -> np.ndarray:
    """MinHash signatures (uint32, one row of BANDS * ROWS per live document), computed
    over blocks of about `BLOCK_TOKENS` token hashes."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, BANDS * ROWS, dtype=np.uint64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sig = np.empty((len(live), BANDS * ROWS), dtype=np.uint32)
    ends = np.cumsum(sizes[live])
    lo = 0
    while lo < len(live):
        base = int(ends[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(ends, base + BLOCK_TOKENS, side="right")), lo + 1)
        docs = live[lo:hi]
        n = sizes[docs]
        pos = np.repeat(starts[docs] - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        with np.errstate(over="ignore"):
            h = ((flat[pos, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(
                np.uint32)
        sig[lo:hi] = np.minimum.reduceat(h, np.concatenate([[0], np.cumsum(n)[:-1]]),
                                         axis=0)
        lo = hi
    return sig


def _candidates(flat: np.ndarray, sizes: np.ndarray, ok: np.ndarray,
                seed: int) -> np.ndarray:
    """Distinct-text pairs (i < j) sharing at least one LSH band."""
    live = np.flatnonzero(ok & (sizes > 0))
    if len(live) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    sig = _signatures(flat, sizes, live, seed).astype(np.uint64)
    found = []
    for band in range(BANDS):
        with np.errstate(over="ignore"):  # the band's 4 values mixed into one key
            mixed = (sig[:, band * ROWS:(band + 1) * ROWS] * _MIX[None, :]).sum(axis=1)
        key = pd.factorize(mixed)[0].astype(np.int64)
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
    return np.unique(pairs, axis=0)


def _jaccard(flat: np.ndarray, sizes: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard of each pair's token sets, from the flat sorted token hashes."""
    if len(pairs) == 0:
        return np.zeros(0)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    both = np.concatenate([pairs[:, 0], pairs[:, 1]])
    pid = np.concatenate([np.arange(len(pairs))] * 2)
    n = sizes[both]
    rows = np.repeat(pid, n)
    pos = np.repeat(starts[both], n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    key = pd.DataFrame({"p": rows, "t": flat[pos]})
    union = key.drop_duplicates().groupby("p").size().reindex(range(len(pairs)),
                                                               fill_value=0).to_numpy()
    total = np.bincount(rows, minlength=len(pairs))
    return (total - union) / np.maximum(union, 1)
