"""Nothing let in, nothing let out: dataset and file names carrying Cypher or HTML are
stored as plain values and never run; the Cypher the toolkit builds at run time is listed
here and built from closed lists only; the password never shows in any output.

(Parameters and user query files that try to write are test_catalog's; the password
file's 0600 mode is test_db's.)"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import infoops
from shared_data import fixture
from test_hostile_input import Ran
from test_hostile_input import cli as in_process_cli

from toolkit.db.connect import Graph
from toolkit.db.settings import Settings
from toolkit.detect.events import QUERIES, Kind
from toolkit.errors import AuthFailed

cli = in_process_cli  # the fixture: `infoops ARGS` run in this process
TOOLKIT = Path(__file__).resolve().parent.parent / "toolkit"
NAMES = [
    'x"}) DETACH DELETE n //',
    "x'}) DETACH DELETE n //",
    "`x` MATCH (n) DETACH DELETE n",
    "$name } SET n.owned = true //",
    "<script>alert(1)</script>",
    "ünï 中文 \\ \\' \\u0027",
]


def _canary(graph: Graph) -> int:
    """Nodes of a dataset loaded first, which any injected DELETE or SET would touch."""
    return int(graph.read("MATCH (n) WHERE n.owned IS NULL RETURN count(n) AS n")[0]["n"])


@pytest.fixture
def canary(graph: Graph, cli: Callable[..., Ran], tmp_path: Path) -> int:
    loaded = cli("load", str(fixture("dirty_2.json")), "--dataset", "canary", "--rejects",
                 str(tmp_path / "canary.csv"))
    assert loaded.returncode == 0, loaded.stderr
    return _canary(graph)


def test_hostile_dataset_and_file_names_are_stored_literally(
        graph: Graph, canary: int, cli: Callable[..., Ran], tmp_path: Path) -> None:
    """Each name loads as a dataset of its own, named exactly so, with its file's path
    (quotes, backticks and all) in `files`; nothing else in the graph changes."""
    added = 0
    for number, name in enumerate(NAMES):
        folder = tmp_path / f"d{number}"
        folder.mkdir()
        path = folder / (name.replace("/", "_") + "_tweets.csv")
        path.write_text("tweetid,userid,tweet_time,tweet_text\n"
                        f"{1134828248637558455 + (number << 22)},9{number},2019-06-01 12:00,"
                        "hi\n", encoding="utf-8")
        loaded = cli("load", str(path), "--dataset", name, "--rejects",
                     str(tmp_path / f"r{number}.csv"))
        assert loaded.returncode == 0, loaded.stderr
        got = graph.read("MATCH (d:Dataset {name: $name})<-[:IN_DATASET]-(a:Account)-[:POSTED]->"
                         "(t:Tweet {dataset: $name}) RETURN d.files AS files, a.userid AS a",
                         name=name)
        assert got == [{"files": [str(path)], "a": f"9{number}"}]
        added += 3  # dataset, account, tweet
    assert _canary(graph) == canary + added
    names = {r["n"] for r in graph.read("MATCH (d:Dataset) RETURN d.name AS n")}
    assert names == {"canary", *NAMES}


def test_hostile_dataset_in_report_query_and_export_is_only_a_value(
        graph: Graph, canary: int, cli: Callable[..., Ran], tmp_path: Path) -> None:
    """`--dataset` / `-p dataset=` values reach Cypher as parameters (matching nothing)
    and the HTML report escapes them; the graph is untouched."""
    for number, name in enumerate(NAMES):
        result = cli("query", "run", "top-hashtags", "-p", f"dataset={name}", "--format",
                     "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == []
        report = tmp_path / f"report{number}.html"
        done = cli("report", "--dataset", name, "--out", str(report))
        if done.returncode == 0:
            assert "<script>alert(1)</script>" not in report.read_text(encoding="utf-8")
        else:  # an unknown dataset may be refused, in one line
            assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
        out = tmp_path / f"retweets{number}.graphml"
        exported = cli("export", "graphml", "--what", "retweets", "--dataset", name, "--out",
                       str(out))
        assert exported.returncode == 0, exported.stderr
    assert _canary(graph) == canary


def test_report_escapes_a_hostile_dataset_that_exists(
        graph: Graph, cli_env: dict[str, str], tmp_path: Path) -> None:
    """A dataset really named like a script tag shows as text in the report."""
    name = "<script>alert(1)</script>"
    infoops("load", str(fixture("dirty_2.json")), "--dataset", name, "--rejects",
            str(tmp_path / "r.csv"), env=cli_env)
    report = tmp_path / "report.html"
    infoops("report", "--dataset", name, "--out", str(report), env=cli_env)
    html = report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert name not in html


# --- dynamic Cypher: every place it is assembled, and where its parts come from ---------

# Modules allowed to assemble query text at run time, and why each is safe.
ASSEMBLED = {
    "detect/events.py": "QUERIES: module constants joined at import, one per Kind (enum)",
    "load/plans.py": "'EXPLAIN ' + a toolkit.load.cypher constant",
    "queries/runner.py": "'EXPLAIN ' + catalog text, validated by queries/catalog.py",
}
# The only places text becomes `LiteralString` by cast.
CASTS = {"queries/catalog.py", "db/schema.py"}
_CYPHER = re.compile(r"\b(MATCH|MERGE|CREATE|DELETE|SET|REMOVE|RETURN|UNWIND|CALL|EXPLAIN|"
                     r"WITH|WHERE|LOAD CSV|FOREACH)\b")


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(TOOLKIT)), ast.parse(p.read_text(encoding="utf-8")))
            for p in sorted(TOOLKIT.rglob("*.py"))]


def _cypher_constant(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and _CYPHER.search(node.value) is not None and node.value.strip() != "")


def test_no_fstring_or_format_builds_cypher() -> None:
    """Values go in as $parameters: no f-string, %-format or .format() holds Cypher."""
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and any(
                    _cypher_constant(v) and re.search(r"\b(MATCH|MERGE|UNWIND|RETURN)\b",
                                                      v.value)  # type: ignore[attr-defined]
                    for v in node.values):
                found.append(f"{name}:{node.lineno} f-string")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "format" and _cypher_constant(node.func.value)):
                found.append(f"{name}:{node.lineno} .format")
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
                    and _cypher_constant(node.left)):
                found.append(f"{name}:{node.lineno} %")
    assert found == []


def test_cypher_assembled_at_run_time_only_where_listed() -> None:
    """`+` or `.replace()` on Cypher text, and casts to LiteralString, happen only in the
    listed modules: adding one elsewhere fails here until it is reviewed and listed."""
    assembled, casts = set(), set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (
                    _cypher_constant(node.left) or _cypher_constant(node.right)):
                assembled.add(name)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "replace" and _cypher_constant(node.func.value)):
                assembled.add(name)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "cast" and node.args
                    and "LiteralString" in ast.unparse(node.args[0])):
                casts.add(name)
    assert assembled <= set(ASSEMBLED), assembled - set(ASSEMBLED)
    assert casts <= CASTS, casts - CASTS


def test_detection_queries_come_from_the_closed_kind_list() -> None:
    """One query per Kind and nothing else; none has a slot left to fill at run time."""
    assert set(QUERIES) == set(Kind)
    for kind, text in QUERIES.items():
        assert "{" not in text.replace("{epochMillis", "").replace("COUNT {", ""), kind
        assert "$dataset" in text and "$accounts" in text


def test_no_dynamic_labels_types_or_property_keys() -> None:
    """Labels, relationship types and property keys are written out in every query the
    toolkit ships (no `$(...)` dynamic labels, no apoc.create.* or n[$key] writes)."""
    dynamic = re.compile(r":\s*\$\(|apoc\.create\.|apoc\.merge\.|\w\[\$\w+\]\s*=")
    texts = [(str(p), p.read_text(encoding="utf-8"))
             for p in [*TOOLKIT.rglob("*.py"), *TOOLKIT.parent.joinpath("cypher").rglob("*")]
             if p.is_file() and p.suffix in (".py", ".cypher")]
    assert [name for name, text in texts if dynamic.search(text)] == []


# --- secrets --------------------------------------------------------------------------------


def test_password_never_appears_in_any_output(graph: Graph, neo4j_settings: Settings,
                                              cli: Callable[..., Ran], cli_env: dict[str, str],
                                              tmp_path: Path) -> None:
    """Every command, plain and with --debug, and the wrong-password error (with its
    traceback): the password is in no stream and no file written."""
    password = neo4j_settings.password or ""
    assert len(password) >= 6
    bad = tmp_path / "bad_tweets.csv"
    bad.write_text("tweetid,userid,tweet_time\n1134828248637558455,111,2019-06-01 12:00\n"
                   "x,111,2019-06-01 12:00\n")
    out = tmp_path / "out"
    out.mkdir()
    steps = [
        ["db", "status"],
        ["load", str(fixture("flat.jsonl")), str(bad), "--dataset", "s",
         "--rejects", str(out / "rejects.csv")],
        ["query", "run", "top-hashtags", "--format", "csv", "--out", str(out / "q.csv")],
        ["detect", "co-retweet", "--window", "60", "--null-reps", "5"],
        ["report", "--out", str(out / "report.html")],
        ["export", "gexf", "--what", "coordination", "--out", str(out / "c.gexf")],
        ["export", "graphml", "--what", "retweets", "--out", str(out / "r.graphml")],
    ]
    streams = []
    for step in steps:  # in this process: quick, same streams
        result = cli(*step)
        assert result.returncode == 0, result.stderr
        streams += [result.stdout, result.stderr]
    for step in steps:  # --debug as a real process: tracebacks and all
        result = infoops("--debug", *step, env=cli_env)
        streams += [result.stdout, result.stderr]
    for debug in ([], ["--debug"]):
        wrong = infoops(*debug, "query", "run", "top-hashtags",
                        env={**cli_env, "NEO4J_PASSWORD": password[::-1]}, check=False)
        assert wrong.returncode == (1 if debug else AuthFailed.exit_code)
        streams += [wrong.stdout, wrong.stderr]
    assert "Traceback" in streams[-1]  # --debug really showed the wrong-password traceback
    written = [p.read_text(encoding="utf-8", errors="replace") for p in out.iterdir()]
    assert {p.name for p in out.iterdir()} >= {"rejects.csv", "q.csv", "report.html",
                                               "c.gexf", "r.graphml"}
    for text in streams + written:
        assert password not in text
        assert password[::-1] not in text
