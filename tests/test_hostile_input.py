"""Hostile and broken input through `infoops load`, as a user meets it: every file ends in
either one clear error line naming it (exit 3, nothing written) or a load whose bad rows
are in the rejects report with a reason; never a traceback. Plus properties (hypothesis)
of the parsers: they never raise, and what they return is stable."""

from __future__ import annotations

import csv
import io
import json
import re
import string
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import infoops, infoops_in_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.db.connect import Graph
from toolkit.db.settings import Settings
from toolkit.errors import BadInput, CannotWrite
from toolkit.load.loader import load_files
from toolkit.sources import ReadStats, Reject, Tweet, iter_records, plan_inputs
from toolkit.sources.normalize import (
    id_problem,
    is_valid_id,
    normalize_url,
    parse_archive_time,
    parse_date,
    parse_iso_time,
    parse_list,
    parse_twitter_time,
)

HEADER = "tweetid,userid,tweet_time,tweet_text\n"
GOOD = "1134828248637558455,111,2019-06-01 12:00,hello\n"
GOOD2 = "1134828248637558456,111,2019-06-01 12:00,again\n"
V1 = ('{"id_str": "1134828248637558455", "created_at": "Sat Jun 01 12:00:59 +0000 2019", '
      '"text": "hi", "user": {"id_str": "111", "screen_name": "a"}}\n')
TEN_MB = 10 * 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    """One hostile file: its name, its bytes, and what must come of it: an error (the
    message must contain `says`) or a load with `rejects` rejected rows (reasons must
    contain `says`) and `tweets` tweets with text in the graph."""

    name: str
    data: Callable[[], bytes]
    error: bool
    says: str
    rejects: int = 0
    tweets: int = 0


def _csv(*rows: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


HOSTILE = [
    Hostile("empty.csv", lambda: b"", True, "the file is empty"),
    Hostile("blank.csv", lambda: b"\n  \n\r\n", True, "the file is empty"),
    Hostile("binary.bin", lambda: bytes(range(256)) * 40, True, "binary data, not text"),
    Hostile("utf16_tweets.csv", lambda: (HEADER + GOOD).encode("utf-16"), True, "UTF-16"),
    Hostile("arabic_cp1256.csv", lambda: (HEADER + GOOD.replace("hello", "مرحبا بالعالم" * 9))
            .encode("cp1256"), True, "another encoding than UTF-8"),
    Hostile("semicolon.csv", lambda: (HEADER + GOOD).replace(",", ";").encode(), True,
            "separated by ';'"),
    Hostile("tabs.tsv", lambda: (HEADER + GOOD).replace(",", "\t").encode(), True,
            "separated by '\\t'"),
    Hostile("renamed.csv", lambda: b"tweet_id,user_id,time\n1,2,3\n", True,
            "lack tweetid/userid"),
    Hostile("no_time.csv", lambda: b"tweetid,userid,tweet_text\n1134828248637558455,1,x\n",
            True, "an IO-archive tweets file needs the column 'tweet_time', which its header "
            "lacks"),
    Hostile("twice.csv", lambda: (HEADER.strip() + ",tweetid\n" + GOOD.strip() + ",5\n")
            .encode(), True, "'tweetid' appears more than once"),
    Hostile("extra_columns.csv", lambda: b"tweetid,userid,tweet_time,x_secret,tweet_text\n"
            b"1134828248637558455,111,2019-06-01 12:00,zzz,hello\n", False, "", 0, 1),
    Hostile("only_required.csv", lambda: b"tweetid,userid,tweet_time\n"
            b"1134828248637558455,111,2019-06-01 12:00\n", False, "", 0, 0),
    Hostile("short_row.csv", lambda: (HEADER + "1134828248637558456,111\n" + GOOD).encode(),
            False, "2 fields, expected 4", 1, 1),
    Hostile("bad_utf8_text.csv", lambda: (HEADER + GOOD).encode().replace(b"hello",
            b"caf\xe9 \xff\xfe"), False, "", 0, 1),
    Hostile("bad_utf8_id.csv", lambda: (HEADER + GOOD2).encode() + b"11348282486375584\xff7"
            b",111,2019-06-01 12:00,x\n", False, "neither a numeric id", 1, 1),
    Hostile("bom.csv", lambda: b"\xef\xbb\xbf" + (HEADER + GOOD).encode(), False, "", 0, 1),
    Hostile("ten_mb_field.csv", lambda: _csv(["tweetid", "userid", "tweet_time", "tweet_text"],
            ["1134828248637558455", "111", "2019-06-01 12:00", "x" * TEN_MB]), False, "", 0, 1),
    Hostile("ten_mb_json.jsonl", lambda: V1.replace('"hi"', json.dumps("y" * TEN_MB)).encode(),
            False, "", 0, 1),
    Hostile("nul.csv", lambda: (HEADER + GOOD.replace("hello", "he\x00llo") + GOOD2).encode(),
            False, "NUL byte", 1, 1),
    Hostile("nested.jsonl", lambda: b"[" * 100_000 + b"\n", True, "JSON array"),
    Hostile("nested_page.jsonl", lambda: b'{"data": ' + b"[" * 100_000 + b"\n", True,
            "nested too deeply"),
    Hostile("nested_line2.jsonl", lambda: V1.encode() + b'{"a": ' * 100_000 + b"\n", False,
            "nested too deeply", 1, 1),
    Hostile("truncated_first.jsonl", lambda: V1[:80].encode(), True, "not valid JSON"),
    Hostile("truncated_last.jsonl", lambda: (V1 + V1.replace("455", "456")[:90]).encode(),
            False, "invalid JSON", 1, 1),
    Hostile("not_tweets.jsonl", lambda: b'{"name": "x", "value": 3}\n', True,
            "neither a v1.1 tweet"),
    Hostile("not_objects.jsonl", lambda: (V1 + "42\nnull\n\"text\"\n[1]\n").encode(), False,
            "not a JSON object", 4, 1),
    Hostile("v2_junk_items.jsonl", lambda: b'{"data": [1, {"id": "x"}, {"id": "1134828248637'
            b'558455", "author_id": "111", "text": "ok", "created_at": "2019-06-01T12:00:59Z"}]}'
            b"\n", False, "data[", 2, 1),
    Hostile("excel_mangled.csv", lambda: (HEADER + "1.13483E+18,111,2019-06-01 12:00,x\n"
            "1134828248637558457,111,6/1/2019 12:00,y\n" + GOOD).encode(), False,
            "spreadsheet", 2, 1),
]


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """`infoops ARGS` in this process, through the console script's own entry point (so the
    one-line error and the exit code are the real ones), without a new interpreter per
    case; test_security and test_load run the installed command in a subprocess."""
    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user),
                       ("NEO4J_PASSWORD", neo4j_settings.password or ""),
                       ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)

    def run(*args: str) -> Ran:
        return Ran(*infoops_in_process(monkeypatch, capsys, {}, *args))

    return run


def _reasons(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row["reason"] for row in csv.DictReader(f)]


@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_hostile_file_gives_one_clear_line_or_rejects(case: Hostile, graph: Graph,
                                                      cli: Callable[..., Ran],
                                                      tmp_path: Path) -> None:
    """The promise of the design: one line naming the file, or rejects with reasons."""
    path = tmp_path / case.name
    path.write_bytes(case.data())
    rejects = tmp_path / "rejects.csv"
    result = cli("load", str(path), "--dataset", "hostile", "--rejects", str(rejects))
    assert "Traceback" not in result.stderr and result.stdout == ""
    if case.error:
        assert result.returncode == BadInput.exit_code, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"error: {path}: ") and case.says in result.stderr
        assert graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0  # nothing partial
        assert not rejects.exists()
        return
    assert result.returncode == 0, result.stderr
    reasons = _reasons(rejects) if rejects.exists() else []
    assert len(reasons) == case.rejects
    assert all(case.says in r for r in reasons), reasons
    texts = graph.read("MATCH (t:Tweet) WHERE t.text IS NOT NULL RETURN size(t.text) AS n")
    assert len(texts) == case.tweets
    if "ten_mb" in case.name:
        assert texts[0]["n"] == TEN_MB  # the whole field, not cut
    if case.rejects:
        assert f"{case.rejects} rejected rows: {rejects}" in " ".join(result.stderr.split())


def test_bom_extra_columns_and_bad_bytes_load_exact_values(graph: Graph,
                                                          cli: Callable[..., Ran],
                                                          tmp_path: Path) -> None:
    """BOM stripped from the first column name; extra columns ignored; invalid UTF-8 in text
    becomes U+FFFD and is counted in the summary (nothing changed silently)."""
    bom = tmp_path / "bom_tweets.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + b"tweetid,userid,tweet_time,x_secret,tweet_text\n"
                    b"1134828248637558455,111,2019-06-01 12:00,zzz,caf\xe9\n")
    result = cli("load", str(bom), "--dataset", "b", "--rejects", str(tmp_path / "r.csv"))
    assert result.returncode == 0, result.stderr
    assert "invalid UTF-8 replaced" in result.stderr
    tweet = graph.read("MATCH (t:Tweet) RETURN t")[0]["t"]
    assert tweet["tweetid"] == "1134828248637558455" and tweet["text"] == "caf\ufffd"
    keys = {k for r in graph.read("MATCH (n) RETURN keys(n) AS k") for k in r["k"]}
    assert "x_secret" not in keys and not any(k.startswith("\ufeff") for k in keys)


def test_refused_file_among_good_ones_writes_nothing(graph: Graph, cli_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    """Every input is sniffed before the first write: a bad second file stops the whole
    load, so the good first file is not half-loaded either."""
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD)
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(range(256)) * 10)
    result = infoops("load", str(good), str(bad), "--rejects", str(tmp_path / "r.csv"),
                     env=cli_env, check=False)
    assert result.returncode == BadInput.exit_code and str(bad) in result.stderr
    assert graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


# --- duplicated rows with conflicting values: the rule ----------------------------------


def test_duplicate_rows_rule(graph: Graph, tmp_path: Path) -> None:
    """The documented rule (toolkit/load/batches.py, cypher.py): of conflicting values the
    last row loaded wins for tweets and among users-file rows, and an empty value never
    overwrites. A profile from a users file wins over profiles on tweet rows whatever the
    load order (they only fill what it left empty). Account profiles repeated on tweet rows
    (IO-archive tweets files, v1/v2 embedded users) are read once per file, from the
    author's first row: first wins there. test_load covers tweets within and across
    batches; this pins the rest."""
    users = tmp_path / "x_users_csv_hashed.csv"
    users.write_text("userid,user_screen_name,follower_count,user_reported_location\n"
                     "111,first,10,\n111,second,,\n111,third,30,\n")
    tweets = tmp_path / "x_tweets_csv_hashed.csv"
    tweets.write_text("tweetid,userid,user_screen_name,follower_count,user_reported_location,"
                      "tweet_time,tweet_text\n"
                      "1134828248637558455,222,early,5,,2019-06-01 12:00,a\n"
                      "1134828248637558456,222,late,6,,2019-06-01 12:00,b\n"
                      "1134828248637558457,111,from_tweets,99,Lyon,2019-06-01 12:00,c\n")
    v1 = tmp_path / "dup.jsonl"
    v1_line = V1.replace('"id_str": "111"', '"id_str": "333"').replace("455", "459")
    v1.write_text(v1_line.replace('"text": "hi"', '"text": "one", "favorite_count": 1') +
                  v1_line.replace('"text": "hi"', '"text": "two", "favorite_count": 2')
                  .replace('"screen_name": "a"', '"screen_name": "b"'))
    for batch_rows, calls in ((1, [[users, tweets]]), (1000, [[tweets, users]]),
                              (1000, [[users], [tweets]]), (1, [[tweets], [users]])):
        for files in calls:
            load_files(graph, files, dataset="x", rejects_path=tmp_path / "r.csv",
                       batch_rows=batch_rows)
        load_files(graph, [v1], dataset="v1", rejects_path=tmp_path / "r.csv",
                   batch_rows=batch_rows)
        got = {r["u"]: r for r in graph.read(
            "MATCH (a:Account) RETURN a.userid AS u, a.screen_name AS s, a.followers AS f, "
            "a.location AS l")}
        # users file: last wins, over tweet rows in any order; a gap is filled from them
        assert (got["111"]["s"], got["111"]["f"], got["111"]["l"]) == ("third", 30, "Lyon")
        assert (got["222"]["s"], got["222"]["f"]) == ("early", 5)  # tweet rows: first wins
        assert got["333"]["s"] == "a"  # v1 embedded user: first in the file wins
        tweet = graph.read("MATCH (t:Tweet {tweetid: '1134828248637558459'}) "
                           "RETURN t.text AS text, t.like_count AS likes")[0]
        assert (tweet["text"], tweet["likes"]) == ("two", 2)  # tweets: last wins
        assert not (tmp_path / "r.csv").exists()
        graph.write("MATCH (n) DETACH DELETE n")


def _posted(graph: Graph) -> dict[str, list[str]]:
    rows = graph.read("MATCH (a:Account)-[:POSTED]->(t:Tweet) "
                      "RETURN t.tweetid AS t, collect(a.userid) AS authors")
    return {r["t"]: sorted(r["authors"]) for r in rows}


@pytest.mark.parametrize("batch_rows", [1, 1000])
def test_a_tweet_keeps_the_author_of_its_first_row(graph: Graph, tmp_path: Path,
                                                   batch_rows: int) -> None:
    """The same tweetid from another author, within a file, in a later file of the same
    load or in a later load: rejected with its file, line and a reason naming both
    authors; the tweet keeps one POSTED edge, from its first author. A reference's author
    (the retweeted user) only authors a stub no row describes, and gives way to a row."""
    first = tmp_path / "a_tweets.csv"
    first.write_text(HEADER + GOOD + "1134828248637558455,222,2019-06-01 12:00,other\n"
                     "1134828248637558457,333,2019-06-01 12:00,x\n", encoding="utf-8")
    second = tmp_path / "b_tweets.csv"
    second.write_text("tweetid,userid,tweet_time,tweet_text,is_retweet,retweet_userid,"
                      "retweet_tweetid\n"
                      "1134828248637558458,444,2019-06-01 12:00,RT,true,555,"
                      "1134828248637558459\n"  # claims 555 wrote ...459
                      "1134828248637558459,666,2019-06-01 12:00,the row,false,,\n"
                      "1134828248637558457,444,2019-06-01 12:00,y,false,,\n",
                      encoding="utf-8")
    rejects = tmp_path / "r.csv"
    summary = load_files(graph, [first, second], dataset="d", rejects_path=rejects,
                         batch_rows=batch_rows)
    third = tmp_path / "c_tweets.csv"
    third.write_text(HEADER + "1134828248637558455,777,2019-06-01 12:00,later\n",
                     encoding="utf-8")
    later = load_files(graph, [third], dataset="d", rejects_path=tmp_path / "r2.csv",
                       batch_rows=batch_rows)
    assert _posted(graph) == {"1134828248637558455": ["111"], "1134828248637558457": ["333"],
                              "1134828248637558458": ["444"], "1134828248637558459": ["666"]}
    with open(rejects, encoding="utf-8", newline="") as f:
        got = [(r["file"], r["line"], r["reason"]) for r in csv.DictReader(f)]
    assert got == [
        (str(first), "3", "tweetid 1134828248637558455 was already loaded as posted by userid "
         "111, this row says 222 (the first author seen wins)"),
        (str(second), "4", "tweetid 1134828248637558457 was already loaded as posted by "
         "userid 333, this row says 444 (the first author seen wins)")]
    assert (summary.rejected, summary.tweets, later.rejected, later.tweets) == (2, 4, 1, 0)
    texts = {r["t"]: r["x"] for r in graph.read("MATCH (t:Tweet) RETURN t.tweetid AS t, "
                                                "t.text AS x")}
    assert texts["1134828248637558455"] == "hello" and texts["1134828248637558457"] == "x"
    dataset = graph.read("MATCH (d:Dataset {name: 'd'}) RETURN d.rows AS rows, "
                         "d.rejected AS rejected, d.tweets AS tweets")[0]
    assert dataset == {"rows": 7, "rejected": 3, "tweets": 4}
    with pytest.raises(BadInput, match=f"{re.escape(str(third))}:2: tweetid 1134828248637558455 "
                       "was already loaded as posted by userid 111"):
        load_files(graph, [third], dataset="d", on_error="fail",
                   rejects_path=tmp_path / "r3.csv", batch_rows=batch_rows)


def test_dataset_provenance_adds_up_over_loads(graph: Graph, tmp_path: Path) -> None:
    """`files`, `rows`, `rejected` and `tweets` of a Dataset count every file loaded into
    it, over several loads; loading a file again (or naming it twice) counts it once."""
    one = tmp_path / "one_tweets.csv"
    one.write_text(HEADER + GOOD + "x,1,2019-06-01 12:00,bad\n", encoding="utf-8")
    two = tmp_path / "two_tweets.csv"
    two.write_text(HEADER + GOOD2, encoding="utf-8")
    rejects = tmp_path / "r.csv"

    def provenance() -> dict[str, Any]:
        return graph.read("MATCH (d:Dataset {name: 'p'}) RETURN d.files AS files, "
                          "d.rows AS rows, d.rejected AS rejected, d.tweets AS tweets, "
                          "d.format AS format")[0]

    load_files(graph, [one], dataset="p", rejects_path=rejects)
    assert provenance() == {"files": [str(one)], "rows": 2, "rejected": 1, "tweets": 1,
                            "format": "io-archive"}
    load_files(graph, [two], dataset="p", rejects_path=rejects)
    after_two = provenance()
    assert after_two == {"files": [str(one), str(two)], "rows": 3, "rejected": 1,
                         "tweets": 2, "format": "io-archive"}
    summary = load_files(graph, [two, two, tmp_path / ".." / tmp_path.name / two.name],
                         dataset="p", rejects_path=rejects)
    assert summary.rows == 1 and summary.files == [str(two)]
    assert provenance() == after_two
    # a dataset stamped by an infoops without per-file counts keeps its totals
    graph.write("MERGE (d:Dataset {name: 'old'}) SET d.files = ['x.csv', 'y.csv'], "
                "d.rows = 10, d.rejected = 2, d.tweets = 7, d.format = 'v1'")
    load_files(graph, [two], dataset="old", rejects_path=rejects)
    assert graph.read("MATCH (d:Dataset {name: 'old'}) RETURN d.files AS files, d.rows AS "
                      "rows, d.rejected AS rejected, d.tweets AS tweets, d.format AS f")[0] == {
        "files": ["x.csv", "y.csv", str(two)], "rows": 11, "rejected": 2, "tweets": 8,
        "f": "v1,io-archive"}


def test_ids_with_leading_zeros_meet_their_plain_twin(graph: Graph, tmp_path: Path) -> None:
    """'0111' is the account 111 (canonical decimal ids, as the README says), in every
    column and format; '00' in user_mentions is the archive's "unknown" like '0'."""
    path = tmp_path / "z_tweets.csv"
    path.write_text("tweetid,userid,tweet_time,tweet_text,in_reply_to_userid,"
                    "in_reply_to_tweetid,user_mentions\n"
                    "01134828248637558455,0111,2019-06-01 12:00,a,0222,"
                    "01134828248637558456,\"[0222, 00]\"\n"
                    "1134828248637558456,222,2019-06-01 12:00,b,,,[]\n", encoding="utf-8")
    v1 = tmp_path / "z.jsonl"
    v1.write_text(V1.replace('"111"', '"000111"').replace("1134828248637558455",
                                                           "1134828248637558457"))
    load_files(graph, [path, v1], dataset="z", rejects_path=tmp_path / "r.csv")
    assert sorted(r["u"] for r in graph.read("MATCH (a:Account) RETURN a.userid AS u")) == [
        "111", "222"]
    assert sorted(r["t"] for r in graph.read("MATCH (t:Tweet) RETURN t.tweetid AS t")) == [
        "1134828248637558455", "1134828248637558456", "1134828248637558457"]
    assert graph.read("MATCH (t:Tweet {tweetid: '1134828248637558455'})-[:REPLY_TO]->(o) "
                      "MATCH (t)-[:MENTIONS]->(m) RETURN o.tweetid AS o, "
                      "collect(m.userid) AS m") == [{"o": "1134828248637558456", "m": ["222"]}]


def test_a_failed_load_leaves_no_empty_dataset(graph: Graph, cli: Callable[..., Ran],
                                                tmp_path: Path) -> None:
    """`--on-error fail` at the first row, or a rejects report that cannot be written:
    one line, and no Dataset node (nor anything else) left in the graph."""
    bad = tmp_path / "bad_tweets.csv"
    bad.write_text(HEADER + "x,1,2019-06-01 12:00,bad\n" + GOOD, encoding="utf-8")
    failed = cli("load", str(bad), "--dataset", "f", "--on-error", "fail", "--rejects",
                 str(tmp_path / "r.csv"))
    assert failed.returncode == BadInput.exit_code and failed.stderr.count("\n") == 1
    unwritable = cli("load", str(bad), "--dataset", "f", "--rejects", "/proc/rejects.csv")
    assert unwritable.returncode == CannotWrite.exit_code
    assert unwritable.stderr.startswith("error: cannot write /proc/rejects.csv: ")
    assert unwritable.stderr.count("\n") == 1
    assert graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
    made = cli("load", str(bad), "--dataset", "f", "--rejects",
               str(tmp_path / "new" / "folder" / "r.csv"))
    assert made.returncode == 0 and (tmp_path / "new" / "folder" / "r.csv").is_file()


# --- properties of the parsers ------------------------------------------------------------

_SETTINGS = settings(max_examples=200, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
_URLISH = st.one_of(st.text(max_size=60), st.text(max_size=40).map(lambda s: "http://" + s),
                    st.text(max_size=40).map(lambda s: "HTTPS://Ex.COM/" + s),
                    st.text(max_size=40).map(lambda s: "www." + s))


@_SETTINGS
@given(_URLISH)
def test_normalize_url_never_raises_and_is_idempotent_on_any_text(raw: str) -> None:
    """Found 'HTTP://' raising AttributeError inside ural; now junk is None, and whatever is
    a URL normalizes to a fixed point (so the same URL is one node)."""
    link = normalize_url(raw)
    if link is not None:
        again = normalize_url(link.url)
        assert again is not None and again.url == link.url and again.domain == link.domain


@_SETTINGS
@given(st.text())
def test_parse_list_never_raises_on_any_cell(cell: str) -> None:
    items = parse_list(cell)
    assert isinstance(items, list) and all(isinstance(x, str) for x in items)


@_SETTINGS
@given(st.lists(st.text(alphabet=string.printable, min_size=1), max_size=5))
def test_parse_list_reads_json_lists(items: list[str]) -> None:
    """Some mirrors write list cells as JSON; items without backslashes survive."""
    items = [x for x in items if "\\" not in x and '"' not in x and "'" not in x]
    assert parse_list(json.dumps(items)) == items


@_SETTINGS
@given(st.text())
def test_time_parsers_never_raise_and_give_utc(value: str) -> None:
    for parse in (parse_archive_time, parse_iso_time, parse_twitter_time):
        moment = parse(value)
        assert moment is None or (moment.utcoffset() is not None and not moment.utcoffset())
    parse_date(value)


@_SETTINGS
@given(st.text())
def test_ids_any_text_is_valid_or_has_a_one_line_reason(value: str) -> None:
    """A valid id is safe as a key (no space, quote or control character); otherwise the
    reject reason is one line, whatever the cell held."""
    if is_valid_id(value):
        assert value.isascii() and value.isprintable() and not set(value) & set(" '\"`\\")
    else:
        assert "\n" not in id_problem(value, "tweetid")


_CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
_ROW = st.lists(_CELL, min_size=1, max_size=6)


@_SETTINGS
@given(st.lists(_ROW, max_size=8))
def test_archive_reader_loses_no_row(rows: list[list[str]]) -> None:
    """Whatever the cells, every data row of an IO-archive file comes out as a tweet or a
    reject: rows read = tweets + rejects, and no row raises."""
    _check_no_row_lost(_csv(["tweetid", "userid", "tweet_time", "urls", "hashtags"], *[
        [str(1134828248637558455 + (i << 22)), "111", "2019-06-01 12:00", *r][:5] + r[5:]
        for i, r in enumerate(rows)]), "x_tweets.csv")


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                     lambda kids: st.lists(kids, max_size=3)
                     | st.dictionaries(st.sampled_from(["id", "id_str", "user", "author_id",
                                                        "data", "text", "entities",
                                                        "created_at", "includes", "urls"]),
                                       kids, max_size=4), max_leaves=12)


@_SETTINGS
@given(st.lists(_JSON, max_size=5), st.sampled_from([V1.encode(), b'{"data": []}\n']))
def test_json_readers_lose_no_line(lines: list[object], first: bytes) -> None:
    """Any JSON after a valid first line (v1 tweet or v2 page): no exception, and every
    non-page line is a tweet or a reject."""
    data = first + b"".join(json.dumps(x).encode() + b"\n" for x in lines)
    _check_no_row_lost(data, "x.jsonl", tolerate_extra=True)


def _check_no_row_lost(data: bytes, name: str, tolerate_extra: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        stats = ReadStats()
        records = list(iter_records(plan_inputs([path]), stats))
    tweets = sum(1 for r in records if isinstance(r, Tweet))
    assert sum(1 for r in records if isinstance(r, Reject)) == stats.rejected
    if tolerate_extra:  # embedded and included tweets come on top of the rows' own
        assert stats.rows - stats.rejected <= tweets
    else:
        assert stats.rows == stats.rejected + tweets
