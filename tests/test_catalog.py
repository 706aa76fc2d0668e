"""The packaged catalogue, validated like code: every `.cypher` file parses with a full
header, runs on the demo sample with its defaults, checks its parameters, passes values
only as parameters, and cannot write; docs/queries.md is generated from it."""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import load_demo
from helpers import infoops
from helpers import infoops_in_process as cli

from toolkit.db.connect import Graph
from toolkit.errors import BadInput, BadParameter, QueryFailed
from toolkit.queries.catalog import Catalog, load_catalog, parse_file, parse_query
from toolkit.queries.docs import catalog_markdown
from toolkit.queries.params import ParamType, bind
from toolkit.queries.runner import run
from toolkit.sample import GeneratedSample

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(use_env=False)
NAMES = sorted(CATALOG.queries)
CATEGORIES = {"overview", "amplification", "infrastructure", "accounts", "rings"}
# Queries that rightly return nothing on the demo: they need a second dataset, a
# detection run (or two chosen accounts), or a pattern the generator does not plant.
EMPTY_ON_DEMO = {"connecting-paths", "dataset-links", "detection-runs", "rings-of-run",
                 "identical-descriptions", "ring-graph", "rings-overview"}
COUNT = "MATCH (n) RETURN count(n) AS nodes"


@pytest.fixture(scope="module")
def demo(graph_session: Graph, demo_sample: GeneratedSample) -> Graph:
    """The demo sample, loaded once for this module (queries here only read)."""
    load_demo(graph_session, demo_sample)
    return graph_session


def nodes(graph: Graph) -> int:
    return int(graph.read(COUNT)[0]["nodes"])



# -- the catalogue as data --------------------------------------------------------------

def test_catalogue_covers_the_issue() -> None:
    """The categories and the queries the investigator's day needs are all there."""
    assert set(CATALOG.categories()) == CATEGORIES
    wanted = {"dataset-summary", "activity-over-time", "top-hashtags", "top-domains",
              "client-apps", "languages", "account-creation-histogram", "co-retweet-pairs",
              "most-amplified-accounts", "most-amplified-tweets", "retweet-bursts",
              "reciprocal-rings", "copy-paste-text", "hashtag-flooding",
              "retweet-only-accounts", "rare-client-sharing", "shared-profile-domains",
              "obscure-link-domains", "shortener-use", "creation-bursts", "handle-patterns",
              "identical-descriptions", "repurposed-accounts", "account-profile",
              "account-neighbourhood", "connecting-paths", "dataset-links", "rings-of-run"}
    assert wanted <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_header_is_complete(name: str) -> None:
    """Each query says what it surfaces, how to read it and its known false positives;
    its file sits under its category and every default fits its own limits."""
    query = CATALOG.get(name)
    assert query.source == f"cypher/queries/{query.category}/{name}.cypher"
    assert query.title and query.title[0].isupper() and not query.title.endswith(".")
    assert len(query.description) >= 120
    assert "Known false positives:" in query.description
    assert query.text.lstrip().split()[0] in {"MATCH", "CALL", "WITH", "UNWIND", "RETURN",
                                              "OPTIONAL"}
    for spec in query.params:
        if spec.default is not None:
            assert spec.coerce(spec.default) == spec.default
        if spec.name == "limit":
            assert spec.type is ParamType.INT and spec.min == 1 and spec.max is not None


@pytest.mark.parametrize("header, message", [
    ("// ---\n// name: x\n// title: T\n// category: c\n// description: d\n"
     "// colour: red\n// ---\nRETURN 1", ":6: unknown header key 'colour'"),
    ("// ---\n// name: x\n// title: T\n// category: c\n// description: d\n// ---\n"
     "MATCH (n) WHERE n.a = $a RETURN n", ":7: $a is used but not declared"),
    ("// ---\n// name: x\n// title: T\n// category: c\n// description: d\n// params:\n"
     "//   a: {type: int, default: 1}\n// ---\nRETURN 1", ":7: parameter 'a' is declared "
     "but the query never uses $a"),
    ("// ---\n// name: x\n// title: T\n// category: c\n// description: d\n// params:\n"
     "//   a: {type: int, default: 0, min: 1}\n// ---\nRETURN $a", ":7: default of "
     "parameter 'a': 0 is below the minimum 1"),
    ("// ---\n// name: x\n// title: T\n// category: c\n// ---\nRETURN 1",
     "header key 'description' is missing"),
    ("RETURN 1", ":1: a query file must start with a '// ---' header"),
    ("// ---\n// name: x\n// title: T\n// category: c\n// description: d\n"
     "// result: chart\n// ---\nRETURN 1", ":6: result must be one of table, graph, not "
     "'chart'"),
])
def test_malformed_headers_are_load_errors(header: str, message: str) -> None:
    """Drift in a query file fails loudly, naming the file and line."""
    with pytest.raises(BadInput) as caught:
        parse_query(header, "q.cypher")
    assert message in str(caught.value)
    assert str(caught.value).startswith("q.cypher:")


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    """A user query may not silently shadow a packaged one."""
    (tmp_path / "co-retweet-pairs.cypher").write_text(
        "// ---\n// name: co-retweet-pairs\n// title: Mine\n// category: mine\n"
        "// description: d\n// ---\nRETURN 1\n", encoding="utf-8")
    with pytest.raises(BadInput, match="also used by cypher/queries/amplification/"):
        load_catalog([tmp_path], use_env=False)


# -- every query on the demo sample -----------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_on_the_demo(demo: Graph, name: str) -> None:
    """Run for real (not just EXPLAIN) with the defaults: columns come back, and rows for
    every query that has something to find in the demo."""
    query = CATALOG.get(name)
    frame = run(demo, query)
    assert len(frame.columns) >= 2 and frame.columns.is_unique
    if name in EMPTY_ON_DEMO:
        assert len(frame) == 0
    else:
        assert len(frame) > 0
        limit = next((p.default for p in query.params if p.name == "limit"), None)
        assert limit is None or len(frame) <= limit


def test_connecting_paths_joins_two_accounts_of_one_setup(demo: Graph,
                                                          demo_sample: GeneratedSample
                                                          ) -> None:
    """For two accounts of one setup that never retweet, reply to or mention each other,
    the shortest paths (four hops) include the ones through what their operator set up
    for both: the rare client app and the profile site."""
    truth = json.loads(demo_sample.ground_truth.read_text(encoding="utf-8"))
    op = next(o for o in truth["operations"] if o["kind"] == "shared-infrastructure")
    apart = next((a, b) for a, b in itertools.combinations(op["members"], 2) if not demo.read(
        "MATCH (a:Account {userid: $a}), (b:Account {userid: $b}) "
        "RETURN EXISTS { (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(b) } "
        "OR EXISTS { (b)-[:POSTED]->(:Tweet)-[:MENTIONS]->(a) } AS met", a=a, b=b)[0]["met"])
    frame = run(demo, CATALOG.get("connecting-paths"),
                {"userid_1": apart[0], "userid_2": apart[1], "limit": 1000})
    assert 0 < len(frame) < 1000 and set(frame["hops"]) == {4}
    through = {node for chain in frame["chain"] for node in chain[1:-1]}
    assert {f"Client:{op['client']}", f"Domain:{op['profile_domain']}"} <= through


def test_int_parameters_sent_as_floats_give_the_same_result(demo: Graph) -> None:
    """Browser's `:params {limit: 50}` (the form its own error message suggests) sends
    50.0; every query coerces where a float would fail (LIMIT, slices) or change the
    answer (integer division into time slots), so it returns what the CLI's 50 returns."""
    for query in CATALOG.in_category():
        ints = bind(query.params, {})
        floats = {k: float(v) if query.param(k).type is ParamType.INT and v is not None
                  else v for k, v in ints.items()}
        if not any(isinstance(v, float) and not isinstance(ints[k], float)
                   for k, v in floats.items()):
            continue
        as_cli = demo.driver.execute_query(query.text, ints, routing_="r").records
        as_browser = demo.driver.execute_query(query.text, floats, routing_="r").records
        assert [r.data() for r in as_browser] == [r.data() for r in as_cli], query.name


def test_times_are_whole_seconds(demo: Graph) -> None:
    """What Browser and the CLI print: no nanosecond tails (the graph keeps milliseconds;
    rings-of-run's times and p-values are checked with a ring in test_graph_queries)."""
    for query in CATALOG.in_category():
        for value in (v for row in run(demo, query).itertuples(index=False) for v in row):
            if isinstance(value, datetime):
                assert value.microsecond == 0, query.name


# -- parameters: typed, checked, and values only -----------------------------------------

@pytest.mark.parametrize("args, message", [
    (["co-retweet-pairs", "-p", "window_s=abc"],
     "parameter 'window_s': 'abc' is not a valid int"),
    (["co-retweet-pairs", "-p", "window_s=0"], "parameter 'window_s': 0 is below the "
     "minimum 1"),
    (["co-retweet-pairs", "-p", "limit=100001"], "parameter 'limit': 100001 is above the "
     "maximum 100000"),
    (["activity-over-time", "-p", "bucket=fortnight"], "parameter 'bucket': 'fortnight' is "
     "not one of hour, day, week, month"),
    (["co-retweet-pairs", "-p", "windows=30"], "parameter 'windows': this query has no such "
     "parameter (it takes: window_s, min_shared, max_retweets, limit)"),
    (["co-retweet-pairs", "-p", "window_s"], "expected -p NAME=VALUE"),
    (["co-retweets-pairs"], "no query named 'co-retweets-pairs'; did you mean "
     "co-retweet-pairs"),
])
def test_bad_parameters_exit_2_with_one_clear_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        cli_env: dict[str, str], args: list[str], message: str) -> None:
    """A user's typo names the parameter and the rule, with no traceback, before any
    query reaches the server."""
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run", *args)
    assert code == 2, err
    assert message in " ".join(err.split())
    assert "Traceback" not in err and out == ""
    assert err.startswith("error: parameter")


def test_bad_parameter_exit_code_of_the_real_command(cli_env: dict[str, str]) -> None:
    """The same through the installed console script, as a shell script sees it."""
    result = infoops("query", "run", "co-retweet-pairs", "-p", "window_s=-5", env=cli_env,
                     check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: parameter 'window_s': -5 is below the "
                                     "minimum 1")
    assert result.stdout == ""


def test_parameter_types_in_the_library() -> None:
    """Dates, booleans, lists and floats are parsed and range-checked the same way."""
    spec = CATALOG.get("obscure-link-domains").param("max_pct")
    assert spec.coerce("2.5") == 2.5
    with pytest.raises(BadParameter, match=r"above the maximum 100\.0"):
        spec.coerce("250")
    with pytest.raises(BadParameter, match="not a finite number"):
        spec.coerce("nan")
    common = CATALOG.get("rare-client-sharing").param("common")
    assert common.coerce("A, B") == ["A", "B"]
    assert common.coerce('["x, y", "z"]') == ["x, y", "z"]


INJECTIONS = ["x' }) DETACH DELETE n //", "x\" }) DETACH DELETE n //",
              "') MATCH (n) DETACH DELETE n RETURN 1 AS x //", "` DETACH DELETE n //",
              "$userid } DETACH DELETE n"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_a_parameter_is_just_a_value(demo: Graph, value: str) -> None:
    """A value that would break out of a string if pasted into Cypher is compared as a
    value: nothing matches and nothing is deleted."""
    before = nodes(demo)
    assert len(run(demo, CATALOG.get("account-profile"), {"screen_name": value})) == 0
    assert len(run(demo, CATALOG.get("rare-client-sharing"), {"common": [value]})) > 0
    assert nodes(demo) == before


def test_injection_through_the_cli_changes_nothing(
        demo: Graph, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        cli_env: dict[str, str]) -> None:
    before = nodes(demo)
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run",
                         "account-neighbourhood", "-p", f"userid={INJECTIONS[0]}", "-p",
                         f"screen_name={INJECTIONS[2]}", "--format", "json")
    assert code == 0, err
    assert out.strip() == "[]"
    assert nodes(demo) == before


# -- read-only is proven ----------------------------------------------------------------

WRITES = {
    "create": "CREATE (n:Injected {x: 1}) RETURN n",
    "delete": "MATCH (n:Hashtag) WITH n LIMIT 1 DETACH DELETE n RETURN 1 AS done",
    "set": "MATCH (n:Account) SET n.owned = true RETURN count(n) AS n",
    "merge": "MERGE (n:Injected {x: 1}) RETURN n",
    "remove": "MATCH (n:Account) REMOVE n.screen_name RETURN count(n) AS n",
    "subquery": "MATCH (n:Account) WITH n LIMIT 1 CALL (n) { SET n.x = 1 } RETURN n.userid",
    "apoc": "CALL apoc.create.node(['Injected'], {x: 1}) YIELD node RETURN node",
    "db-procedure": "CALL db.createLabel('Injected')",
    "load-csv-merge": "LOAD CSV FROM 'file:///nope.csv' AS row MERGE (:Injected {x: row[0]})",
    "apoc-doit": "CALL apoc.cypher.doIt('CREATE (n:Injected) RETURN n', {}) YIELD value "
                 "RETURN value",
    "index": "CREATE INDEX injected FOR (n:Account) ON (n.owned)",
    # planned as a read ("r"), but it kills other sessions' work (a load, say)
    "terminate": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
}


@pytest.mark.parametrize("kind", list(WRITES))
def test_writing_file_queries_are_refused(demo: Graph, tmp_path: Path, kind: str) -> None:
    """A --file query that writes is refused by the server's own plan (EXPLAIN), before
    it runs: the node count and the labels stay as they were."""
    before = nodes(demo)
    path = tmp_path / f"{kind}.cypher"
    path.write_text("// ---\n// name: sneaky\n// title: Sneaky\n// category: mine\n"
                    f"// description: writes\n// ---\n{WRITES[kind]}\n", encoding="utf-8")
    with pytest.raises(QueryFailed) as caught:
        run(demo, parse_file(path))
    assert "is not read-only" in str(caught.value)
    assert "packaged and --file queries may only read" in str(caught.value)
    assert nodes(demo) == before
    assert not demo.read("CALL db.labels() YIELD label WHERE label = 'Injected' "
                         "RETURN label")
    assert not demo.read("MATCH (a:Account) WHERE a.owned OR a.x = 1 RETURN a LIMIT 1")


def sneaky(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sneaky.cypher"
    path.write_text("// ---\n// name: sneaky\n// title: Sneaky\n// category: mine\n"
                    f"// description: writes\n// ---\n{text}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("label", ["Account", "Injected"])
def test_a_write_hidden_in_a_read_procedure_is_refused_by_the_read_session(
        demo: Graph, tmp_path: Path, label: str) -> None:
    """`apoc.cypher.run` is a read-mode procedure, so the plan says "r"; the write inside
    it is stopped by the READ transaction itself (the second line of defence)."""
    before = nodes(demo)
    path = sneaky(tmp_path, f"CALL apoc.cypher.run('CREATE (n:{label} {{userid: \"evil\"}}) "
                            "RETURN n', {}) YIELD value RETURN value")
    with pytest.raises(QueryFailed) as caught:
        run(demo, parse_file(path))
    assert str(caught.value).startswith(f"query 'sneaky' ({path}) tried to write in a "
                                        "read-only transaction (")
    assert "overridden by READ" in str(caught.value)
    assert nodes(demo) == before
    assert not demo.read("MATCH (a:Account {userid: 'evil'}) RETURN a")


def test_writing_file_query_exits_7_from_the_cli(demo: Graph, tmp_path: Path,
                                                 cli_env: dict[str, str]) -> None:
    before = nodes(demo)
    path = tmp_path / "q.cypher"
    path.write_text("// ---\n// name: wipe\n// title: Wipe\n// category: mine\n"
                    "// description: deletes everything\n// ---\n"
                    "MATCH (n) DETACH DELETE n\n", encoding="utf-8")
    result = infoops("query", "run", "--file", str(path), env=cli_env, check=False)
    assert result.returncode == 7, result.stderr
    assert (f"error: query 'wipe' ({path}) is not read-only: the server plans it as a "
            "write query") in " ".join(result.stderr.split())
    assert nodes(demo) == before


def test_read_only_file_query_runs_with_typed_params(
        demo: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], cli_env: dict[str, str]) -> None:
    """The user's own query in the packaged format: header params typed and checked."""
    path = tmp_path / "q.cypher"
    path.write_text("// ---\n// name: busy\n// title: Busy accounts\n// category: mine\n"
                    "// description: accounts with many tweets\n// params:\n"
                    "//   min_tweets: {type: int, default: 50, min: 1}\n// ---\n"
                    "MATCH (a:Account) WHERE COUNT { (a)-[:POSTED]->() } >= $min_tweets\n"
                    "RETURN count(a) AS accounts\n", encoding="utf-8")
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run", "--file", str(path),
                         "-p", "min_tweets=40", "--format", "csv")
    assert code == 0, err
    expected = demo.read("MATCH (a:Account) WHERE COUNT { (a)-[:POSTED]->() } >= 40 "
                         "RETURN count(a) AS n")[0]["n"]
    assert out.splitlines() == ["accounts", str(expected)]
    assert "busy: 1 rows in" in err
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run", "--file", str(path),
                         "-p", "min_tweets=0")
    assert code == 2 and "parameter 'min_tweets': 0 is below the minimum 1" in err


# -- listing and showing ----------------------------------------------------------------

def test_queries_list_and_query_show(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str],
                                     cli_env: dict[str, str]) -> None:
    """The investigator's first two commands: what can be asked, and what a query does."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = cli(monkeypatch, capsys, cli_env, "queries", "list", "--category",
                         "infrastructure")
    assert code == 0, err
    listed = [q.name for q in CATALOG.in_category("infrastructure")]
    assert [n for n in re.findall(r"^│ ([a-z-]+) ", out, re.M) if n in NAMES] == listed
    code, out, err = cli(monkeypatch, capsys, cli_env, "queries", "list", "--category",
                         "nonsense")
    assert code == 2 and "'nonsense' is not one of accounts, amplification" in err
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "show", "co-retweet-pairs")
    assert code == 0, err
    query = CATALOG.get("co-retweet-pairs")
    assert out.startswith("co-retweet-pairs  (amplification)\n" + query.title + "\n")
    assert "  window_s: int, default 60, min 1, max 86400 — seconds between the two " \
           "retweets\n" in out
    assert out.endswith(query.text + "\n")


# -- docs cannot drift ------------------------------------------------------------------

def test_docs_queries_md_is_generated_from_the_catalogue() -> None:
    """docs/queries.md is exactly `infoops queries list --format markdown`."""
    generated = catalog_markdown(load_catalog(use_env=False))
    current = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert current == generated, "regenerate: infoops queries list --format markdown " \
                                 "> docs/queries.md"
    for name in NAMES:
        assert f"### {name}\n" in current


def test_user_directory_extends_the_catalogue(tmp_path: Path) -> None:
    """Own queries in a folder join the catalogue (and its docs) under their category."""
    (tmp_path / "mine.cypher").write_text(
        "// ---\n// name: mine\n// title: Mine\n// category: custom\n"
        "// description: d\n// ---\nRETURN 1 AS one\n", encoding="utf-8")
    catalog: Catalog = load_catalog([tmp_path], use_env=False)
    assert catalog.get("mine").source == f"{tmp_path}/mine.cypher"
    assert "custom" in catalog.categories()
    assert "| [`mine`](#mine) | Mine | table | - |" in catalog_markdown(catalog)
