"""Packaged queries that read what the loaders and detectors stored instead of counting:
node statistics (whole-graph counts equal to the counts over the one dataset), and the
COORDINATED edges of a matching co-retweet run (candidate pairs, counted again: the same
rows as counting every retweet, said in the `source` column, and only while the run
matches and is newer than every load)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from conftest import load_demo

from toolkit.db.connect import Graph
from toolkit.detect.options import Kind
from toolkit.detect.runs import DetectParams, detect
from toolkit.load.loader import load_files
from toolkit.queries.catalog import load_catalog
from toolkit.queries.runner import run
from toolkit.sample import GeneratedSample

CATALOG = load_catalog(use_env=False)
CO_ACTION = ("co-retweet-pairs", "most-amplified-tweets", "most-amplified-accounts")
COUNTED = "counted from the retweets"
# Detection that counts shared tweets and damps no account, where it can do otherwise.
COUNTING = {k: v for k, v in (("weighting", "count"), ("hyperactive", 0.0))
            if k in {f.name for f in dataclasses.fields(DetectParams)}}


def query(graph: Graph, name: str, **params: object) -> pd.DataFrame:
    return run(graph, CATALOG.get(name), params)


@pytest.fixture
def demo(graph_session: Graph, demo_sample: GeneratedSample) -> Graph:
    load_demo(graph_session, demo_sample)
    graph_session.write("MATCH (r:DetectionRun) DETACH DELETE r")
    graph_session.write("MATCH ()-[c:COORDINATED]->() DELETE c")
    return graph_session


@pytest.mark.parametrize("name", ["top-hashtags", "top-domains"])
def test_statistics_give_the_counted_numbers(demo: Graph, name: str) -> None:
    """Over the whole graph the query reads the loaders' counts; for a dataset it counts.
    The demo graph holds one dataset, so both must be the same table."""
    read = query(demo, name, limit=1000)
    counted = query(demo, name, limit=1000, dataset="demo")
    assert len(read) > 3
    pd.testing.assert_frame_equal(read, counted)


def same_rows(read: pd.DataFrame, counted: pd.DataFrame) -> None:
    """Equal but for `source`; lists collected in no set order (examples) compared as sets."""
    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.drop(columns="source")
        if "examples" in frame:
            frame["examples"] = frame["examples"].map(sorted)
        return frame

    pd.testing.assert_frame_equal(plain(read), plain(counted))


def test_co_action_queries_read_a_matching_run_and_say_so(demo: Graph, tmp_path: Path,
                                                          demo_sample: GeneratedSample) -> None:
    # without the largest cascade, which the run counted (the detector skips none)
    largest = demo.read("MATCH (t:Tweet) RETURN max(t.retweets) AS n")[0]["n"]
    capped = {"max_retweets": largest - 1, "min_shared": 3}
    counted = {name: query(demo, name) for name in CO_ACTION}
    counted_capped = query(demo, "co-retweet-pairs", **capped)
    assert len(counted_capped) > 0
    assert all(set(frame["source"]) == {COUNTED} for frame in counted.values())
    assert len(counted["co-retweet-pairs"]) > 5

    stored = detect(demo, DetectParams(Kind.CO_RETWEET, 60.0, 3, null_reps=0, **COUNTING))
    read = {name: query(demo, name) for name in CO_ACTION}
    source = f"pairs of detection run {stored.run_id}"
    assert all(set(frame["source"]) == {source} for frame in read.values())
    for name in CO_ACTION:
        same_rows(read[name], counted[name])
    same_rows(query(demo, "co-retweet-pairs", **capped), counted_capped)

    # other parameters than the run's: counted
    assert set(query(demo, "co-retweet-pairs", window_s=30)["source"]) == {COUNTED}
    assert set(query(demo, "co-retweet-pairs", min_shared=2)["source"]) == {COUNTED}
    assert set(query(demo, "co-retweet-pairs", min_shared=4)["source"]) == {source}
    detect(demo, DetectParams(Kind.CO_RETWEET, 30.0, 2, dataset="demo", null_reps=0,
                              **COUNTING))
    assert set(query(demo, "co-retweet-pairs", window_s=30)["source"]) == {COUNTED}

    # a load after the run makes it stale
    users = next(demo_sample.out_dir.glob("*_users_csv_hashed.csv"))
    load_files(demo, [users], dataset="later", rejects_path=tmp_path / "r.csv")
    assert all(set(query(demo, name)["source"]) == {COUNTED} for name in CO_ACTION)


def test_co_action_queries_know_every_detection_parameter() -> None:
    """The co-action queries decide from a run whether its edges hold their pairs: window,
    minimum weight, dataset, since and until from its parameters, and that it counted
    shared tweets (weighting), damped no account (hyperactive) and wrote every edge it
    found (keep_p, keep_all and max_ring_size, through the run's edges_left_out). A new
    detection parameter may change what an edge's weight means or which edges are
    written: decide whether those queries must test it, then add it here."""
    known = {"kind", "window_s", "min_weight", "dataset", "since_ms", "until_ms", "rings",
             "min_size", "resolution", "null_reps", "null", "seed", "evidence_cap",
             "max_domain_accounts", "similarity", "ngram", "weighting", "hyperactive", "keep_p",
             "keep_all", "max_ring_size", "stop_hits", "workers"}
    assert {f.name for f in dataclasses.fields(DetectParams)} <= known
