"""The CLI as a careless user (or a script) meets it: outputs that survive a failure,
meaningless numbers and unknown datasets refused before anything runs, unusable paths
and URIs as one line with the documented exit code, Ctrl-C and SIGTERM, quiet driver
notifications, ids never cut at 80 columns, and a local server asked for other ports.
(Hostile files are test_hostile_input's, hostile queries and text test_security's.)"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import RING_ACCOUNTS, infoops, write_hostile_ring
from test_hostile_input import GOOD, HEADER, Ran
from test_hostile_input import cli as in_process_cli

from toolkit.db.connect import Graph
from toolkit.db.server import free_port
from toolkit.errors import (
    BadInput,
    BadParameter,
    CannotConnect,
    CannotWrite,
    QueryFailed,
)

cli = in_process_cli  # the fixture: `infoops ARGS` run in this process
FAILING = ("// ---\n// name: failing\n// title: Fails at run time\n// category: mine\n"
           "// description: divides by zero\n// ---\nUNWIND [1, 0] AS x RETURN 1 / x AS y\n")


PROGRESS_LINE = re.compile(r"^\[[\dhms ]+\] [^\n]*\n", re.MULTILINE)  # LogLines' lines


def _one_line(result: Ran | subprocess.CompletedProcess[str], code: int) -> str:
    """The error's one line (progress lines printed before it, when stderr is a pipe, aside)."""
    assert result.returncode == code, result.stderr
    error = PROGRESS_LINE.sub("", result.stderr)
    assert error.count("\n") == 1 and error.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return error


def test_a_failed_query_leaves_an_existing_out_file_as_it_was(
        graph: Graph, cli: Callable[..., Ran], tmp_path: Path) -> None:
    """The result is written beside --out and renamed over it only when complete: a query
    failing at run time (or timing out) leaves yesterday's file whole, and no temporary
    file behind."""
    query = tmp_path / "failing.cypher"
    query.write_text(FAILING, encoding="utf-8")
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"results.{fmt}"
        out.write_bytes(b"yesterday's results\n")
        _one_line(cli("query", "run", "-f", str(query), "--format", fmt, "--out", str(out)),
                  QueryFailed.exit_code)
        assert out.read_bytes() == b"yesterday's results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "failing.cypher", "results.csv", "results.json", "results.parquet"]


def test_a_batch_step_cannot_overwrite_the_manifest(graph: Graph, cli: Callable[..., Ran],
                                                    tmp_path: Path) -> None:
    spec = tmp_path / "b.toml"
    spec.write_text('[[query]]\nname = "top-hashtags"\nout = "manifest.json"\n',
                    encoding="utf-8")
    error = _one_line(cli("query", "batch", str(spec), "--out-dir", str(tmp_path / "out")),
                      BadInput.exit_code)
    assert "step 1: out 'manifest.json' is the batch's own manifest" in error
    assert not (tmp_path / "out").exists()


MEANINGLESS = [
    (["detect", "co-retweet", "--resolution", "nan"], "resolution", "nan is not a finite"),
    (["detect", "co-retweet", "--resolution", "-1"], "resolution", "below the minimum"),
    (["detect", "co-retweet", "--max-p", "nan"], "max_p", "nan is not a finite"),
    (["detect", "co-retweet", "--window", "nan"], "window", "nan is not a finite"),
    (["detect", "co-retweet", "--window", "inf"], "window", "inf is not a finite"),
    (["detect", "co-retweet", "--seed", "-1"], "seed", "below the minimum 0"),
    (["detect", "co-retweet", "--min-weight", "99999999999999999999"], "min_weight",
     "above the maximum 9223372036854775807"),
    (["query", "run", "co-retweet-pairs", "-p", "min_shared=99999999999999999999999"],
     "min_shared", "above the maximum 9223372036854775807"),
    (["query", "run", "top-hashtags", "--timeout", "inf"], "--timeout", "inf is not a finite"),
    (["query", "run", "top-hashtags", "--timeout", "1e308"], "--timeout",
     "above the maximum 604800.0"),
    (["rings", "list", "--limit", "99999999999999999999"], "limit", "above the maximum"),
    (["report", "--top", "99999999999999999999"], "top", "above the maximum"),
    (["sample", "generate", "--seed", "-1", "--out", "unused"], "seed", "below the minimum"),
]


@pytest.mark.parametrize(("args", "name", "says"), MEANINGLESS,
                         ids=[" ".join(a[:1] + a[-2:]) for a, _, _ in MEANINGLESS])
def test_meaningless_numbers_are_refused_before_anything_runs(
        cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], args: list[str], name: str, says: str) -> None:
    """nan, inf, negative seeds and integers past 64 bits: one line naming the parameter,
    exit 2, before any connection (the URI here points at nothing, which would be exit 4)
    and before any file is written."""
    from helpers import infoops_in_process
    monkeypatch.chdir(tmp_path)
    env = {**cli_env, "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    result = Ran(*infoops_in_process(monkeypatch, capsys, env, *args))
    error = _one_line(result, BadParameter.exit_code)
    assert error.startswith(f"error: parameter '{name}': ") and says in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["inf", '"abc"', "-5"])
def test_meaningless_batch_timeouts_name_their_step(graph: Graph, cli: Callable[..., Ran],
                                                    tmp_path: Path, value: str) -> None:
    """A batch file is an input file: a bad value in it is exit 3, naming file and step,
    like its other mistakes (a bad query parameter there included)."""
    spec = tmp_path / "b.toml"
    spec.write_text(f'[[query]]\nname = "top-hashtags"\ntimeout = {value}\n',
                    encoding="utf-8")
    error = _one_line(cli("query", "batch", str(spec), "--out-dir", str(tmp_path / "o")),
                      BadInput.exit_code)
    assert error.startswith(f"error: {spec}: step 1: parameter 'timeout': ")
    assert not (tmp_path / "o").exists()


def test_unknown_datasets_are_refused_everywhere(graph: Graph, cli: Callable[..., Ran],
                                                 tmp_path: Path) -> None:
    """A typo in --dataset used to give empty results and exit 0, store a detection run
    over nothing or write an empty export: now one line listing the known datasets."""
    good = tmp_path / "known_tweets.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    assert cli("load", str(good), "--dataset", "known", "--rejects",
               str(tmp_path / "r.csv")).returncode == 0
    spec = tmp_path / "b.toml"
    spec.write_text('[[query]]\nname = "top-hashtags"\nparams = { dataset = "nope" }\n',
                    encoding="utf-8")
    for args in (["detect", "co-retweet", "--dataset", "nope"],
                 ["export", "graphml", "--what", "retweets", "--dataset", "nope", "--out",
                  str(tmp_path / "x.graphml")],
                 ["report", "--dataset", "nope", "--out", str(tmp_path / "r.html")],
                 ["query", "run", "top-hashtags", "-p", "dataset=nope"],
                 ["query", "batch", str(spec), "--out-dir", str(tmp_path / "o")]):
        error = _one_line(cli(*args), BadParameter.exit_code)
        assert error == "error: parameter 'dataset': no dataset 'nope' in the database " \
                        "(known: known)\n"
    assert graph.read("MATCH (r:DetectionRun) RETURN count(r) AS n")[0]["n"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.toml", "known_tweets.csv"]


def test_unusable_paths_and_uris_are_one_line(graph: Graph, cli: Callable[..., Ran],
                                              cli_env: dict[str, str],
                                              tmp_path: Path) -> None:
    """Outputs the system refuses (exit 12), a folder given as a file (2), missing folders
    (created), `--window auto` with nothing loaded (2), and URIs with a wrong scheme or
    port (4, naming the schemes that work)."""
    folder = tmp_path / "a_folder"
    folder.mkdir()
    for args in (["query", "run", "top-hashtags", "--format", "csv", "--out", "/proc/x.csv"],
                 ["report", "--out", "/proc/x.html"],
                 ["export", "gexf", "--what", "retweets", "--out", "/proc/x.gexf"],
                 ["browser", "guide", "--out", "/proc/x.html"]):
        assert "/proc/" in _one_line(cli(*args), CannotWrite.exit_code)
    for args in (["query", "run", "top-hashtags", "--out", str(folder)],
                 ["report", "--out", str(folder)],
                 ["export", "gexf", "--what", "retweets", "--out", str(folder)]):
        assert "is a folder: name a file in it" in _one_line(cli(*args),
                                                               BadParameter.exit_code)
    guide = tmp_path / "new" / "deeper" / "guide.html"
    assert cli("browser", "guide", "--out", str(guide)).returncode == 0 and guide.is_file()
    auto = _one_line(cli("detect", "co-retweet", "--window", "auto"), BadParameter.exit_code)
    assert "auto: there are no events to estimate it from" in auto
    scheme, rest = cli_env["NEO4J_URI"].split("://", 1)
    for uri, says in ((f"http://{rest}", "a Neo4j URI is bolt|bolt+s|bolt+ssc|neo4j|neo4j+s|"
                                         "neo4j+ssc://HOST[:PORT]"),
                      (f"{scheme}://127.0.0.1:notaport", "the port must be a number"),
                      (f"{scheme}://127.0.0.1:99999", "the port must be a number")):
        failed = infoops("db", "status", env={**cli_env, "NEO4J_URI": uri}, check=False)
        assert says in _one_line(failed, CannotConnect.exit_code)


def test_ctrl_c_prints_its_line_and_exits_130(cli_env: dict[str, str]) -> None:
    """SIGINT to a running command (typer used to end it silently)."""
    exe = Path(sys.executable).with_name("infoops")
    proc = subprocess.Popen([str(exe), "browser", "serve", "--port", str(free_port())],
                            env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        _wait_for(proc, "Ctrl-C stops.")
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert stderr.splitlines()[-1] == "interrupted" and "Traceback" not in stderr


def test_browser_serve_removes_its_folder_on_sigterm(cli_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("infoops")
    proc = subprocess.Popen([str(exe), "browser", "serve", "--port", str(free_port())],
                            env={**cli_env, "TMPDIR": str(tmp_path)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(proc, "Ctrl-C stops.")
        [served] = tmp_path.glob("infoops-browser-*")
        assert (served / "infoops.grass").is_file()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert list(tmp_path.iterdir()) == []


def _wait_for(proc: subprocess.Popen[str], line: str, timeout: float = 60) -> None:
    """Read the process's stderr until `line` (it is ready), failing after `timeout`."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = proc.stderr.readline()
        if line in got:
            return
        assert got or proc.poll() is None, f"exited {proc.returncode} before {line!r}"
    pytest.fail(f"no {line!r} within {timeout} s")


def test_driver_notifications_are_shown_with_debug_only(graph: Graph,
                                                        cli_env: dict[str, str],
                                                        tmp_path: Path) -> None:
    """A query naming labels and properties the database does not have makes the server
    send warnings, which the driver printed by the dozen: silent by default, shown with
    --debug."""
    query = tmp_path / "q.cypher"
    query.write_text("// ---\n// name: q\n// title: Q\n// category: mine\n"
                     "// description: q\n// ---\nMATCH (x:NoSuchLabel) WHERE x.nothing = 1 "
                     "RETURN count(x) AS n\n", encoding="utf-8")
    quiet = infoops("query", "run", "-f", str(query), "--format", "json", env=cli_env)
    assert json.loads(quiet.stdout) == [{"n": 0}]
    assert "notification" not in quiet.stderr.lower()
    loud = infoops("--debug", "query", "run", "-f", str(query), "--format", "json",
                   env=cli_env)
    assert "Received notification from DBMS server" in loud.stderr
    assert "NoSuchLabel" in loud.stderr


def test_ids_are_never_cut_at_80_columns(graph: Graph, cli_env: dict[str, str],
                                         tmp_path: Path) -> None:
    """`detect`, `rings list`, `rings show --evidence`: every ring id, account id and
    tweet id is printed whole on one line at 80 columns (other columns fold, or the rows
    print as records); wide query results fall back to records too."""
    env = {**cli_env, "COLUMNS": "80"}
    path = write_hostile_ring(tmp_path / "ring_tweets.csv")
    infoops("load", str(path), "--dataset", "ring", "--rejects", str(tmp_path / "r.csv"),
            env=env)
    detected = infoops("detect", "co-retweet", "--window", "60", "--min-weight", "3",
                       "--null-reps", "0", "--weighting", "count", "--keep-all", env=env)
    ring = graph.read("MATCH (g:Ring) RETURN g.ring_id AS id")[0]["id"]
    listed = infoops("rings", "list", env=env)
    shown = infoops("rings", "show", ring, "--evidence", env=env)
    tweets = [r["t"] for r in graph.read("MATCH (:Account)-[:POSTED]->(t:Tweet) "
                                         "WHERE t.is_retweet RETURN t.tweetid AS t")]
    wide = tmp_path / "wide.cypher"
    wide.write_text("// ---\n// name: wide\n// title: Wide\n// category: mine\n"
                    "// description: w\n// ---\nMATCH (a:Account)-[:POSTED]->(t:Tweet) "
                    "WHERE t.is_retweet RETURN a.userid AS userid, t.tweetid AS tweetid, "
                    "t.text AS text, a.screen_name AS screen_name, t.created_at AS at\n",
                    encoding="utf-8")
    records = infoops("query", "run", "-f", str(wide), env=env)
    for result in (detected, listed, shown, records):
        assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    for result, ids in ((detected, [ring]), (listed, [ring]),
                        (shown, [ring, *RING_ACCOUNTS, *tweets]),
                        (records, [*RING_ACCOUNTS, *tweets])):
        for identifier in ids:
            assert re.search(rf"(^|[\s│(]){re.escape(identifier)}($|[\s│)])", result.stdout,
                             re.MULTILINE), (identifier, result.stdout)
    assert "-[ record 1 ]" in records.stdout
