"""Near-duplicate texts for co-similar-tweet: texts whose word sets have Jaccard similarity
>= threshold (coordination-network-toolkit's measure, default 0.8 as its CLI) are grouped,
and the group becomes the shared target; the windowed pairing then runs as for co-tweet.

Candidates come from MinHash with banded LSH over the distinct normalized texts (never all
pairs), and each candidate's exact Jaccard is computed vectorized from the token hashes.
Groups are the connected components of the similar pairs (single linkage: A~B and B~C put
A and C together even when A and C are less similar).
"""

from __future__ import annotations

import re
import zlib

import igraph
import numpy as np
import pandas as pd

from ..errors import BadParameter
from ..sources.normalize import normalize_text
from .pairs import Coded, sweep

_WORD = re.compile(r"\w+")
BANDS, ROWS = 16, 4  # 64 hashes; a pair with Jaccard 0.8 shares a band with p > 0.999
MAX_BUCKET = 2000  # a band bucket larger than this is text too generic to be evidence


def tokens(text: str) -> list[int]:
    return sorted({zlib.crc32(w.encode()) for w in _WORD.findall(normalize_text(text))})


def near_duplicate_groups(texts: pd.Series, threshold: float = 0.8, min_tokens: int = 3,
                          seed: int = 0) -> pd.Series:
    """For each text, a representative (the group's first normalized text) of its group of
    near-duplicates; missing (NA) for texts with fewer than `min_tokens` words."""
    if not 0 < threshold <= 1:
        raise BadParameter("similarity", f"{threshold}: must be in (0, 1]")
    norm = texts.map(normalize_text)
    doc, distinct = pd.factorize(norm)
    toks = [tokens(t) for t in distinct]
    ok = np.array([len(t) >= min_tokens for t in toks], dtype=bool)
    sizes = np.array([len(t) for t in toks], dtype=np.int64)
    flat = np.fromiter((x for t in toks for x in t), dtype=np.uint64, count=int(sizes.sum()))
    owner = np.repeat(np.arange(len(toks)), sizes)
    pairs = _candidates(flat, owner, sizes, ok, seed)
    similar = pairs[_jaccard(flat, sizes, pairs) >= threshold]
    g = igraph.Graph(n=len(toks), edges=similar.tolist())
    comp = np.asarray(g.connected_components().membership)
    first = pd.Series(np.arange(len(toks))).groupby(comp).transform("min").to_numpy()
    rep = np.asarray(distinct, dtype=object)[first]
    rep[~ok] = None
    return pd.Series(rep[doc], index=texts.index)


def _candidates(flat: np.ndarray, owner: np.ndarray, sizes: np.ndarray, ok: np.ndarray,
                seed: int) -> np.ndarray:
    """Distinct-text pairs (i < j) sharing at least one LSH band."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, BANDS * ROWS, dtype=np.uint64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    live = np.flatnonzero(ok & (sizes > 0))
    if len(flat) == 0 or len(live) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    with np.errstate(over="ignore"):
        h = (flat[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
    sig = np.minimum.reduceat(h, starts[live], axis=0)
    found = []
    for band in range(BANDS):
        cols = sig[:, band * ROWS:(band + 1) * ROWS]
        key = pd.factorize(pd.Series(map(bytes, cols)))[0].astype(np.int64)
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
