"""EXPLAIN every loader query and list its operators, to prove no plan is `Eager`.

An `Eager` operator makes Cypher materialize every row of a batch before writing, which
costs memory and time on 20k-row batches; the tests and the benchmark check for it."""

from __future__ import annotations

from typing import Any, LiteralString

import neo4j

from ..db.connect import Graph, translate_errors
from ..db.plans import plan_steps
from . import cypher, statistics

# Every parameter any loader query uses, so EXPLAIN plans (and caches) without warnings.
_DUMMY: dict[str, Any] = {"rows": [], "dataset": "", "name": "", "format": "", "files": [],
                          "rejected": 0, "tweets": 0, "formats": [], "file_rows": [],
                          "file_rejected": [], "file_tweets": [], "keys": []}


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
    return [step.operator for step in plan_steps(summary.plan)]


# Deletes always plan an Eager in Neo4j 5 (the rows to delete are gathered first); these
# touch a few rows at most (claims a row overrides, a Dataset a failed load left empty),
# never a batch, so they are left out of the check.
SMALL_DELETES = frozenset({"UNPOST", "DROP_EMPTY_DATASET"})


def eager_queries(graph: Graph) -> list[str]:
    """Names of the loader queries whose plan holds an Eager operator (should be none)."""
    return [name for name, query in loader_queries().items()
            if name not in SMALL_DELETES and "Eager" in operators(graph, query)]
