"""Run catalogued queries read-only and return pandas DataFrames, in chunks for output
files so large results stream instead of piling up in memory.

Read-only is proven, not assumed: the server plans the query (EXPLAIN) and must call it
a read (`query_type == "r"`) whose plan neither loads files or URLs nor calls procedures
off the allow-list (`readonly`) before it runs, and it runs in a READ transaction with a
timeout and metadata naming the query, so it shows in query.log and `SHOW TRANSACTIONS`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

import neo4j
from neo4j import exceptions as neo

from ..db.connect import Graph, translate_errors
from ..db.datasets import require_dataset
from ..db.plans import plan_steps
from ..errors import QueryFailed, QueryTimedOut
from .catalog import Query
from .params import bind
from .readonly import refusal

CHUNK_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query with its checked parameter values, ready to run."""

    query: Query
    params: dict[str, Any]


def prepare(query: Query, given: Mapping[str, Any] | None = None) -> Prepared:
    """Type-check `given` (CLI strings or native values) against the header."""
    return Prepared(query, bind(query.params, given or {}))


def check_runnable(graph: Graph, prepared: Prepared) -> None:
    """Everything that must hold before a query runs: it only reads (`ensure_read_only`),
    and a `dataset` parameter names a loaded dataset (`require_dataset`), so a typo is an
    error rather than an empty result."""
    ensure_read_only(graph, prepared)
    dataset = prepared.params.get("dataset")
    if isinstance(dataset, str) and any(p.name == "dataset" for p in prepared.query.params):
        require_dataset(graph, dataset)


def ensure_read_only(graph: Graph, prepared: Prepared) -> None:
    """Ask the server's planner what the query does; refuse anything but a pure read of
    the graph (`toolkit.queries.readonly`), before anything runs."""
    query = prepared.query
    with _errors(graph, query, None):
        summary = graph.driver.execute_query(
            neo4j.Query("EXPLAIN " + query.text, metadata=_metadata(query, explain=True)),
            prepared.params, database_=graph.database, routing_=neo4j.RoutingControl.READ,
        ).summary
    why = refusal(summary.query_type, plan_steps(summary.plan))
    if why:
        raise QueryFailed(f"query {query.name!r} ({query.source}) is not read-only: {why}; "
                          "packaged and --file queries may only read")


def iter_frames(graph: Graph, prepared: Prepared, *, timeout: float | None = None,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The result in DataFrames of at most `chunk_rows` rows (at least one frame, empty
    with the result's columns when there are no rows). The query is checked
    (`check_runnable`) when this is called, before the caller writes anything.

    An auto-commit READ transaction rather than a retried managed one: a stream already
    written to a file cannot be silently replayed after a transient failure."""
    check_runnable(graph, prepared)
    return _frames(graph, prepared, timeout, chunk_rows)


def _frames(graph: Graph, prepared: Prepared, timeout: float | None,
            chunk_rows: int) -> Iterator[pd.DataFrame]:
    query = prepared.query
    with _errors(graph, query, timeout), graph.driver.session(
        database=graph.database, default_access_mode=neo4j.READ_ACCESS
    ) as session:
        result = session.run(
            neo4j.Query(query.text, metadata=_metadata(query), timeout=timeout),
            prepared.params,
        )
        columns = list(result.keys())
        sent = False
        while True:
            records = result.fetch(chunk_rows)
            if not records and sent:
                return
            rows = [[_plain(v) for v in record.values()] for record in records]
            yield pd.DataFrame(rows, columns=columns, dtype=object) if rows else \
                pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
            sent = True
            if len(records) < chunk_rows:
                return


def run(graph: Graph, query: Query, given: Mapping[str, Any] | None = None, *,
        timeout: float | None = None) -> pd.DataFrame:
    """The whole result of one query as a DataFrame (for scripts and notebooks)."""
    frames = list(iter_frames(graph, prepare(query, given), timeout=timeout))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _metadata(query: Query, explain: bool = False) -> dict[str, str]:
    return {"app": "infoops", "infoops_query": query.name,
            "infoops_phase": "explain" if explain else "run"}


@contextmanager
def _errors(graph: Graph, query: Query, timeout: float | None) -> Iterator[None]:
    """Translate driver errors, naming the query (and its timeout where that helps)."""
    try:
        yield
    except neo.Neo4jError as e:
        code = e.code or ""
        where = f"query {query.name!r} ({query.source})"
        if "TransactionTimedOut" in code:
            raise QueryTimedOut(f"{where} ran longer than its {timeout:g} s timeout "
                              "(raise it with --timeout)") from e
        if "AccessMode" in code or (code.endswith("Security.Forbidden")
                                    and "overridden by READ" in (e.message or "")):
            # The READ transaction stopped a write the plan did not show (one inside a
            # read-mode procedure such as apoc.cypher.run).
            raise QueryFailed(f"{where} tried to write in a read-only transaction "
                              f"({e.message})") from e
        if code.startswith("Neo.ClientError.Statement."):
            raise QueryFailed(f"{where} was refused by Neo4j: {e.message}") from e
        with translate_errors(graph.settings):
            raise
    except (neo.DriverError, OSError):
        with translate_errors(graph.settings):
            raise


def _plain(value: Any) -> Any:
    """Driver values as plain Python: temporal types native, graph objects as dicts, so
    every writer (CSV, JSON, Parquet, rich) can handle them."""
    if isinstance(value, DateTime | Date | Time):
        return value.to_native()
    if isinstance(value, Duration):
        return value.iso_format()
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
