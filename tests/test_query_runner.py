"""`infoops query run|batch`: every output format read back and counted against an
independent Cypher count, files under --out, chunked streaming, the timeout, and a
scripted investigation run from a TOML file into a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import load_demo
from helpers import infoops
from helpers import infoops_in_process as cli

from toolkit.db.connect import Graph
from toolkit.errors import BadInput, QueryFailed
from toolkit.queries.batch import MANIFEST, plan, run_batch
from toolkit.queries.catalog import load_catalog, parse_file
from toolkit.queries.formats import Format, write_frames
from toolkit.queries.runner import iter_frames, prepare, run
from toolkit.sample import GeneratedSample

CATALOG = load_catalog(use_env=False)
HASHTAG_COLUMNS = ["hashtag", "tweets", "accounts", "tweets_per_account", "first_used",
                   "last_used"]
# Independent of the packaged query: hashtags in at least one original (non-retweet) tweet.
HASHTAGS_USED = ("MATCH (h:Hashtag) WHERE EXISTS { (h)<-[:HAS_HASHTAG]-(t:Tweet)<-[:POSTED]-"
                 "(:Account) WHERE NOT coalesce(t.is_retweet, false) } RETURN count(h) AS n")
PAIRS_COLUMNS = ["userid_1", "screen_name_1", "userid_2", "screen_name_2", "shared",
                 "first_at", "last_at", "examples", "source"]
SLOW = """// ---
// name: slow
// title: Deliberately slow
// category: mine
// description: a cartesian product of two large ranges, 10^10 rows to count
// ---
UNWIND range(1, 100000) AS a
UNWIND range(1, 100000) AS b
RETURN count(*) AS pairs
"""


@pytest.fixture(scope="module")
def demo(graph_session: Graph, demo_sample: GeneratedSample) -> Graph:
    """The demo sample (reused when the previous module left it loaded)."""
    load_demo(graph_session, demo_sample)
    return graph_session


@pytest.fixture(scope="module")
def hashtags_used(demo: Graph) -> int:
    return int(demo.read(HASHTAGS_USED)[0]["n"])



def read_back(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path)
    if fmt == "json":
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    if fmt == "jsonl":
        return pd.read_json(path, lines=True)
    return pd.read_parquet(path)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "parquet"])
def test_formats_to_out_file_read_back_with_pandas(
        demo: Graph, hashtags_used: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], cli_env: dict[str, str], fmt: str) -> None:
    """Every hashtag once, in the query's columns and order, whatever the format."""
    out = tmp_path / "sub" / f"hashtags.{fmt}"
    code, stdout, err = cli(monkeypatch, capsys, cli_env, "query", "run", "top-hashtags",
                            "-p", "limit=100000", "--format", fmt, "--out", str(out))
    assert code == 0, err
    assert stdout == ""
    assert f"top-hashtags: {hashtags_used:,} rows in" in err and str(out) in err
    frame = read_back(out, fmt)
    assert list(frame.columns) == HASHTAG_COLUMNS
    assert len(frame) == hashtags_used
    assert frame["hashtag"].is_unique
    assert list(frame["tweets"]) == sorted(frame["tweets"], reverse=True)
    expected = demo.read("MATCH (h:Hashtag)<-[:HAS_HASHTAG]-(t:Tweet) "
                         "WHERE NOT coalesce(t.is_retweet, false) RETURN count(t) AS n")[0]["n"]
    assert int(frame["tweets"].sum()) == expected


def test_nested_and_temporal_values_survive_parquet_and_json(demo: Graph,
                                                             tmp_path: Path) -> None:
    """Lists stay lists and datetimes stay instants (UTC) in typed formats."""
    query = CATALOG.get("co-retweet-pairs")
    frame = run(demo, query, {"limit": 20})
    assert list(frame.columns) == PAIRS_COLUMNS and len(frame) == 20
    parquet = tmp_path / "pairs.parquet"
    assert write_frames(iter_frames(demo, prepare(query, {"limit": 20})), Format.PARQUET,
                        parquet) == 20
    back = pd.read_parquet(parquet)
    assert list(back["examples"].iloc[0]) == frame["examples"].iloc[0]
    assert back["first_at"].iloc[0] == pd.Timestamp(frame["first_at"].iloc[0])
    assert str(back["first_at"].dt.tz) == "UTC"
    jsonl = tmp_path / "pairs.jsonl"
    write_frames(iter_frames(demo, prepare(query, {"limit": 20})), Format.JSONL, jsonl)
    first = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
    assert first["examples"] == frame["examples"].iloc[0]
    assert first["first_at"] == frame["first_at"].iloc[0].isoformat()


@pytest.mark.parametrize("fmt", [Format.PARQUET, Format.CSV, Format.JSON])
def test_large_results_stream_in_chunks(demo: Graph, hashtags_used: int, tmp_path: Path,
                                        fmt: Format) -> None:
    """Written chunk by chunk (a chunk of 7 rows here), the file holds every row once,
    with one header, as if written at once."""
    prepared = prepare(CATALOG.get("top-hashtags"), {"limit": 100000})
    frames = list(iter_frames(demo, prepared, chunk_rows=7))
    assert len(frames) == -(-hashtags_used // 7) and all(len(f) <= 7 for f in frames)
    out = tmp_path / f"chunked{fmt.suffix}"
    assert write_frames(iter(frames), fmt, out) == hashtags_used
    whole = tmp_path / f"whole{fmt.suffix}"
    write_frames(iter_frames(demo, prepared), fmt, whole)
    back, reference = read_back(out, fmt.value), read_back(whole, fmt.value)
    assert len(back) == hashtags_used
    pd.testing.assert_frame_equal(back, reference)


def test_stdout_formats_and_table(demo: Graph, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str],
                                  cli_env: dict[str, str]) -> None:
    """Data on stdout (pipeable), talk on stderr; parquet needs a file."""
    clients = int(demo.read("MATCH (c:Client) WHERE EXISTS { (c)<-[:POSTED_VIA]-(:Tweet)"
                            "<-[:POSTED]-(:Account) } RETURN count(c) AS n")[0]["n"])
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run", "client-apps",
                         "--format", "jsonl")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == clients and set(rows[0]) == {"client", "tweets", "accounts",
                                                      "pct_of_accounts", "disclosed"}
    assert "client-apps:" in err and "client-apps:" not in out
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run", "client-apps",
                         "--format", "parquet")
    assert code == 2 and "parameter '--out': parquet is binary" in err
    table = tmp_path / "clients.txt"
    code, out, err = cli(monkeypatch, capsys, cli_env, "query", "run", "client-apps",
                         "--out", str(table))
    assert code == 0, err
    text = table.read_text(encoding="utf-8")
    assert "Client apps" in text and f"{clients} rows" in text
    assert "Twitter for Android" in text


def test_timeout_aborts_a_slow_query_with_a_clear_error(demo: Graph, tmp_path: Path
                                                        ) -> None:
    """The server stops the query at the timeout; the error names the query and the
    option, and no transaction of it is left running."""
    path = tmp_path / "slow.cypher"
    path.write_text(SLOW, encoding="utf-8")
    with pytest.raises(QueryFailed) as caught:
        run(demo, parse_file(path), timeout=0.5)
    assert str(caught.value) == (f"query 'slow' ({path}) ran longer than its 0.5 s timeout "
                                 "(raise it with --timeout)")
    assert caught.value.exit_code == 11
    left = demo.read("SHOW TRANSACTIONS YIELD metaData, status "
                     "WHERE metaData.infoops_query = 'slow' RETURN status")
    assert left == []


def test_timeout_exit_code_of_the_real_command(tmp_path: Path, cli_env: dict[str, str]
                                               ) -> None:
    path = tmp_path / "slow.cypher"
    path.write_text(SLOW, encoding="utf-8")
    result = infoops("query", "run", "--file", str(path), "--timeout", "0.5", env=cli_env,
                     check=False)
    assert result.returncode == 11
    assert "ran longer than its 0.5 s timeout (raise it with --timeout)" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


BATCH = """
format = "csv"
timeout = 120

[[query]]
name = "top-hashtags"
params = { limit = 100000 }

[[query]]
name = "co-retweet-pairs"
params = { window_s = 30, min_shared = 4, limit = 25 }
out = "pairs.parquet"

[[query]]
file = "mine/busy.cypher"
params = { min_tweets = 40 }
format = "jsonl"

[[query]]
name = "activity-over-time"
params = { bucket = "week" }
"""
BUSY = """// ---
// name: busy
// title: Busy accounts
// category: mine
// description: accounts with at least min_tweets tweets
// params:
//   min_tweets: {type: int, default: 50, min: 1}
// ---
MATCH (a:Account) WHERE COUNT { (a)-[:POSTED]->() } >= $min_tweets
RETURN a.userid AS userid ORDER BY userid
"""


def test_batch_runs_a_scripted_investigation_into_a_folder(
        demo: Graph, hashtags_used: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], cli_env: dict[str, str]) -> None:
    """One command, one folder: a file per step in its format, and a manifest naming
    query, source, parameters and rows of each."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "busy.cypher").write_text(BUSY, encoding="utf-8")
    spec = tmp_path / "investigation.toml"
    spec.write_text(BATCH, encoding="utf-8")
    results = tmp_path / "results"
    code, _, err = cli(monkeypatch, capsys, cli_env, "query", "batch", str(spec),
                       "--out-dir", str(results))
    assert code == 0, err
    assert sorted(p.name for p in results.iterdir()) == [
        "01-top-hashtags.csv", "03-busy.jsonl", "04-activity-over-time.csv", MANIFEST,
        "pairs.parquet"]
    manifest = json.loads((results / MANIFEST).read_text(encoding="utf-8"))
    steps = manifest["steps"]
    assert [s["query"] for s in steps] == ["top-hashtags", "co-retweet-pairs", "busy",
                                           "activity-over-time"]
    assert steps[1]["params"] == {"window_s": "30", "min_shared": "4",
                                  "max_retweets": "2000", "limit": "25"}
    assert steps[2]["source"] == str(tmp_path / "mine" / "busy.cypher")
    busy = demo.read("MATCH (a:Account) WHERE COUNT { (a)-[:POSTED]->() } >= 40 "
                     "RETURN count(a) AS n")[0]["n"]
    weeks = demo.read("MATCH (t:Tweet) WHERE t.created_at IS NOT NULL RETURN count(DISTINCT "
                      "datetime.truncate('week', t.created_at)) AS n")[0]["n"]
    assert [s["rows"] for s in steps] == [hashtags_used, steps[1]["rows"], busy, weeks]
    assert len(read_back(results / "01-top-hashtags.csv", "csv")) == hashtags_used
    pairs = read_back(results / "pairs.parquet", "parquet")
    assert len(pairs) == steps[1]["rows"] and 0 < len(pairs) <= 25
    assert (pairs["shared"] >= 4).all()
    assert len(read_back(results / "03-busy.jsonl", "jsonl")) == busy
    assert manifest["database"]["uri"] == cli_env["NEO4J_URI"]


def test_batch_checks_every_step_before_running_any(demo: Graph, tmp_path: Path) -> None:
    """A typo or a writing query in the last step fails the batch at once, naming the
    step; no file is written, so no half-finished investigation passes for a whole one."""
    spec = tmp_path / "investigation.toml"
    spec.write_text('[[query]]\nname = "top-hashtags"\n\n[[query]]\nname = "dataset-summary"'
                    '\n\n[[query]]\nname = "co-retweet-pairs"\nparams = { window_s = 0 }\n',
                    encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        plan(spec, CATALOG)
    assert str(caught.value) == (f"{spec}: step 3 (co-retweet-pairs): parameter 'window_s': "
                                 "0 is below the minimum 1")
    spec.write_text('[[query]]\nname = "top-hashtag"\n', encoding="utf-8")
    with pytest.raises(BadInput, match="step 1: parameter 'NAME': no query named "
                       "'top-hashtag'; did you mean top-hashtags"):
        plan(spec, CATALOG)
    spec.write_text('[[query]]\nname = "top-hashtags"\nout = "../escape.csv"\n',
                    encoding="utf-8")
    with pytest.raises(BadInput, match="must be a new file name inside the folder"):
        plan(spec, CATALOG)
    results = tmp_path / "results"
    spec.write_text('[[query]]\nname = "top-hashtags"\n\n[[query]]\nfile = "w.cypher"\n',
                    encoding="utf-8")
    (tmp_path / "w.cypher").write_text("// ---\n// name: w\n// title: W\n// category: c\n"
                                       "// description: d\n// ---\nCREATE (n) RETURN n\n",
                                       encoding="utf-8")
    before = demo.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    with pytest.raises(QueryFailed, match=r"'w' .* is not read-only"):
        run_batch(demo, plan(spec, CATALOG), results)
    assert demo.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == before
    assert not results.exists()
