"""Apply `cypher/schema.cypher`: constraints before data, so every MERGE is an index seek."""

from __future__ import annotations

from importlib import resources
from typing import LiteralString, cast

from .connect import Graph


def schema_statements() -> list[LiteralString]:
    """The statements of the packaged schema file, comments dropped."""
    text = (resources.files("toolkit.cypher") / "schema.cypher").read_text(encoding="utf-8")
    code = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("//"))
    # The file ships with the package and is not user input, so it may be query text.
    return [cast(LiteralString, s.strip()) for s in code.split(";") if s.strip()]


def apply_schema(graph: Graph) -> int:
    """Create what is missing (IF NOT EXISTS), wait until indexes are online; return the
    number of statements applied."""
    statements = schema_statements()
    for statement in statements:
        graph.write(statement)
    graph.write("CALL db.awaitIndexes(300)")
    return len(statements)
