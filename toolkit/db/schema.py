"""Apply `cypher/schema.cypher`: constraints before data, so every MERGE is an index seek."""

from __future__ import annotations

from importlib import resources
from typing import LiteralString, cast

from .connect import Graph

SCHEMA_WAIT_SECONDS = 24 * 3600


def schema_statements() -> list[LiteralString]:
    """The statements of the packaged schema file, comments dropped."""
    text = (resources.files("toolkit.cypher") / "schema.cypher").read_text(encoding="utf-8")
    code = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("//"))
    # The file ships with the package and is not user input, so it may be query text.
    return [cast(LiteralString, s.strip()) for s in code.split(";") if s.strip()]


def apply_schema(graph: Graph) -> int:
    """Create what is missing (IF NOT EXISTS), wait until indexes are online; return the
    number of statements applied.

    Plain indexes first: each fills in a background job of its own, so they are built while
    each constraint is created and checked (synchronously). Over a bulk-imported graph this
    order is ~20% faster than constraints first (7 alternating runs on 1M rows: 6.6 s
    against 8.6 s); one transaction for all the indexes is slower, as it fills them in one
    job. The wait has no practical limit: population grows with the graph (111 s at 10M
    rows)."""
    statements = schema_statements()
    indexes = [s for s in statements if s.startswith("CREATE INDEX")]
    for statement in [*indexes, *(s for s in statements if s not in indexes)]:
        graph.write(statement)
    graph.write("CALL db.awaitIndexes($seconds)", seconds=SCHEMA_WAIT_SECONDS)
    return len(statements)
