"""EXPLAIN every loader query and list its operators, to prove no plan is `Eager`.

An `Eager` operator makes Cypher materialize every row of a batch before writing, which
costs memory and time on 20k-row batches; the tests and the benchmark check for it."""

from __future__ import annotations

from typing import Any, LiteralString

import neo4j

from ..db.connect import Graph, translate_errors
from . import cypher, statistics

# Every parameter any loader query uses, so EXPLAIN plans (and caches) without warnings.
_DUMMY: dict[str, Any] = {"rows": [], "dataset": "", "name": "", "format": "", "files": [],
                          "rejected": 0, "tweets": 0, "keys": []}


def loader_queries() -> dict[str, LiteralString]:
    """Every query constant of `toolkit.load.cypher`, and the statistics' recounts, by
    name."""
    return {**{name: value for name, value in vars(cypher).items()
               if name.isupper() and isinstance(value, str)},
            **dict(statistics.recount_queries())}


def operators(graph: Graph, query: LiteralString) -> list[str]:
    """The operator names of `query`'s plan (EXPLAIN: nothing runs)."""
    with translate_errors(graph.settings):
        summary = graph.driver.execute_query(
            "EXPLAIN " + query, _DUMMY,
            database_=graph.database, routing_=neo4j.RoutingControl.WRITE,
        ).summary
    found: list[str] = []

    def walk(plan: dict[str, Any]) -> None:
        found.append(str(plan["operatorType"]).split("@")[0])
        for child in plan.get("children", []):
            walk(child)

    if summary.plan:
        walk(summary.plan)
    return found


def eager_queries(graph: Graph) -> list[str]:
    """Names of the loader queries whose plan holds an Eager operator (should be none)."""
    return [name for name, query in loader_queries().items()
            if "Eager" in operators(graph, query)]
