"""Bulk import (`toolkit.load.bulk`, `infoops load --bulk`) builds the same graph as the
online loader.

The online side loads into the session's test server; the bulk side needs a server it may
stop and replace, so it gets one of its own (`INFOOPS_BULK_TEST_HOME` names an existing
home to reuse, e.g. a developer's running server; otherwise a throw-away one). Both graphs
are dumped whole (labels, every property, every relationship with its ends) and compared.
An import costs ~40 s (stop, neo4j-admin, start, schema), so the module makes two: one
through the CLI shared by the tests that read it, one for duplicates in small batches.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from conftest import empty_database
from helpers import infoops
from release_files import write_truncated_tweets
from rich.console import Console
from shared_data import shared_data_if_present

from toolkit.cli.load import summary_table
from toolkit.db.connect import Graph
from toolkit.db.server import LocalServer, ServerConfig, free_port
from toolkit.db.settings import Settings
from toolkit.errors import BadParameter, ServerControlError
from toolkit.load import bulk, bulk_csv
from toolkit.load.batches import short_id
from toolkit.load.bulk import bulk_load
from toolkit.load.loader import load_files
from toolkit.load.summary import LoadSummary
from toolkit.sample import SampleParams, generate
from toolkit.sources import plan_inputs

RUSSIA = "io-russia-201901-sample/speed_layer_sample.csv"


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Settings,
                ) -> Iterator[tuple[LocalServer, Settings]]:
    """A server the bulk import may stop and overwrite, never the session's."""
    reuse = os.environ.get("INFOOPS_BULK_TEST_HOME")
    server = LocalServer(home=Path(reuse) if reuse else tmp_path_factory.mktemp("bulk-home"))
    config = server.config() if reuse else None
    config = config or ServerConfig(bolt_port=free_port(), http_port=free_port(), heap="1g",
                                    pagecache="512m", tx_memory="700m")
    if neo4j_settings.uri == config.bolt_uri:
        pytest.fail("INFOOPS_BULK_TEST_HOME is the session's server (NEO4J_URI): the bulk "
                    "side would overwrite the online side; give another home")
    started = server.pid() is None
    server.start(config)
    try:
        yield server, Settings(config.bolt_uri, "neo4j", server.password(), "neo4j")
    finally:
        if started:
            server.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("sample")
    made = generate(out, SampleParams(accounts=300, days=5, name="bulkeq"))
    return [made.files["tweets"], made.files["users"]]


def dump(graph: Graph) -> dict[str, Any]:
    """Everything in the graph, comparable across servers: label and type counts, every
    node's labels and properties (repr, so types and time zones count; a Dataset's
    `loaded_at` excepted), every relationship by type and end keys (with multiplicity)."""
    key = "coalesce(a.userid, a.tweetid, a.url, a.name)"
    labels = graph.read("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")
    types = graph.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read("MATCH (a)-[r]->(b) WITH r, " + key + " AS a, "
                      "coalesce(b.userid, b.tweetid, b.url, b.name) AS b "
                      "RETURN type(r) AS t, a, b")
    return {
        "labels": {r["l"]: r["n"] for r in labels},
        "types": {r["t"]: r["n"] for r in types},
        "nodes": Counter(
            (tuple(sorted(r["labels"])),
             tuple(sorted((k, repr(v)) for k, v in r["props"].items() if k != "loaded_at")))
            for r in nodes),
        "rels": Counter((r["t"], r["a"], r["b"]) for r in rels),
    }


def assert_same(online: dict[str, Any], bulk_dump: dict[str, Any]) -> None:
    assert bulk_dump["labels"] == online["labels"]
    assert bulk_dump["types"] == online["types"]
    only_online = list((online["nodes"] - bulk_dump["nodes"]).elements())[:3]
    only_bulk = list((bulk_dump["nodes"] - online["nodes"]).elements())[:3]
    assert only_online == only_bulk == []
    assert bulk_dump["rels"] == online["rels"]


def bulk_env(server: LocalServer, settings: Settings) -> dict[str, str]:
    """`infoops` pointed at the bulk server: its home (for the import) and its URI."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(INFOOPS_NEO4J_HOME=str(server.home), NEO4J_URI=settings.uri,
               NEO4J_PASSWORD=settings.password or "", COLUMNS="200")
    return env


@dataclass
class Loaded:
    online: LoadSummary
    online_graph: dict[str, Any]
    cli: subprocess.CompletedProcess[str]
    reports: list[Path]
    rejected: int  # one truncated last row per release file


@pytest.fixture(scope="module")
def loaded(graph_session: Graph, bulk_server: tuple[LocalServer, Settings],
           sample: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    """A generated campaign plus release files cut off in their last row (quotes of tweets
    not in the file become stubs; the cut row is rejected): one written here and, when
    present, the real Russia IO-archive sample; loaded online, and with `infoops load
    --bulk` (two converter processes) into the bulk server."""
    tmp = tmp_path_factory.mktemp("loaded")
    cut = [write_truncated_tweets(tmp / "generated_012019_tweets_csv_hashed.csv").path]
    real = shared_data_if_present(RUSSIA)
    cut += [real] if real else []
    paths = [*sample, *cut]
    empty_database(graph_session)
    online = load_files(graph_session, paths, dataset="eq", rejects_path=tmp / "online.csv")
    online_graph = dump(graph_session)
    cli = infoops("load", "--bulk", "--force", *map(str, paths), "--dataset", "eq",
                  "--rejects", str(tmp / "bulk.csv"), env=bulk_env(*bulk_server))
    return Loaded(online, online_graph, cli, [tmp / "online.csv", tmp / "bulk.csv"], len(cut))


def table_rows(text: str) -> dict[str, str]:
    """A printed summary table as {row name: count}, without the timing rows."""
    rows = (line.split("│") for line in text.splitlines() if line.count("│") == 3)
    return {cells[1].strip(): cells[2].strip() for cells in rows
            if not cells[1].strip().startswith(("seconds", "rows/s"))}


def test_bulk_import_builds_the_online_graph(loaded: Loaded,
                                             bulk_server: tuple[LocalServer, Settings],
                                             ) -> None:
    with Graph(bulk_server[1]) as bulk_graph:
        assert_same(loaded.online_graph, dump(bulk_graph))
        stubs = bulk_graph.read("MATCH (t:Tweet) WHERE t.text IS NULL RETURN count(t) AS n")
    assert stubs[0]["n"] > 0  # the quoted tweets that are not in the file
    assert loaded.reports[1].read_text() == loaded.reports[0].read_text()


def test_every_account_has_a_caption_online_and_in_bulk(
        loaded: Loaded, bulk_server: tuple[LocalServer, Settings]) -> None:
    """Hashed and unhashed accounts, bare mentions and stub authors all get a non-empty
    caption from both loaders (the graphs are equal, property by property, above): the
    screen name, else the short form of the account's own id."""
    online = [dict(props) for (labels, props), _ in loaded.online_graph["nodes"].items()
              if "Account" in labels]
    assert online and all(ast.literal_eval(p.get("caption", "None")) for p in online)
    with Graph(bulk_server[1]) as bulk_graph:
        rows = bulk_graph.read("MATCH (a:Account) RETURN a.userid AS userid, a.caption AS "
                               "caption, a.screen_name AS screen_name, a.hashed AS hashed")
    assert len(rows) == len(online)
    hashed = [r for r in rows if r["hashed"]]
    assert hashed and all(r["caption"] == short_id(r["userid"]) for r in hashed)
    assert all(r["caption"] == (r["screen_name"] or short_id(r["userid"])) for r in rows)


def test_cli_bulk_summary_is_the_online_summary(loaded: Loaded) -> None:
    """Every count the CLI prints after `--bulk` (rows, rejects, tweets, accounts, nodes and
    relationships created) is the online loader's; the phases are timed."""
    online = Console(file=io.StringIO(), width=200)
    online.print(summary_table(loaded.online))
    printed = table_rows(loaded.cli.stderr)
    assert printed == table_rows(online.file.getvalue())  # type: ignore[attr-defined]
    assert printed["rows rejected"] == str(loaded.rejected)
    assert loaded.cli.stdout == ""
    for phase in ("convert", "import", "schema"):
        assert f"seconds: {phase}" in loaded.cli.stderr
    assert f"{loaded.rejected} rejected rows: {loaded.reports[1]}" in loaded.cli.stderr


def test_cli_bulk_refusals_are_one_line(loaded: Loaded,
                                        bulk_server: tuple[LocalServer, Settings],
                                        sample: list[Path]) -> None:
    """No import happens: a database with data needs --force, a remote URI is refused,
    --force alone means nothing."""
    env = bulk_env(*bulk_server)
    cases = [
        (env, r"already holds [\d,]+ nodes; a bulk import replaces it: pass --force"),
        ({**env, "NEO4J_URI": "neo4j+s://abc123.databases.neo4j.io"},
         r"neo4j\+s://abc123.databases.neo4j.io is not it: load remote servers with "
         "infoops load"),
    ]
    for case_env, message in cases:
        refused = infoops("load", "--bulk", str(sample[0]), env=case_env, check=False)
        assert refused.returncode != 0
        assert refused.stderr.strip().count("\n") == 0, refused.stderr
        assert re.search(message, refused.stderr), refused.stderr
    alone = infoops("load", "--force", str(sample[0]), env=env, check=False)
    assert alone.returncode != 0
    assert alone.stderr == ("error: parameter '--force': only with --bulk (an online load "
                            "never replaces data)\n")


def test_duplicate_tweets_merge_as_online(graph: Graph, bulk_server: tuple[LocalServer,
                                                                            Settings],
                                          sample: list[Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Tweets repeated in a later file, with other counts: two workers would each write
    them, so conversion reruns in one process; small batches send the repeats through
    the online writer after the import. Either way the last value wins, as online."""
    with open(sample[0], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:200]
    likes = header.index("like_count")
    repeats = tmp_path / "repeats_tweets_csv_hashed.csv"
    with open(repeats, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *(replace_cell(r, likes, "777") for r in body)])
    monkeypatch.setattr(bulk, "BATCH_ROWS", 500)
    paths = [sample[0], repeats]
    online = load_files(graph, paths, dataset="eq", rejects_path=tmp_path / "online.csv")
    server, settings = bulk_server
    summary = bulk_load(server, settings, paths, dataset="eq", force=True,
                        rejects_path=tmp_path / "bulk.csv", workers=2).summary
    with Graph(settings) as bulk_graph:
        assert_same(dump(graph), dump(bulk_graph))
        liked = bulk_graph.read("MATCH (t:Tweet {like_count: 777}) RETURN count(t) AS n")
    assert summary.nodes == online.nodes
    assert liked[0]["n"] == len(body)


def replace_cell(row: list[str], index: int, value: str) -> list[str]:
    return [value if i == index else cell for i, cell in enumerate(row)]


def test_bulk_refuses_other_targets(bulk_server: tuple[LocalServer, Settings],
                                    sample: list[Path]) -> None:
    server, settings = bulk_server
    remote = replace(settings, uri="neo4j+s://abc123.databases.neo4j.io")
    with pytest.raises(ServerControlError, match="is not it: load remote servers"):
        bulk_load(server, remote, sample)
    with pytest.raises(BadParameter, match="Community has one database"):
        bulk_load(server, replace(settings, database="other"), sample)
    with Graph(settings) as g:
        g.write("CREATE (:Probe)")
    with pytest.raises(ServerControlError, match=r"already holds .* nodes; .*--force"):
        bulk_load(server, settings, sample)


def csv_lines(out: Path, group: str) -> Counter[str]:
    return Counter(line for f in out.glob(f"{group}-*.csv")
                   for line in f.read_text().split("\n")[:-1])


def test_slices_read_as_the_whole_file(sample: list[Path], tmp_path: Path) -> None:
    """One big file is cut at row boundaries for the converter processes: wherever the cuts
    fall (multi-line and quoted texts, CRLF line ends), the slices give the whole file's
    CSV rows, accounts and rejects (with the file's own line numbers); a slice that starts
    inside a row is flagged, so the loader converts again in one process."""
    with open(sample[0], encoding="utf-8", newline="") as f:
        header, *body = list(csv.reader(f))[:400]
    text = header.index("tweet_text")
    tricky = ['two\nlines "quoted"', "crlf\r\ninside", '"', 'a,b\n\n"c"']
    for i, row in enumerate(body[::2]):
        row[text] = tricky[i % len(tricky)]
    body.insert(200, body[199][:5])  # a short row: rejected with its line number
    path = tmp_path / "tricky_tweets_csv_hashed.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *body])
    [member] = plan_inputs([path])
    size = path.stat().st_size
    starts = [(0, 2), *dict.fromkeys(bulk_csv.row_boundaries(path, [size * k // 7
                                                                     for k in range(1, 7)]))]
    ends = [offset for offset, _ in starts[1:]] + [size]
    slices = [bulk_csv.Slice(member, a, b, line) for (a, line), b in zip(starts, ends,
                                                                        strict=True)]
    assert len(slices) == 7

    for sub in ("whole", "sliced", "inside"):
        (tmp_path / sub).mkdir()
    whole = bulk_csv.convert([member], tmp_path / "whole", 0, "d", 100, False)
    parts = [bulk_csv.convert([s], tmp_path / "sliced", i, "d", 100, False)
             for i, s in enumerate(slices)]
    merged = parts[0]
    for later in parts[1:]:
        merged.merge(later)
    for group in ("tweets", bulk_csv.MULTILINE, "posted", "mentions", "has_hashtag"):
        assert csv_lines(tmp_path / "sliced", group) == csv_lines(tmp_path / "whole", group)
    assert csv_lines(tmp_path / "whole", bulk_csv.MULTILINE)  # the cuts met multi-line rows
    assert [(r.line, r.reason) for r in merged.rejects] == [
        (r.line, r.reason) for r in whole.rejects] == [(whole.rejects[0].line,
                                                         "5 fields, expected 31 as in the "
                                                         "header")]
    assert merged.accounts == whole.accounts and merged.tweetids == whole.tweetids
    assert not merged.edge_rejects

    in_text = path.read_bytes().index(b"two\nlines", starts[3][0]) + 4  # what a cut
    inside = bulk_csv.Slice(member, in_text, size, 0)  # that miscounted quotes would do
    assert bulk_csv.convert([inside], tmp_path / "inside", 0, "d", 100, False).edge_rejects
