"""`require_dataset`: a `--dataset` (or `-p dataset=`) that names no loaded dataset is a
typo, refused in one line listing the known ones, instead of an empty result, an empty
export or a detection run over nothing."""

from __future__ import annotations

from typing import Final, LiteralString

from ..errors import BadParameter
from .connect import Graph

DATASET_EXISTS: Final[LiteralString] = """
MATCH (d:Dataset {name: $name}) RETURN count(d) > 0 AS found
"""
DATASET_NAMES: Final[LiteralString] = """
MATCH (d:Dataset) RETURN d.name AS name ORDER BY name LIMIT 21
"""


def require_dataset(graph: Graph, name: str | None) -> None:
    """Nothing for None (every dataset) or a loaded dataset; `BadParameter` otherwise."""
    if name is None or graph.read(DATASET_EXISTS, name=name)[0]["found"]:
        return
    known = [str(r["name"]) for r in graph.read(DATASET_NAMES)]
    listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
    raise BadParameter("dataset", f"no dataset {name!r} in the database (known: "
                       f"{listed or 'none; load one first'})")
