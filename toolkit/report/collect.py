"""Run the report's queries and keep, next to every result, the query and parameters that
produced it, so each section of the page can show how to reproduce its numbers."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, LiteralString
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from neo4j.time import Date, DateTime, Duration, Time

from ..db.connect import Graph
from ..errors import BadParameter
from ..queries.catalog import load_catalog
from ..queries.params import bind
from . import queries as q

Progress = Callable[[str], None]
"""Told the name of each step before it runs (the CLI turns this into a progress bar)."""

EVIDENCE_TARGETS_PER_RING = 8
CHANGES_QUERY = "repurposed-accounts"


@dataclass(frozen=True)
class ReportOptions:
    """What the report covers. `tz` names the wall clock of the second activity view,
    `office_tz` the one whose office hours repurposed accounts are tested against."""

    dataset: str | None = None
    run_id: str | None = None
    tz: str = "UTC"
    top: int = 20
    rings: int = 10
    office_tz: str = "Asia/Shanghai"

    def validate(self) -> None:
        check_tz(self.tz)
        check_tz(self.office_tz)
        if self.top < 1:
            raise BadParameter("top", f"must be at least 1, not {self.top}")
        if self.rings < 0:
            raise BadParameter("rings", f"must be 0 or more, not {self.rings}")


def check_tz(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or a `BadParameter` that says what to use."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise BadParameter(
            "tz", f"unknown time zone {name!r}: use an IANA name such as Asia/Shanghai or UTC"
        ) from e


@dataclass(frozen=True)
class QueryRun:
    """One query as it ran: its name, text, parameters, row count and time taken."""

    name: str
    text: str
    params: dict[str, Any]
    rows: int
    ms: float


@dataclass
class RingData:
    """One ring of the chosen run with what the page shows of it."""

    info: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    targets: list[tuple[str, int]] = field(default_factory=list)  # (target, edges citing it)
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the page renders; `runs` maps a section name to the queries behind it."""

    options: ReportOptions
    generated_at: datetime
    datasets: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    per_day: list[dict[str, Any]] = field(default_factory=list)
    week_hour_utc: list[dict[str, Any]] = field(default_factory=list)
    week_hour_local: list[dict[str, Any]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    top: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    detection_runs: list[dict[str, Any]] = field(default_factory=list)
    run: dict[str, Any] | None = None
    rings: list[RingData] = field(default_factory=list)
    target_tweets: dict[str, dict[str, Any]] = field(default_factory=dict)
    queries: dict[str, list[QueryRun]] = field(default_factory=dict)


STEPS = ("overview", "activity", "accounts", "top", "changes", "rings", "evidence")
"""The steps `collect` reports to its progress callback, in order."""


class _Recorder:
    """Runs read queries through `Graph.read` and files each run under a section."""

    def __init__(self, graph: Graph, data: ReportData):
        self.graph, self.data = graph, data

    def read(self, section: str, name: str, query: LiteralString,
             **params: Any) -> list[dict[str, Any]]:
        start = time.perf_counter()
        rows = [{k: plain(v) for k, v in r.items()} for r in self.graph.read(query, **params)]
        ms = (time.perf_counter() - start) * 1000
        run = QueryRun(name, query.strip(), params, len(rows), ms)
        self.data.queries.setdefault(section, []).append(run)
        return rows


def plain(value: Any) -> Any:
    """Neo4j temporal values as Python ones, recursively, so rendering needs no driver."""
    if isinstance(value, DateTime):
        return value.to_native()
    if isinstance(value, Date | Time):
        return value.to_native()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def collect(graph: Graph, options: ReportOptions,
            progress: Progress | None = None) -> ReportData:
    """Run every query of the report (read-only) and return their results."""
    options.validate()
    tell = progress or (lambda _step: None)
    data = ReportData(options=options, generated_at=datetime.now(UTC))
    rec = _Recorder(graph, data)
    ds = {"dataset": options.dataset}

    tell("overview")
    data.datasets = rec.read("overview", "DATASETS", q.DATASETS, **ds)
    if options.dataset is not None and not data.datasets:
        known = [r["name"] for r in graph.read(q.DATASETS, dataset=None)]
        raise BadParameter("dataset", f"no dataset {options.dataset!r} in the database "
                           f"(known: {', '.join(known) or 'none; load one first'})")
    data.totals = rec.read("overview", "TOTALS", q.TOTALS, **ds)[0]

    tell("activity")
    data.per_day = rec.read("activity", "TWEETS_PER_DAY", q.TWEETS_PER_DAY, **ds)
    data.week_hour_utc = rec.read("activity", "TWEETS_BY_WEEKDAY_HOUR",
                                  q.TWEETS_BY_WEEKDAY_HOUR, **ds, tz="UTC")
    data.week_hour_local = (
        data.week_hour_utc if options.tz == "UTC" else
        rec.read("activity", "TWEETS_BY_WEEKDAY_HOUR", q.TWEETS_BY_WEEKDAY_HOUR,
                 **ds, tz=options.tz))

    tell("accounts")
    data.created = rec.read("accounts", "ACCOUNTS_CREATED_PER_DAY",
                            q.ACCOUNTS_CREATED_PER_DAY, **ds)

    tell("top")
    for key, query in (("clients", q.CLIENTS), ("hashtags", q.HASHTAGS),
                       ("domains", q.DOMAINS), ("urls", q.URLS)):
        data.top[key] = rec.read(key, key.upper(), query, **ds, limit=options.top)

    tell("changes")
    query = load_catalog(use_env=False).get(CHANGES_QUERY)
    given = {"tz": options.office_tz, "limit": options.top}
    params = bind(query.params, given if options.dataset is None else {**given, **ds})
    data.changes = rec.read("changes", CHANGES_QUERY, query.text, **params)

    tell("rings")
    data.detection_runs = rec.read("rings", "RUNS", q.RUNS)
    data.run = _choose_run(data.detection_runs, options.run_id)
    if data.run is not None and options.rings > 0:
        _collect_rings(rec, data, data.run["run_id"], options.rings)

    tell("evidence")
    if data.rings:
        _collect_evidence(rec, data)
    return data


def _choose_run(runs: list[dict[str, Any]], run_id: str | None) -> dict[str, Any] | None:
    """The run asked for, else the newest one, else None when nothing was detected yet."""
    if run_id is None:
        return runs[0] if runs else None
    for run in runs:
        if run["run_id"] == run_id:
            return run
    known = ", ".join(r["run_id"] for r in runs[:10]) or "none; run infoops detect first"
    raise BadParameter("run", f"no detection run {run_id!r} in the database (known: {known})")


def _collect_rings(rec: _Recorder, data: ReportData, run_id: str, limit: int) -> None:
    infos = rec.read("rings", "RINGS", q.RINGS, run_id=run_id, limit=limit)
    data.rings = [RingData(info) for info in infos]
    by_id = {r.info["ring_id"]: r for r in data.rings}
    ring_ids = list(by_id)
    for row in rec.read("rings", "RING_MEMBERS", q.RING_MEMBERS, ring_ids=ring_ids):
        by_id[row.pop("ring_id")].members.append(row)
    for row in rec.read("rings", "RING_EDGES", q.RING_EDGES, ring_ids=ring_ids):
        by_id[row.pop("ring_id")].edges.append(row)
    for ring in data.rings:
        cited = Counter(str(t) for e in ring.edges for t in set(e.get("evidence") or []))
        ring.targets = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[
            :EVIDENCE_TARGETS_PER_RING]


def _collect_evidence(rec: _Recorder, data: ReportData) -> None:
    """The members' tweets behind each ring's most cited targets, and the target tweets."""
    rings = [{"ring_id": r.info["ring_id"], "members": [m["userid"] for m in r.members],
              "targets": [t for t, _ in r.targets]} for r in data.rings if r.targets]
    if not rings:
        return
    by_id = {r.info["ring_id"]: r for r in data.rings}
    for row in rec.read("evidence", "EVIDENCE_TWEETS", q.EVIDENCE_TWEETS, rings=rings):
        by_id[row.pop("ring_id")].evidence.append(row)
    tweet_ids = sorted({t for r in rings for t in r["targets"]})
    found = rec.read("evidence", "TARGET_TWEETS", q.TARGET_TWEETS, tweet_ids=tweet_ids)
    data.target_tweets = {row["tweetid"]: row for row in found}


def as_date(value: Any) -> date | None:
    """A `date` from a date or datetime value (accounts may carry either)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
