"""Statistics the loaders keep on nodes, so that the packaged queries read a property where
they counted millions of paths (figures in benchmarks/README.md):

| node | properties | counted over |
|---|---|---|
| Hashtag | tweets, accounts, first_used, last_used | own tweets (not retweets) with an author |
| Client | tweets, accounts, disclosed | tweets with an author |
| Domain | tweets, accounts, urls, shortener | (url, tweet) links of tweets with an author |
| Account | tweets, retweets, first_tweet, last_tweet, links, languages | its POSTED tweets |
| Account | retweeted | retweets of its tweets by other accounts |
| Tweet (retweeted ones) | retweets | its RETWEET_OF relationships |

Each is counted as the packaged query that now reads it used to count it, so the query
gives the number it gave before.

Exact by construction: a statistic is never incremented, it is recounted from the graph.
After each batch the loader asks the graph which statistic nodes are linked to the tweets
it wrote or referenced (and to the accounts it labelled Disclosed): those are the nodes the
batch may have changed, whatever the graph held before (a tweet loaded twice, a property a
later load changed, a link another load made). At the end of the load each of them is
recounted. A re-load or a load killed and re-run thus ends with the values a recount from
scratch gives. Concurrent loads: each recount locks its node before it reads (the
`SET n._lock` idiom of Neo4j's concurrency docs, removed in the same transaction), and each
load recounts after its own writes, so the last recount of a node reads every committed
write. The bulk path recounts every node in one pass after the import (`refresh_all`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final, LiteralString

from ..db.connect import Graph
from ..progress import Progress
from .batches import Batch

VERSION: Final = 1
"""Stored as `Dataset.statistics`: a Dataset without it (or with an older number) was
loaded before these statistics existed, and `ensure` recounts the graph once."""
KEYS_PER_RECOUNT: Final = 2_000
"""Nodes recounted in one transaction (a dense node counts all its paths)."""
IDS_PER_LOOKUP: Final = 20_000


@dataclass(frozen=True, slots=True)
class Statistic:
    """The statistics of one label: which of its nodes a batch's tweets touch, every node
    that has them, and how to recount a list of nodes by key."""

    label: LiteralString
    key: LiteralString  # the key property
    reach: tuple[LiteralString, ...]  # paths from a tweet `t` to the nodes `n` it touches
    every: LiteralString  # -> key
    recount: LiteralString  # $keys -> nothing


def _recount(match: LiteralString, counts: LiteralString, sets: LiteralString
             ) -> LiteralString:
    """Lock each node, count its paths in subqueries, set the counts, unlock."""
    return ("UNWIND $keys AS key\n" + match + "\nSET n._lock = true\nWITH n\n" + counts
            + "\nSET " + sets + "\nREMOVE n._lock")


HASHTAG = Statistic(
    "Hashtag", "name",
    ("(t)-[:HAS_HASHTAG]->(n:Hashtag)",),
    "MATCH (n:Hashtag) RETURN n.name AS key",
    _recount("MATCH (n:Hashtag {name: key})", """CALL (n) {
  MATCH (n)<-[:HAS_HASHTAG]-(t:Tweet)<-[:POSTED]-(a:Account)
  WHERE NOT coalesce(t.is_retweet, false)
  RETURN count(t) AS tweets, count(DISTINCT a) AS accounts,
         min(t.created_at) AS first_used, max(t.created_at) AS last_used
}""", "n.tweets = tweets, n.accounts = accounts, n.first_used = first_used, "
          "n.last_used = last_used"),
)
CLIENT = Statistic(
    "Client", "name",
    ("(t)-[:POSTED_VIA]->(n:Client)",),
    "MATCH (n:Client) RETURN n.name AS key",
    _recount("MATCH (n:Client {name: key})", """CALL (n) {
  MATCH (n)<-[:POSTED_VIA]-(t:Tweet)<-[:POSTED]-(a:Account)
  RETURN count(t) AS tweets, count(DISTINCT a) AS accounts,
         count(DISTINCT CASE WHEN a:Disclosed THEN a END) AS disclosed
}""", "n.tweets = tweets, n.accounts = accounts, n.disclosed = disclosed"),
)
DOMAIN = Statistic(
    "Domain", "name",
    ("(t)-[:LINKS_TO]->(:Url)-[:ON_DOMAIN]->(n:Domain)",),
    "MATCH (n:Domain) RETURN n.name AS key",
    _recount("MATCH (n:Domain {name: key})", """CALL (n) {
  MATCH (n)<-[:ON_DOMAIN]-(u:Url)<-[:LINKS_TO]-(t:Tweet)<-[:POSTED]-(a:Account)
  RETURN count(t) AS tweets, count(DISTINCT a) AS accounts, count(DISTINCT u) AS urls,
         count(CASE WHEN u.is_shortener THEN 1 END) > 0 AS shortener
}""", "n.tweets = tweets, n.accounts = accounts, n.urls = urls, n.shortener = shortener"),
)
ACCOUNT = Statistic(
    "Account", "userid",
    # authors of the tweets, and of the tweets they retweet (their `retweeted` changes)
    ("(t)<-[:POSTED]-(n:Account)", "(t)-[:RETWEET_OF]->(:Tweet)<-[:POSTED]-(n:Account)"),
    "MATCH (n:Account) RETURN n.userid AS key",
    _recount("MATCH (n:Account {userid: key})", """CALL (n) {
  MATCH (n)-[:POSTED]->(t:Tweet)
  RETURN count(t) AS tweets, count(CASE WHEN t.is_retweet THEN 1 END) AS retweets,
         min(t.created_at) AS first_tweet, max(t.created_at) AS last_tweet,
         count(CASE WHEN EXISTS { (t)-[:LINKS_TO]->(:Url) } THEN 1 END) AS links
}
CALL (n) {
  MATCH (n)-[:POSTED]->(t:Tweet) WHERE t.language IS NOT NULL
  WITH DISTINCT t.language AS language ORDER BY language
  RETURN collect(language) AS languages
}
CALL (n) {
  MATCH (n)-[:POSTED]->(:Tweet)<-[:RETWEET_OF]-(:Tweet)<-[:POSTED]-(fan:Account)
  WHERE fan <> n
  RETURN count(*) AS retweeted
}""", "n.tweets = tweets, n.retweets = retweets, n.first_tweet = first_tweet, "
          "n.last_tweet = last_tweet, n.links = links, n.languages = languages, "
          "n.retweeted = retweeted"),
)
TWEET = Statistic(
    "Tweet", "tweetid",
    ("(t)-[:RETWEET_OF]->(n:Tweet)",),
    "MATCH ()-[:RETWEET_OF]->(n:Tweet) RETURN DISTINCT n.tweetid AS key",
    _recount("MATCH (n:Tweet {tweetid: key})",
             "WITH n, COUNT { (n)<-[:RETWEET_OF]-() } AS retweets", "n.retweets = retweets"),
)
STATISTICS: Final = (HASHTAG, CLIENT, DOMAIN, ACCOUNT, TWEET)


def _touched(stats: tuple[Statistic, ...]) -> LiteralString:
    """One read for all labels: (label, key) of every node the tweets $ids reach."""
    branches: list[LiteralString] = [
        "  MATCH " + path + " RETURN '" + stat.label + "' AS label, n." + stat.key + " AS key"
        for stat in stats for path in stat.reach]
    return ("UNWIND $ids AS id\nMATCH (t:Tweet {tweetid: id})\nCALL (t) {\n"
            + "\n  UNION\n".join(branches) + "\n}\nRETURN DISTINCT label, key")


TOUCHED: Final = _touched(STATISTICS)

# The Disclosed label counts in Client.disclosed: clients of a newly labelled account.
DISCLOSED_CLIENTS: Final[LiteralString] = (
    "UNWIND $ids AS id MATCH (:Account {userid: id})-[:POSTED]->(:Tweet)-[:POSTED_VIA]->"
    "(n:Client) RETURN DISTINCT n.name AS key")

UNMARKED_DATASETS: Final[LiteralString] = (
    "MATCH (d:Dataset) WHERE coalesce(d.statistics, 0) < $version RETURN count(d) AS n")
MARK_DATASETS: Final[LiteralString] = "MATCH (d:Dataset) SET d.statistics = $version"
STAMP_DATASET: Final[LiteralString] = (
    "MATCH (d:Dataset {name: $name}) SET d.written_at = datetime()")
MARK_DATASET: Final[LiteralString] = (
    "MATCH (d:Dataset {name: $name}) SET d.statistics = $version")


@dataclass
class Touched:
    """The keys of statistic nodes that batches of one load may have changed, by label;
    thread-safe (batches are written by the loader's background thread)."""

    keys: dict[str, set[str]] = field(default_factory=lambda: {s.label: set()
                                                              for s in STATISTICS})
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def collect(self, graph: Graph, batch: Batch) -> None:
        """The nodes the batch names (a node it created needs its zeros too), and those
        the graph links to its tweets and Disclosed accounts (asked after the batch is
        written)."""
        ids = [*batch.tweets, *batch.tweet_keys.difference(batch.tweets)]
        found: dict[str, set[str]] = {
            "Hashtag": set(batch.hashtags), "Client": set(batch.clients),
            "Domain": set(batch.on_domain.values()),
            "Account": batch.account_keys | batch.accounts.keys()
                       | {author for author, _ in batch.unpost},  # lost a claimed tweet
            "Tweet": set()}
        for chunk in _chunks(ids, IDS_PER_LOOKUP):
            for row in graph.read(TOUCHED, ids=chunk):
                found[row["label"]].add(row["key"])
        for chunk in _chunks(sorted(batch.disclosed), IDS_PER_LOOKUP):
            found["Client"].update(r["key"] for r in graph.read(DISCLOSED_CLIENTS, ids=chunk))
        with self._lock:
            for label, keys in found.items():
                self.keys[label] |= keys

    def __len__(self) -> int:
        return sum(len(k) for k in self.keys.values())


def ensure(graph: Graph, progress: Progress | None = None) -> int:
    """Recount every node if a Dataset lacks this version's statistics (one loaded by an
    older infoops, or just bulk-imported), then mark every Dataset. Run by each load
    before it writes and by `infoops db init`; returns the nodes recounted (0: none
    missing)."""
    if not graph.read(UNMARKED_DATASETS, version=VERSION)[0]["n"]:
        return 0
    recounted = refresh_all(graph, progress)
    graph.write(MARK_DATASETS, version=VERSION)
    return recounted


def stamp(graph: Graph, dataset: str) -> None:
    """Note on the Dataset that a load writes now (`written_at`), before it writes and when
    it is done: derived data made before the graph's newest stamp (a detection run that the
    co-action queries would read) may lack what the load wrote."""
    graph.write(STAMP_DATASET, name=dataset)


def mark(graph: Graph, dataset: str) -> None:
    """A Dataset a load has just created: its statistics are kept from the start."""
    graph.write(MARK_DATASET, name=dataset, version=VERSION)


def refresh(graph: Graph, touched: Touched, progress: Progress | None = None) -> int:
    """Recount every touched node; return how many were recounted."""
    return _recount_all(graph, {s.label: sorted(touched.keys[s.label]) for s in STATISTICS},
                        progress)


def refresh_all(graph: Graph, progress: Progress | None = None) -> int:
    """Recount every statistic node of the graph (after a bulk import, or to repair)."""
    keys = {s.label: sorted(r["key"] for r in graph.read(s.every)) for s in STATISTICS}
    return _recount_all(graph, keys, progress)


def _recount_all(graph: Graph, keys: dict[str, list[str]], progress: Progress | None) -> int:
    """Recount in sorted key order (concurrent recounts lock nodes in the same order, so
    they cannot deadlock each other)."""
    total = sum(len(k) for k in keys.values())
    done = 0
    for stat in STATISTICS:
        for chunk in _chunks(keys[stat.label], KEYS_PER_RECOUNT):
            graph.write(stat.recount, keys=chunk)
            done += len(chunk)
            if progress is not None:
                progress.update("statistics", done, total, "nodes")
    return total


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def recount_queries() -> Iterable[tuple[str, LiteralString]]:
    """Every write of this module, by name (the loader's Eager check covers them)."""
    return ((f"RECOUNT_{s.label.upper()}", s.recount) for s in STATISTICS)
