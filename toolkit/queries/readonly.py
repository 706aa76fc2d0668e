"""What a packaged or `--file` query may do: read the graph, and nothing else.

Query files travel between investigators, so a file is treated as hostile until its plan
says otherwise. The server's planner (EXPLAIN, nothing runs) must call the query a read,
and its plan must hold no operator that acts outside the graph (`LOAD CSV` fetches a URL
or reads a file; terminating transactions stops other users' work) and call only
procedures and functions on `ALLOWED_CALLS`: reads of the graph and pure computations.
`apoc.load.*`, `apoc.import.*`, `apoc.export.*`, `apoc.cypher.*` (Cypher hidden from the
plan in a string), `apoc.periodic.*`, `apoc.spatial.*` (geocoding calls a web service) and
`dbms.*` procedures other than `dbms.components` are out, as is anything a plugin adds.
The local server refuses outbound requests and file access on its own as well (its
configuration, docs/security.md), but a remote server may not be set up that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..db.plans import PlanStep

QUERY_TYPES = {"r": "read", "rw": "read/write", "w": "write", "s": "schema"}

# Planned as reads ("r"), yet they act beyond reading the graph.
REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV, which reads a file or fetches a URL",
    "TerminateTransactions": "TerminateTransactions, which acts on the server",
}

# Procedures and functions a query may call: a name, or `namespace.*` for all of one
# namespace. Write-mode procedures inside an allowed namespace (apoc.nodes.delete) are
# still refused: the planner then calls the query a write.
ALLOWED_CALLS: tuple[str, ...] = (
    # Cypher's own namespaced functions
    "date.*", "datetime.*", "localdatetime.*", "localtime.*", "time.*", "duration.*",
    "point.*", "vector.*", "db.nameFromElementId",
    # Neo4j procedures that describe or search the graph
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.index.vector.queryNodes", "db.index.vector.queryRelationships", "dbms.components",
    # APOC: values (lists, maps, text, numbers, times, hashes) and reads of the graph
    "apoc.coll.*", "apoc.map.*", "apoc.text.*", "apoc.number.*", "apoc.math.*",
    "apoc.date.*", "apoc.temporal.*", "apoc.convert.*", "apoc.json.*", "apoc.agg.*",
    "apoc.hashing.*", "apoc.bitwise.*", "apoc.scoring.*", "apoc.data.*",
    "apoc.util.md5", "apoc.util.sha1", "apoc.util.sha256", "apoc.util.sha384",
    "apoc.util.sha512", "apoc.label.*", "apoc.node.*", "apoc.nodes.*", "apoc.rel.*",
    "apoc.any.*", "apoc.path.*", "apoc.neighbors.*", "apoc.algo.*", "apoc.stats.*",
    "apoc.meta.*",
)

_QUOTED_NAME = re.compile(r"`(?:[^`]|``)*`")  # aliases like `apoc.load.json(x)`
_CALL = re.compile(r"(?<![\w.$])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*\(")


def calls(details: str) -> list[str]:
    """Namespaced procedures and functions called in an operator's details (built-in
    functions without a namespace, such as `count`, are not listed)."""
    return _CALL.findall(_QUOTED_NAME.sub("", details))


def allowed_call(name: str) -> bool:
    folded = name.casefold()
    return any(folded == rule.casefold() or
               (rule.endswith(".*") and folded.startswith(rule[:-1].casefold()))
               for rule in ALLOWED_CALLS)


def refusal(query_type: str | None, steps: Iterable[PlanStep]) -> str | None:
    """Why a query with this planned type and plan may not run, or None if it only reads."""
    if query_type != "r":
        return (f"the server plans it as a {QUERY_TYPES.get(str(query_type), query_type)} "
                "query")
    acting: dict[str, None] = {}
    outside: dict[str, None] = {}
    for step in steps:
        if step.operator in REFUSED_OPERATORS:
            acting[REFUSED_OPERATORS[step.operator]] = None
        for name in calls(step.details):
            if not allowed_call(name):
                outside[name] = None
    if acting:
        return "its plan has " + ", ".join(acting)
    if outside:
        return (f"it calls {', '.join(outside)}, not on the list of read-only procedures "
                "and functions (docs/security.md)")
    return None
