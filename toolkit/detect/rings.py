"""Rings: groups of accounts that co-act with each other more than with anyone else.

Leiden (igraph's own `community_leiden`, modularity on the edge weights) splits a connected
tangle of co-action edges into its dense parts; connected components keep a tangle whole.
A connected component already dense (at least `DENSE_COMPONENT` of its pairs joined) is one
ring under either method: modularity scores a graph's only component as 0, so Leiden would
cut even a near-clique in two when it is all the run found (as IDF weighting often leaves).
Each ring gets its size, density (share of member pairs joined by an edge) and score (mean
shared targets per member pair, so a full clique of weight-12 edges scores 12).
"""

from __future__ import annotations

import random

import igraph
import numpy as np
import pandas as pd

from ..errors import BadParameter
from .options import RingMethod

DENSE_COMPONENT = 0.5
LEIDEN_ROUNDS = 100
MEMBER_COLUMNS = ("account", "ring")
STAT_COLUMNS = ("ring", "size", "edges", "density", "weight", "score")


def find_rings(edges: pd.DataFrame, method: RingMethod | str = RingMethod.LEIDEN,
               min_size: int = 3, resolution: float = 1.0, seed: int = 0
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(members: account, ring) and (stats: ring, size, edges, density, weight, score) for
    the weighted graph of `edges` (a, b, weight). Rings are numbered from 1, largest and
    then highest-scoring first; groups smaller than `min_size` are not rings."""
    method = _method(method)
    if min_size < 2:
        raise BadParameter("min_size", f"{min_size}: a ring needs at least 2 accounts")
    if edges.empty:
        return (pd.DataFrame({k: [] for k in MEMBER_COLUMNS}),
                pd.DataFrame({k: [] for k in STAT_COLUMNS}))
    codes, names = pd.factorize(pd.concat([edges["a"], edges["b"]], ignore_index=True))
    a, b = codes[: len(edges)], codes[len(edges):]
    w = edges["weight"].to_numpy(dtype=float)
    g = igraph.Graph(n=len(names), edges=np.column_stack([a, b]).tolist())
    components = np.asarray(g.connected_components().membership)
    membership = components
    if method is RingMethod.LEIDEN:
        membership = _split_sparse_components(components, a, b, w, resolution, seed)
    return _stats(np.asarray(names), membership, a, b, w, min_size)


def _method(method: RingMethod | str) -> RingMethod:
    try:
        return RingMethod(method)
    except ValueError:
        raise BadParameter("rings", f"{method!r} is not one of "
                           f"{', '.join(m.value for m in RingMethod)}") from None


def _split_sparse_components(components: np.ndarray, a: np.ndarray, b: np.ndarray,
                             w: np.ndarray, resolution: float, seed: int) -> np.ndarray:
    """Dense components stay whole; Leiden partitions the rest (on a graph holding only
    their edges, so the dense ones do not shape its modularity)."""
    size = np.bincount(components)
    pairs = np.maximum(size * (size - 1) / 2, 1)
    dense = (np.bincount(components[a], minlength=len(size)) / pairs >= DENSE_COMPONENT
             )[components]
    sparse_edge = ~dense[a]
    if not sparse_edge.any():
        return components
    g = igraph.Graph(n=len(components),
                     edges=np.column_stack([a[sparse_edge], b[sparse_edge]]).tolist())
    split = _leiden(g, w[sparse_edge], resolution, seed)
    return np.where(dense, components, split + len(size))


def _leiden(g: igraph.Graph, w: np.ndarray, resolution: float, seed: int) -> np.ndarray:
    """Leiden to convergence with a private seeded generator, so runs are repeatable: one
    iteration at a time from the last partition, until an iteration changes nothing. igraph's
    own loop to convergence (`n_iterations=-1`) can cycle forever, even on an 11-edge graph
    a null replicate made; at most `LEIDEN_ROUNDS` iterations are run."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership: np.ndarray | None = None
        for _ in range(LEIDEN_ROUNDS):
            part = g.community_leiden(
                objective_function="modularity", weights=w.tolist(), resolution=resolution,
                n_iterations=1,
                initial_membership=None if membership is None else membership.tolist())
            found = _in_order_of_appearance(np.asarray(part.membership))
            if membership is not None and np.array_equal(found, membership):
                break
            membership = found
    finally:
        igraph.set_random_number_generator(random)
    assert membership is not None
    return membership


def _in_order_of_appearance(membership: np.ndarray) -> np.ndarray:
    """The same partition, communities numbered in the order their first vertex appears (so
    two iterations that differ only in numbering compare equal)."""
    _, first, inverse = np.unique(membership, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]


def _stats(names: np.ndarray, membership: np.ndarray, a: np.ndarray, b: np.ndarray,
           w: np.ndarray, min_size: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    size = np.bincount(membership)
    inside = membership[a] == membership[b]
    n_edges = np.bincount(membership[a][inside], minlength=len(size))
    weight = np.bincount(membership[a][inside], weights=w[inside], minlength=len(size))
    pairs = np.maximum(size * (size - 1) / 2, 1)
    stats = pd.DataFrame({"community": np.arange(len(size)), "size": size, "edges": n_edges,
                          "density": n_edges / pairs, "weight": weight,
                          "score": weight / pairs})
    stats = stats[stats["size"] >= min_size].sort_values(
        ["size", "score", "community"], ascending=[False, False, True])
    ring_of = np.zeros(len(size), dtype=np.int64)
    ring_of[stats["community"].to_numpy()] = np.arange(1, len(stats) + 1)
    stats = stats.assign(ring=np.arange(1, len(stats) + 1))[list(STAT_COLUMNS)]
    ring = ring_of[membership]
    members = pd.DataFrame({"account": names[ring > 0], "ring": ring[ring > 0]})
    return (members.sort_values(["ring", "account"], ignore_index=True),
            stats.reset_index(drop=True))
