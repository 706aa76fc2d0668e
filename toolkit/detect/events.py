"""Read (account, target, time, tweet) events for one kind of co-action out of Neo4j.

One read-only query per kind returns flat rows; the target is whatever two accounts must
share (the retweeted tweet, the normalized text's hash, the URL, ...). Retweets are left out
of every kind but co-retweet and co-post, as coordination-network-toolkit does.

The query runs once per page of tweet time (`PAGE_DAYS`, a range seek on the
`tweet_created_at` index), each page its own read transaction: no transaction spans the
whole read, a page that meets a transient error (a cluster member leaving) is retried on
its own, and a server's transaction timeout or memory limit applies to a page, not to the
whole release. A read for given accounts (a ring's evidence) is one query of its own
table, which the planner starts from those accounts (a unique-index seek): on 1M rows,
0.12 s for 20 accounts, where a scan by time took 4-7 s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, LiteralString

import numpy as np
import pandas as pd

import neo4j

from ..db.connect import Graph, translate_errors
from ..errors import BadParameter
from .options import Kind

_IN_RANGE: Final = """
  AND t.created_at >= datetime({epochMillis: $since})
  AND t.created_at < datetime({epochMillis: $until})
  AND ($dataset IS NULL OR t.dataset = $dataset)
"""
# Driven by time (an index range seek); the accounts test is a plain filter here.
_BY_TIME: Final = _IN_RANGE + "  AND ($accounts IS NULL OR a.userid IN $accounts)\n"
# Without the OR, the planner starts from the accounts (a unique-index seek).
_BY_ACCOUNT: Final = _IN_RANGE + "  AND a.userid IN $accounts\n"
_ORIGINAL: Final = "WHERE NOT coalesce(t.is_retweet, false)"
_RETURN: Final = """
RETURN a.userid AS account, {target} AS target, t.created_at.epochMillis AS time_ms,
       t.tweetid AS tweetid, t.time_source AS time_source
"""


def _queries(where: LiteralString) -> dict[Kind, LiteralString]:
    """The read of each kind with the filter `where`; assembled from constants only (no
    user input), so each is a LiteralString."""
    return {
        Kind.CO_RETWEET: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:RETWEET_OF]->(o:Tweet) "
        "WHERE true" + where + _RETURN.replace("{target}", "o.tweetid"),
        Kind.CO_TWEET: "MATCH (a:Account)-[:POSTED]->(t:Tweet) " + _ORIGINAL
        + " AND t.text_hash IS NOT NULL" + where + _RETURN.replace("{target}", "t.text_hash"),
        Kind.CO_SIMILAR_TWEET: "MATCH (a:Account)-[:POSTED]->(t:Tweet) " + _ORIGINAL
        + " AND t.text IS NOT NULL" + where + _RETURN.replace("{target}", "t.text"),
        Kind.CO_LINK: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:LINKS_TO]->(u:Url) " + _ORIGINAL
        + where + _RETURN.replace("{target}", "u.url"),
        Kind.CO_DOMAIN: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:LINKS_TO]->(u:Url)"
        "-[:ON_DOMAIN]->(d:Domain) " + _ORIGINAL + " AND NOT coalesce(u.is_shortener, false)"
        + where + "WITH DISTINCT a, t, d" + _RETURN.replace("{target}", "d.name"),
        Kind.CO_HASHTAG: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:HAS_HASHTAG]->(h:Hashtag) "
        + _ORIGINAL + where + _RETURN.replace("{target}", "h.name"),
        Kind.CO_HASHTAG_SEQUENCE: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:HAS_HASHTAG]->"
        "(h:Hashtag) " + _ORIGINAL + where + "WITH a, t, h ORDER BY h.name "
        "WITH a, t, collect(h.name) AS tags WHERE size(tags) >= 2"
        + _RETURN.replace("{target}", "reduce(s = '', x IN tags | s + '#' + x)"),
        Kind.CO_REPLY: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:REPLY_TO]->(o:Tweet) "
        + _ORIGINAL + where + _RETURN.replace("{target}", "o.tweetid"),
        Kind.CO_MENTION: "MATCH (a:Account)-[:POSTED]->(t:Tweet)-[:MENTIONS]->(m:Account) "
        + _ORIGINAL + " AND m <> a" + where + _RETURN.replace("{target}", "m.userid"),
        Kind.CO_POST: "MATCH (a:Account)-[:POSTED]->(t:Tweet) WHERE true" + where
        + _RETURN.replace("{target}", "''"),
    }


QUERIES: Final = _queries(_BY_TIME)
ACCOUNT_QUERIES: Final = _queries(_BY_ACCOUNT)

COLUMNS: Final = ("account", "target", "time_ms", "tweetid", "time_source")
PAGE_DAYS: Final = 7
DAY_MS: Final = 86_400_000
_WHOLE: Final = 1 << 62  # a page longer than any tweet history: one query
# Index-backed: the first and last tweet time, read from the ends of the created_at index.
_FIRST: Final = ("MATCH (t:Tweet) WHERE t.created_at IS NOT NULL "
                 "RETURN t.created_at.epochMillis AS ms ORDER BY t.created_at ASC LIMIT 1")
_LAST: Final = ("MATCH (t:Tweet) WHERE t.created_at IS NOT NULL "
                "RETURN t.created_at.epochMillis AS ms ORDER BY t.created_at DESC LIMIT 1")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which tweets take part: one dataset, a time range [since, until) in ms, and (for
    re-deriving evidence) a set of accounts."""

    dataset: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    accounts: tuple[str, ...] | None = None

    def params(self, since_ms: int, until_ms: int) -> dict[str, Any]:
        """Query parameters for the page [since_ms, until_ms) of this filter's range."""
        return {"dataset": self.dataset, "since": since_ms, "until": until_ms,
                "accounts": list(self.accounts) if self.accounts is not None else None}


def kind_of(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise BadParameter("kind", f"{value!r} is not one of "
                           f"{', '.join(k.value for k in Kind)}") from None


def read_events(graph: Graph, kind: Kind, where: EventFilter | None = None,
                page_days: int = PAGE_DAYS,
                progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """The events of `kind` as a DataFrame with `COLUMNS` (time_ms int64), read a page of
    `page_days` of tweet time at a time; `progress` is told each page read ('k/n pages')."""
    where = where or EventFilter()
    if where.accounts is None:
        query, page_ms = QUERIES[kind], page_days * DAY_MS
    else:  # a few accounts' tweets: one query, from the accounts
        query, page_ms = ACCOUNT_QUERIES[kind], _WHOLE
    ranges = event_pages(graph, where, page_ms)
    pages = []
    for done, (lo, hi) in enumerate(ranges, 1):
        pages.append(_read_page(graph, query, where.params(lo, hi)))
        if progress is not None:
            progress(f"reading {kind.value} events: {done}/{len(ranges)} pages")
    frame = pd.concat(pages, ignore_index=True) if pages else pd.DataFrame(
        {c: [] for c in COLUMNS})
    frame["time_ms"] = frame["time_ms"].astype(np.int64)
    return frame


def event_pages(graph: Graph, where: EventFilter, page_ms: int) -> list[tuple[int, int]]:
    """Half-open [lo, hi) ranges of `page_ms` covering the filter's range and every tweet
    time in the graph (none when the graph has no timed tweet)."""
    first, last = graph.read(_FIRST), graph.read(_LAST)
    if not first:
        return []
    lo, hi = first[0]["ms"], last[0]["ms"] + 1
    if where.since_ms is not None:
        lo = max(lo, where.since_ms)
    if where.until_ms is not None:
        hi = min(hi, where.until_ms)
    return [(start, min(start + page_ms, hi)) for start in range(lo, hi, page_ms)]


def _read_page(graph: Graph, query: LiteralString, params: dict[str, Any]) -> pd.DataFrame:
    with translate_errors(graph.settings):
        columns = graph.driver.execute_query(
            query, params, database_=graph.database,
            routing_=neo4j.RoutingControl.READ, result_transformer_=_columns)
    return pd.DataFrame(dict(zip(COLUMNS, columns, strict=True)))


def _columns(result: neo4j.Result) -> list[list[Any]]:
    """Rows to columns without a dict per record (300k rows: ~3x faster than `.data()`)."""
    rows = result.values(*COLUMNS)
    return [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in COLUMNS]
