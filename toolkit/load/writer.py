"""Writes batches: managed transactions, at most two at a time, overlapped with parsing.

`execute_query` runs each job in a managed write transaction, which the driver retries on
transient errors (deadlocks, leader switches); every job is an idempotent MERGE, so a retry
or a re-run after an interruption cannot double anything. Batches are written by one
background thread while the caller parses the next batch (at most one batch waits, so
memory stays flat); within a batch, the lanes of a step run on up to `writers` threads.

Before a batch is written, the authors its tweets already have in the graph are read
(`settle_authors`): a row naming another author is taken out of the batch and rejected
(or, with `fail`, stops the load before the batch writes anything), as in-batch duplicates
are by `Batch.add_tweet`; batches are written one after another, so each sees the last.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

import neo4j

from ..db.connect import Graph, translate_errors
from ..sources import Reject, reject_error
from . import cypher
from .batches import Batch, Job, Lane, author_conflict
from .statistics import Touched


class Writer:
    """Writes batches of one dataset; `created` counts nodes, relationships and labels
    created per label or type, from the servers' query counters; `touched` collects the
    statistic nodes the batches may have changed (`toolkit.load.statistics`)."""

    def __init__(self, graph: Graph, dataset: str, writers: int = 2, fail: bool = False):
        self.graph = graph
        self.dataset = dataset
        self.fail = fail  # a row naming another author raises instead of being rejected
        self.created: Counter[str] = Counter()
        self.rejected: list[Reject] = []  # rows refused when their batch was written
        self.touched = Touched()
        self._lock = threading.Lock()
        self._lanes = ThreadPoolExecutor(max(1, writers), thread_name_prefix="infoops-lane")
        self._background = ThreadPoolExecutor(1, thread_name_prefix="infoops-writer")
        self._pending: Future[None] | None = None

    def submit(self, batch: Batch) -> None:
        """Queue `batch`; blocks while an earlier batch is still being written, and raises
        its error if it failed."""
        self.wait()
        self._pending = self._background.submit(self.write, batch)

    def wait(self) -> None:
        """Block until the queued batch is written; re-raise its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def take_rejected(self) -> list[Reject]:
        """The rows refused since the last call (thread-safe)."""
        with self._lock:
            rejected, self.rejected = self.rejected, []
        return rejected

    def write(self, batch: Batch) -> None:
        """Write one batch now, step by step (nodes before relationships)."""
        batch = self.settle_authors(batch)
        for step in batch.steps():
            lanes = [lane for lane in step if lane]
            if len(lanes) == 1:
                self._run_lane(lanes[0])
                continue
            for future in [self._lanes.submit(self._run_lane, lane) for lane in lanes]:
                future.result()
        self.touched.collect(self.graph, batch)

    def settle_authors(self, batch: Batch) -> Batch:
        """`batch` without the rows that name another author than the graph has for their
        tweet (rejected), without claims on tweets that already have an author, and with
        the claims a row overrides marked for removal (`Batch.unpost`)."""
        asked = [*batch.posted, *(t for t in batch.claims if t not in batch.posted)]
        if not asked:
            return batch
        with translate_errors(self.graph.settings):  # on the leader: it has the last batch
            records = self.graph.driver.execute_query(
                cypher.AUTHORS, {"rows": asked}, database_=self.graph.database,
                routing_=neo4j.RoutingControl.WRITE).records
        authors: dict[str, list[str]] = {}
        stubs: set[str] = set()
        for tweetid, author, stub in (r.values() for r in records):
            authors.setdefault(tweetid, []).append(author)
            if stub:
                stubs.add(tweetid)
        refused = {t: known[0] for t, known in authors.items()
                   if t in batch.posted and batch.posted[t] not in known and t not in stubs}
        if refused:
            batch, taken = batch.without(set(refused))
            rejects = [author_conflict(tweet, file, refused[tweet.tweetid])
                       for tweet, file in taken]
            if self.fail:
                raise reject_error(rejects[0])
            with self._lock:
                self.rejected += rejects
        for tweetid, known in authors.items():
            batch.claims.pop(tweetid, None)
            if tweetid in stubs and batch.posted.get(tweetid, known[0]) not in known:
                batch.unpost += [[author, tweetid] for author in known]
        return batch

    def _run_lane(self, lane: Lane) -> None:
        for job in lane:
            self._run(job)

    def _run(self, job: Job) -> None:
        with translate_errors(self.graph.settings):
            summary = self.graph.driver.execute_query(
                job.query, {"rows": job.rows, "dataset": self.dataset},
                database_=self.graph.database, routing_=neo4j.RoutingControl.WRITE,
            ).summary
        counters = summary.counters
        if job.target == "Disclosed":
            made = counters.labels_added
        else:
            made = counters.nodes_created + counters.relationships_created
        with self._lock:
            self.created[job.target] += made

    def close(self) -> None:
        """Stop the threads; a batch still queued is abandoned (used after an error)."""
        self._background.shutdown(wait=True, cancel_futures=True)
        self._lanes.shutdown(wait=True, cancel_futures=True)
