"""Graph queries (`result: graph`) at scale: PROFILE each with its defaults (so the
default starts from the data: the strongest ring, its first member, the top profile site,
the busiest non-common app) against the server NEO4J_URI names, twice (the second run is
reported, planned and cached), and print db hits, rows, time and the operators each
branch starts from. A query whose cost grows with the graph rather than with what it
draws shows it as a scan with many db hits.

    NEO4J_URI=bolt://127.0.0.1:7741 NEO4J_PASSWORD=... .venv/bin/python benchmarks/graph_queries.py
"""

from __future__ import annotations

from typing import Any

import neo4j
from toolkit.db.settings import Settings
from toolkit.queries.catalog import load_catalog
from toolkit.queries.params import bind

STARTS = ("Seek", "Scan")


def operators(plan: Any) -> list[dict[str, Any]]:
    """Every operator of a profiled plan, depth first."""
    found = [{"op": str(plan["operatorType"]).split("@")[0], "hits": plan.get("dbHits", 0),
              "rows": plan.get("rows", 0), "details": plan["args"].get("Details", "")}]
    for child in plan.get("children", ()):
        found += operators(child)
    return found


def main() -> None:
    settings = Settings.resolve()
    catalog = load_catalog(use_env=False)
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                    notifications_min_severity="OFF") as driver:
        size = driver.execute_query("MATCH (t:Tweet) RETURN count(t) AS tweets",
                                    database_=settings.database).records[0]["tweets"]
        print(f"{size:,} tweets")
        for query in (q for q in catalog.in_category() if q.is_graph):
            params = bind(query.params, {})
            for _ in range(2):
                summary = driver.execute_query("PROFILE " + query.text, params,
                                               database_=settings.database,
                                               routing_=neo4j.RoutingControl.READ).summary
            ops = operators(summary.profile)
            ms = (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
            print(f"{query.name}: {sum(o['hits'] for o in ops):,} db hits, "
                  f"{ops[0]['rows']:,} rows, {ms} ms")
            for op in ops:
                if any(s in op["op"] for s in STARTS):
                    print(f"    {op['op']} ({op['hits']:,} hits): {op['details'][:90]}")


if __name__ == "__main__":
    main()
