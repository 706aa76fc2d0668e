"""Nothing lost, nothing duplicated: loads repeated, killed, raced and starved of their
server end in exactly the graph of one clean load.

Every check compares a canonical dump (every node's labels and properties, every
relationship by type and the keys of its ends, duplicates kept) rather than counts alone;
the node statistics the loaders keep are also compared with a recount from scratch.
The fault tests that stop servers or kill many processes are `slow` (CI runs them)."""

from __future__ import annotations

import csv
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import empty_database
from helpers import infoops, stale_statistics
from shared_data import fixture

from toolkit.db.connect import Graph
from toolkit.db.schema import apply_schema
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.errors import CannotConnect, ConnectionLost, DatabaseReadOnly
from toolkit.load.loader import load_files
from toolkit.sample import SampleParams, generate
from toolkit.sources.io_archive import USER_COLUMNS

INFOOPS = str(Path(sys.executable).with_name("infoops"))
LOAD_TIMESTAMPS = frozenset(("loaded_at", "written_at"))
DERIVED = ("DetectionRun", "Ring")
DERIVED_RELS = ("COORDINATED", "MEMBER_OF", "FOUND_BY")


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value.iso_format() if hasattr(value, "iso_format") else value


def canonical(graph: Graph, *, source_only: bool = False,
              skip_dataset_props: bool = False) -> dict[str, list[str]]:
    """Every node (labels, properties but load timestamps) and every relationship (type,
    end keys, properties), sorted, duplicates kept. `source_only` leaves out detection
    results; `skip_dataset_props` the Dataset bookkeeping (files, rows) that depends on
    which of two racing loads finished last."""
    nodes = []
    for r in graph.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p"):
        labels = sorted(r["l"])
        if source_only and set(labels) & set(DERIVED):
            continue
        props = {k: _plain(v) for k, v in r["p"].items() if k not in LOAD_TIMESTAMPS}
        if skip_dataset_props and "Dataset" in labels:
            props = {"name": props["name"]}
        nodes.append(repr((labels, sorted(props.items()))))
    rels = []
    for r in graph.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, labels(a) AS la, labels(b) AS lb, "
        "coalesce(a.userid, a.tweetid, a.url, a.name, a.ring_id, a.run_id) AS a, "
        "coalesce(b.userid, b.tweetid, b.url, b.name, b.ring_id, b.run_id) AS b, "
        "properties(r) AS p"
    ):
        if source_only and r["t"] in DERIVED_RELS:
            continue
        props = sorted((k, _plain(v)) for k, v in r["p"].items())
        rels.append(repr((r["t"], sorted(r["la"]), r["a"], sorted(r["lb"]), r["b"], props)))
    return {"nodes": sorted(nodes), "rels": sorted(rels)}


def duplicates(graph: Graph) -> dict[str, int]:
    """Nodes sharing a label and key, and relationships repeating (a)-[type]->(b)."""
    found = {}
    for label, key in (("Account", "userid"), ("Tweet", "tweetid"), ("Hashtag", "name"),
                       ("Url", "url"), ("Domain", "name"), ("Client", "name"),
                       ("Dataset", "name")):
        rows = graph.read("MATCH (n) WHERE $label IN labels(n) WITH n[$key] AS k, count(*) AS c "
                          "WHERE c > 1 RETURN count(*) AS n", label=label, key=key)
        found[label] = rows[0]["n"]
    found["relationships"] = graph.read(
        "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(*) AS c WHERE c > 1 "
        "RETURN count(*) AS n")[0]["n"]
    return found


def node_count(graph: Graph) -> int:
    return int(graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"])


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic IO-archive release: the users file and the first 800 tweets (this
    machine writes ~100 small transactions a second; more rows only cost time)."""
    out = tmp_path_factory.mktemp("sample")
    generate(out, SampleParams(seed=808, accounts=200, days=3))
    (out / "ground_truth.json").unlink()  # not data: keeps the directory load quiet
    tweets = next(out.glob("*_tweets_csv_hashed.csv"))
    with open(tweets, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[:801]
    with open(tweets, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
    return out


# --- idempotency --------------------------------------------------------------------------

FORMATS = {
    "v1": ["dirty_2.json", "original_format_examples.json"],
    "v2": ["entities_test.jsonl", "flat.jsonl", "noflat.jsonl", "users.jsonl"],
}


@pytest.mark.parametrize("fmt", ["io-archive", "v1", "v2"])
def test_each_format_loaded_twice_is_identical(fmt: str, graph: Graph, sample_dir: Path,
                                               tmp_path: Path) -> None:
    """Twice the same input: same nodes, relationships and every property; the second run
    creates nothing. A third load with tiny batches changes nothing either, so batch
    boundaries (where a kill can land) do not matter."""
    paths = [sample_dir] if fmt == "io-archive" else [fixture(n) for n in FORMATS[fmt]]
    rejects = tmp_path / "r.csv"
    first = load_files(graph, paths, dataset=fmt, rejects_path=rejects)
    assert first.tweets > 0 and first.format == fmt
    assert stale_statistics(graph) == []
    once = canonical(graph)
    again = load_files(graph, paths, dataset=fmt, rejects_path=rejects)
    assert canonical(graph) == once
    assert sum(again.nodes.values()) == 0 and sum(again.relationships.values()) == 0
    small = {"io-archive": 83, "v1": 5, "v2": 40}[fmt]
    load_files(graph, paths, dataset=fmt, rejects_path=rejects, batch_rows=small)
    assert canonical(graph) == once
    assert set(duplicates(graph).values()) == {0}
    assert stale_statistics(graph) == []
    assert graph.read("MATCH (d:Dataset) RETURN d.rows AS rows")[0]["rows"] == first.rows


def _rewritten(tweets: Path, out: Path, rows: int, **cells: str) -> Path:
    """The first `rows` tweets of `tweets` again, with `cells` (column -> value) replaced,
    and every retweet turned into an own tweet (is_retweet False)."""
    with open(tweets, encoding="utf-8", newline="") as f:
        header, *body = list(csv.reader(f))[:rows + 1]
    for row in body:
        for column, value in {**cells, "is_retweet": "False"}.items():
            row[header.index(column)] = value
    path = out / f"again_{tweets.name}"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *body])
    return path


def _users_of(tweets: Path, out: Path, rows: int) -> Path:
    """A users file (the release's 10 user columns) listing the authors of the first
    `rows` tweets: loading it labels them Disclosed."""
    with open(tweets, encoding="utf-8", newline="") as f:
        header, *body = list(csv.reader(f))[:rows + 1]
    columns = [header.index(c) for c in USER_COLUMNS]
    path = out / "authors_users_csv_hashed.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([list(USER_COLUMNS), *([r[i] for i in columns] for r in body)])
    return path


def test_statistics_follow_tweets_loaded_again_and_later_disclosure(
        graph: Graph, sample_dir: Path, tmp_path: Path) -> None:
    """The same tweets loaded again in another dataset with a new hashtag, another client
    and retweets turned into own tweets; then a users file, which labels their authors
    Disclosed: after each load every statistic equals a recount from scratch, and the
    counts did move."""
    tweets = next(sample_dir.glob("*_tweets_csv_hashed.csv"))
    load_files(graph, [tweets], dataset="first", rejects_path=tmp_path / "r.csv")
    assert stale_statistics(graph) == []
    before = {r["name"]: r["n"] for r in graph.read(
        "MATCH (c:Client) RETURN c.name AS name, c.tweets AS n")}
    again = _rewritten(tweets, tmp_path, 300, hashtags="[reloaded]",
                       tweet_client_name="Reloader")
    load_files(graph, [again], dataset="second", rejects_path=tmp_path / "r.csv")
    assert stale_statistics(graph) == []
    tag = graph.read("MATCH (h:Hashtag {name: 'reloaded'}) RETURN h.tweets AS n")
    assert tag[0]["n"] == 300
    after = {r["name"]: r["n"] for r in graph.read(
        "MATCH (c:Client) RETURN c.name AS name, c.tweets AS n")}
    assert after.pop("Reloader") == 300 and after == before  # a second client per tweet
    assert graph.read("MATCH (c:Client) RETURN sum(c.disclosed) AS n")[0]["n"] == 0
    load_files(graph, [_users_of(tweets, tmp_path, 50)], dataset="first",
               rejects_path=tmp_path / "r.csv")
    assert stale_statistics(graph) == []
    assert graph.read("MATCH (c:Client) RETURN sum(c.disclosed) AS n")[0]["n"] > 0


def test_a_graph_without_statistics_gets_them_once(graph: Graph, cli_env: dict[str, str],
                                                   sample_dir: Path, tmp_path: Path) -> None:
    """A graph loaded by an infoops without statistics (here: stripped of them and of the
    Datasets' mark): `infoops db init` counts them on every node, once."""
    load_files(graph, [sample_dir], dataset="old", rejects_path=tmp_path / "r.csv")
    graph.write("MATCH (n) WHERE n:Hashtag OR n:Client OR n:Domain OR n:Account OR n:Tweet "
                "REMOVE n.tweets, n.accounts, n.first_used, n.last_used, n.disclosed, n.urls, "
                "n.shortener, n.retweets, n.first_tweet, n.last_tweet, n.links, "
                "n.languages, n.retweeted")
    graph.write("MATCH (d:Dataset) REMOVE d.statistics")
    assert stale_statistics(graph)
    first = infoops("db", "init", env=cli_env)
    assert re.search(r"statistics counted on [\d,]+ nodes", first.stderr), first.stderr
    assert stale_statistics(graph) == []
    again = infoops("db", "init", env=cli_env)
    assert "statistics counted" not in again.stderr


# --- crash and resume ---------------------------------------------------------------------


def _load_args(sample: Path, tmp_path: Path, dataset: str = "crash") -> list[str]:
    return ["load", str(sample), "--dataset", dataset, "--batch-rows", "60",
            "--rejects", str(tmp_path / f"{dataset}.rejects.csv")]


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([INFOOPS, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


MAX_KILL_ROUNDS = 6  # rounds of node-count kills, until four have landed mid-load


def _partial(killed: list[tuple[str, float, int]], total: int) -> list[tuple[str, float, int]]:
    """Kills that left some but not all of the graph's nodes."""
    return [k for k in killed if 0 < k[2] < total]


def _wait_for_nodes(graph: Graph, proc: subprocess.Popen[str], target: int,
                    timeout: float = 300) -> None:
    """Until the graph holds `target` nodes or the process ends."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if node_count(graph) >= target:
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_sigkill_at_many_points_then_rerun_equals_clean_load(
        graph: Graph, cli_env: dict[str, str], sample_dir: Path, tmp_path: Path) -> None:
    """SIGKILL `infoops load` at random delays (also during start-up and schema) and at
    random points of the node count (mid-batch: nodes written, relationships not yet),
    each kill on the resumed run of the one before; the final run completes the graph
    exactly. The Dataset of a killed load has no `rows`: visibly unfinished."""
    args = _load_args(sample_dir, tmp_path)
    started = time.monotonic()
    infoops(*args, env=cli_env)
    took = time.monotonic() - started  # delays scale with this machine's speed
    clean = canonical(graph)
    total = node_count(graph)
    empty_database(graph)

    rng = random.Random(20190819)
    plan: list[tuple[str, float]] = [("delay", rng.uniform(0.1, 0.9) * took)
                                     for _ in range(3)]
    plan += [("nodes", rng.uniform(lo, lo + 0.15))
             for _ in range(MAX_KILL_ROUNDS) for lo in (0.05, 0.25, 0.45, 0.65, 0.8)]
    killed: list[tuple[str, float, int]] = []
    for kind, value in plan:
        if len(killed) >= 6 and len(_partial(killed, total)) >= 4:
            break
        proc = _start(args, cli_env)
        if kind == "delay":
            time.sleep(value)
        else:
            _wait_for_nodes(graph, proc, int(value * total))
            time.sleep(rng.uniform(0, 0.05) * took)  # land anywhere in the batch under way
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            killed.append((kind, value, node_count(graph)))
            if killed[-1][2] == total:  # killed after its last node: start over, so that
                empty_database(graph)   # the next kill can land inside a load again
        else:
            proc.communicate()
            empty_database(graph)  # the load finished first: start over likewise
        assert proc.returncode in (0, -signal.SIGKILL)
    assert len(killed) >= 6 and len(_partial(killed, total)) >= 4, killed
    unfinished = graph.read("MATCH (d:Dataset {name: 'crash'}) RETURN d.rows AS rows")
    assert not unfinished or unfinished[0]["rows"] is None or killed[-1][2] == total

    infoops(*args, env=cli_env)
    assert canonical(graph) == clean
    assert set(duplicates(graph).values()) == {0}
    assert stale_statistics(graph) == []


# --- concurrency --------------------------------------------------------------------------


def _split_overlapping(tweets: Path, out: Path) -> tuple[Path, Path]:
    """Two tweets files sharing the middle third of the rows."""
    with open(tweets, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    third = len(body) // 3
    parts = []
    for name, chunk in (("a", body[:2 * third]), ("b", body[third:])):
        path = out / f"part_{name}_tweets_csv_hashed.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *chunk])
        parts.append(path)
    return parts[0], parts[1]


def test_two_loads_racing_on_overlapping_files_duplicate_nothing(
        graph: Graph, cli_env: dict[str, str], sample_dir: Path, tmp_path: Path) -> None:
    """Both loads MERGE the same accounts, tweets, hashtags and URLs at the same moment:
    the constraints and MERGE keep one of each, and the result is the sequential one."""
    users = next(sample_dir.glob("*_users_csv_hashed.csv"))
    part_a, part_b = _split_overlapping(next(sample_dir.glob("*_tweets_csv_hashed.csv")),
                                        tmp_path)
    procs = [_start(["load", str(users), str(part), "--dataset", "race", "--batch-rows",
                     "150", "--rejects", str(tmp_path / f"{part.name}.rej")], cli_env)
             for part in (part_a, part_b)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert set(duplicates(graph).values()) == {0}, duplicates(graph)
    assert stale_statistics(graph) == []
    raced = canonical(graph, skip_dataset_props=True)
    empty_database(graph)
    for part in (part_a, part_b):
        load_files(graph, [users, part], dataset="race", rejects_path=tmp_path / "r.csv")
    assert canonical(graph, skip_dataset_props=True) == raced


@pytest.mark.slow
def test_detection_during_a_load_neither_fails_nor_corrupts(
        graph: Graph, cli_env: dict[str, str], sample_dir: Path, tmp_path: Path) -> None:
    """`infoops detect co-retweet` runs again and again while a load writes: each run ends
    cleanly and stores exactly what it counted; the loaded data equal a clean load's; and
    two detections after the load agree edge for edge."""
    detect = ["detect", "co-retweet", "--window", "60", "--min-weight", "2", "--null-reps",
              "5", "--seed", "1", "--weighting", "count", "--keep-all"]
    # shared retweets counted from 2 and every edge written: edges on this small sample
    load = _start(["load", str(sample_dir), "--dataset", "busy", "--batch-rows", "100",
                   "--rejects", str(tmp_path / "busy.rejects.csv")], cli_env)
    runs = 0
    while load.poll() is None or runs == 0:
        result = infoops(*detect, env=cli_env, check=False)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        runs += 1
    _, err = load.communicate()
    assert load.returncode == 0, err
    for run in graph.read("MATCH (r:DetectionRun) RETURN r.run_id AS id, r.edges AS edges, "
                          "r.rings AS rings"):
        stored = graph.read("MATCH ()-[c:COORDINATED {run_id: $id}]->() RETURN count(c) AS n",
                            id=run["id"])[0]["n"]
        rings = graph.read("MATCH (g:Ring {run_id: $id}) RETURN count(g) AS n",
                           id=run["id"])[0]["n"]
        assert (stored, rings) == (run["edges"], run["rings"])
    loaded = canonical(graph, source_only=True)

    after = []
    for _ in range(2):
        infoops(*detect, env=cli_env)
        run_id = graph.read("MATCH (r:DetectionRun) RETURN r.run_id AS id "
                            "ORDER BY r.created_at DESC LIMIT 1")[0]["id"]
        after.append(sorted(
            (r["a"], r["b"], r["w"]) for r in graph.read(
                "MATCH (a)-[c:COORDINATED {run_id: $id}]->(b) "
                "RETURN a.userid AS a, b.userid AS b, c.weight AS w", id=run_id)))
    assert after[0] == after[1] and after[0]
    empty_database(graph)
    load_files(graph, [sample_dir], dataset="busy", rejects_path=tmp_path / "r.csv")
    assert canonical(graph, source_only=True) == loaded


# --- server trouble: a throw-away server of this module's own ---------------------------


class _ReadOnlyCapable(LocalServer):
    """A LocalServer whose conf can make the default database read-only at start (Community
    has no ALTER DATABASE ... SET ACCESS READ ONLY; server.databases.read_only is config)."""

    read_only = False

    def _write_conf(self, config: ServerConfig) -> None:
        super()._write_conf(config)
        if self.read_only:
            with open(self.home / "conf" / "neo4j.conf", "a") as conf:
                conf.write("\nserver.databases.read_only=neo4j\n")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[_ReadOnlyCapable, ServerConfig]]:
    server = _ReadOnlyCapable(tmp_path_factory.mktemp("own-neo4j"))
    config = ServerConfig(bolt_port=free_port(), http_port=free_port(), heap="512m",
                          pagecache="128m", tx_memory="300m")
    server.start(config)
    try:
        yield server, config
    finally:
        server.stop()
        assert server.pid() is None


def _own_env(cli_env: dict[str, str], server: LocalServer, config: ServerConfig
             ) -> dict[str, str]:
    return {**cli_env, "NEO4J_URI": config.bolt_uri, "NEO4J_PASSWORD": server.password() or ""}


def _ensure_running(server: LocalServer, config: ServerConfig) -> None:
    """The tests below leave the server down when they are done with it (a start costs
    ~30 s here); the next one starts it if it needs it."""
    if server.pid() is None:
        server.start(config)


def _own_graph(server: LocalServer, config: ServerConfig) -> Graph:
    graph = Graph(Settings(config.bolt_uri, "neo4j", server.password(), "neo4j"))
    graph.wait_online()
    return graph


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines and lines[-1].startswith("error: "), stderr
    assert sum(ln.startswith("error:") for ln in lines) == 1
    return lines[-1]


@pytest.mark.slow
def test_server_stopped_mid_load_then_restarted_rerun_is_exact(
        own_server: tuple[_ReadOnlyCapable, ServerConfig], graph: Graph,
        cli_env: dict[str, str], sample_dir: Path, tmp_path: Path) -> None:
    """The server goes away under a running load: one line, ConnectionLost's exit code;
    after a restart the same command completes the graph of a clean load (the clean
    reference is loaded into the session's server)."""
    server, config = own_server
    _ensure_running(server, config)
    env = _own_env(cli_env, server, config)
    args = _load_args(sample_dir, tmp_path, "stopped")
    infoops(*args, env=cli_env)  # the reference, on the test session's server
    clean = canonical(graph)
    total = node_count(graph)

    with _own_graph(server, config) as own:
        apply_schema(own)
        proc = _start(args, env)
        _wait_for_nodes(own, proc, total // 3)
    assert proc.poll() is None, "the load ended before the server could be stopped"
    server.stop()
    _, err = proc.communicate(timeout=300)
    line = _one_line(err)
    assert proc.returncode == ConnectionLost.exit_code, err
    assert config.bolt_uri in line and "run the command again" in line

    server.start(config)
    with _own_graph(server, config) as own:
        infoops(*args, env=env)
        assert canonical(own) == clean
        assert set(duplicates(own).values()) == {0}


@pytest.mark.slow
def test_connection_lost_mid_query_is_one_line(
        own_server: tuple[_ReadOnlyCapable, ServerConfig], cli_env: dict[str, str],
        tmp_path: Path) -> None:
    """The server is killed (SIGKILL, no goodbye) while `infoops query run` waits on a
    long read: one line, ConnectionLost's exit code, distinct from never connecting."""
    server, config = own_server
    _ensure_running(server, config)
    env = _own_env(cli_env, server, config)
    long = tmp_path / "long.cypher"
    long.write_text("// ---\n// name: long-read\n// title: A long read\n// category: test\n"
                    "// description: counts for a long time\n// ---\n"
                    "UNWIND range(1, 2000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n\n")
    with _own_graph(server, config) as own:
        proc = _start(["query", "run", "--file", str(long)], env)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and not own.read(
                "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery STARTS WITH 'UNWIND "
                "range(1, 2000000000)' RETURN 1"):
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()  # the long read is running now
        pid = server.pid()
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
    server.stop()
    line = _one_line(err)
    assert proc.returncode == ConnectionLost.exit_code, err
    assert "lost the connection" in line
    # Never connected at all is a different code (CannotConnect, tested in test_db).
    assert ConnectionLost.exit_code != CannotConnect.exit_code


@pytest.mark.slow
def test_read_only_database_refuses_a_load_in_one_line(
        own_server: tuple[_ReadOnlyCapable, ServerConfig], cli_env: dict[str, str],
        tmp_path: Path) -> None:
    """A database made read-only by configuration: the load stops at its first write with
    its own exit code, and nothing is written."""
    server, config = own_server
    server.stop()
    server.read_only = True
    try:
        server.start(config)
        env = _own_env(cli_env, server, config)
        data = tmp_path / "t_tweets.csv"
        data.write_text("tweetid,userid,tweet_time\n1134828248637558455,111,2019-06-01 12:00\n")
        with _own_graph(server, config) as own:
            before = canonical(own)
            result = infoops("load", str(data), "--rejects", str(tmp_path / "r.csv"), env=env,
                             check=False)
            line = _one_line(result.stderr)
            assert result.returncode == DatabaseReadOnly.exit_code, result.stderr
            assert "read-only" in line and "'neo4j'" in line
            assert canonical(own) == before
    finally:
        server.stop()
        server.read_only = False
