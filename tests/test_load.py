"""The loader against a real Neo4j: exact counts from the real files (computed here from the
raw bytes, not through the readers), idempotence, datasets side by side, rejects, the CLI."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import infoops
from release_files import TruncatedRelease
from shared_data import fixture

from toolkit.db.connect import Graph
from toolkit.errors import BadInput
from toolkit.load.loader import default_dataset, load_files
from toolkit.load.plans import eager_queries
from toolkit.sources.records import Account, Tweet


def count(graph: Graph, pattern: str) -> int:
    """Rows matching a fixed test pattern (test code, not user input)."""
    return int(graph.read(f"MATCH {pattern} RETURN count(*) AS n")[0]["n"])  # type: ignore[arg-type]


def snapshot(graph: Graph) -> dict[str, Any]:
    """Every node's labels and properties and every relationship, for equality checks."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = graph.read("MATCH (a)-[r]->(b) RETURN type(r) AS t, elementId(a) AS a, "
                      "elementId(b) AS b")
    keyed = sorted(repr(sorted(r["l"])) + repr(sorted(
        (k, v) for k, v in r["p"].items() if k != "written_at"))  # the last load's time
        for r in nodes)
    return {"nodes": keyed, "rels": len(rels),
            "types": sorted({r["t"] for r in rels})}


def hashtag_key(tag: str) -> str:
    tag = tag.strip().lstrip("#＃").strip()
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", tag).casefold())


def archive_list(cell: str) -> list[str]:
    inner = cell.strip().strip("[]").strip()
    return [x.strip().strip("'\"") for x in inner.split(",") if x.strip()] if inner else []


def test_default_dataset_name() -> None:
    assert default_dataset(Path("china_082019_1_users_csv_hashed.csv")) == "china_082019_1"
    assert default_dataset(Path("x/china_082019_1_tweets_csv_hashed.csv.gz")) == "china_082019_1"
    assert default_dataset(Path("brexit.jsonl")) == "brexit"


def test_no_loader_query_plans_an_eager(graph: Graph) -> None:
    assert eager_queries(graph) == []


def test_truncated_release_exact_counts(graph: Graph, truncated_tweets: TruncatedRelease,
                                        tmp_path: Path) -> None:
    path = truncated_tweets.path
    with open(path, encoding="utf-8", newline="") as f:
        raw = list(csv.reader(f))
    rows = [dict(zip(raw[0], r, strict=True)) for r in raw[1:] if len(r) == len(raw[0])]
    assert len(rows) == len(truncated_tweets.tweets)
    rejects = tmp_path / "r.csv"
    summary = load_files(graph, [path], dataset="ru", rejects_path=rejects)

    tweetids = {r["tweetid"] for r in rows}
    authors = {r["userid"] for r in rows}
    refs = {r["retweet_tweetid"] for r in rows} | {r["quoted_tweet_tweetid"] for r in rows} | {
        r["in_reply_to_tweetid"] for r in rows}
    refs.discard("")
    mentions = {(r["tweetid"], m) for r in rows for m in archive_list(r["user_mentions"])
                if m != "0"}
    tags = {(r["tweetid"], hashtag_key(t)) for r in rows for t in archive_list(r["hashtags"])}
    urls = {u for r in rows for u in archive_list(r["urls"])}
    ref_authors = {r["retweet_userid"] for r in rows} | {r["in_reply_to_userid"] for r in rows}
    ref_authors.discard("")

    n = len(rows)
    assert (summary.rows, summary.rejected, summary.tweets) == (n + 1, 1, n)
    assert count(graph, "(t:Tweet) WHERE t.text IS NOT NULL") == n
    assert count(graph, "(t:Tweet)") == len(tweetids | refs)
    assert count(graph, "(a:Account)") == len(authors | {m for _, m in mentions} | ref_authors)
    assert count(graph, "(:Account)-[:IN_DATASET]->(:Dataset {name: 'ru'})") == len(authors)
    assert count(graph, "(:Account)-[:POSTED]->(t:Tweet) WHERE t.text IS NOT NULL") == n
    retweets = sum(1 for r in rows if r["retweet_tweetid"])
    quotes = sum(1 for r in rows if r["quoted_tweet_tweetid"])
    replies = sum(1 for r in rows if r["in_reply_to_tweetid"])
    assert (retweets, quotes) == (truncated_tweets.count("retweet_tweetid"),
                                  truncated_tweets.count("quoted_tweet_tweetid"))
    assert count(graph, "()-[:RETWEET_OF]->()") == retweets
    assert count(graph, "()-[:QUOTES]->()") == quotes
    assert count(graph, "()-[:REPLY_TO]->()") == replies
    assert count(graph, "()-[:MENTIONS]->()") == len(mentions)
    assert count(graph, "()-[:HAS_HASHTAG]->()") == len(tags)
    assert count(graph, "(h:Hashtag)") == len({t for _, t in tags})
    assert count(graph, "(u:Url) WHERE EXISTS { (:Tweet)-[:LINKS_TO]->(u) }") == len(urls)
    assert count(graph, "(:Disclosed)") == 0
    dataset = graph.read("MATCH (d:Dataset {name: 'ru'}) RETURN d")[0]["d"]
    assert (dataset["rows"], dataset["rejected"], dataset["tweets"]) == (n + 1, 1, n)
    assert dataset["accounts"] == len(authors) and dataset["format"] == "io-archive"
    # The truncated last row is in the report, with its line and reason.
    with open(rejects, encoding="utf-8", newline="") as f:
        reported = list(csv.DictReader(f))
    assert len(reported) == 1 and truncated_tweets.truncated_tweetid in reported[0]["raw"]
    assert reported[0]["reason"]
    assert int(reported[0]["line"]) == truncated_tweets.truncated_line


def test_tweet_properties_and_text_hash(graph: Graph, truncated_tweets: TruncatedRelease,
                                       tmp_path: Path) -> None:
    load_files(graph, [truncated_tweets.path], dataset="ru", rejects_path=tmp_path / "r.csv")
    tweet = graph.read("MATCH (t:Tweet) WHERE t.text IS NOT NULL AND NOT t.is_retweet "
                       "RETURN t ORDER BY t.tweetid LIMIT 1")[0]["t"]
    assert tweet["dataset"] == "ru" and tweet["time_source"] == "snowflake"
    assert tweet["created_at"].tzinfo is not None and len(tweet["text_hash"]) == 16
    assert count(graph, "(t:Tweet) WHERE t.is_retweet AND t.text_hash IS NOT NULL") == 0


def test_hashed_release_users_are_disclosed(graph: Graph, hashed_users: Path,
                                            tmp_path: Path) -> None:
    path = hashed_users
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    summary = load_files(graph, [path], rejects_path=tmp_path / "r.csv")
    assert summary.dataset == "china_082019_1" and summary.disclosed == len(rows)
    assert count(graph, "(a:Account:Disclosed)") == len(rows)
    assert count(graph, "(a:Account) WHERE a.hashed") == sum(
        1 for r in rows if not r["userid"].isdigit())
    assert count(graph, "(:Account)-[:IN_DATASET]->(:Dataset {name: 'china_082019_1'})") == len(
        rows)
    sample = next(r for r in rows if r["userid"].isdigit() and r["user_screen_name"])
    got = graph.read("MATCH (a:Account {userid: $u}) RETURN a", u=sample["userid"])[0]["a"]
    assert got["screen_name"] == sample["user_screen_name"]
    assert got["created_at"].to_native() == date.fromisoformat(sample["account_creation_date"])
    assert summary.rejects_path is None


def test_excel_mangled_file_is_refused_and_nothing_written(
        graph: Graph, truncated_tweets: TruncatedRelease, resaved_file: Path,
        tmp_path: Path) -> None:
    with pytest.raises(BadInput) as e:
        load_files(graph, [truncated_tweets.path, resaved_file],
                   rejects_path=tmp_path / "r.csv")
    assert resaved_file.name in str(e.value) and "\n" not in str(e.value)
    assert "scientific notation" in str(e.value)
    assert count(graph, "(n)") == 0


def test_loading_twice_changes_nothing(graph: Graph, truncated_tweets: TruncatedRelease,
                                       hashed_users: Path, tmp_path: Path) -> None:
    paths = [truncated_tweets.path, hashed_users]
    load_files(graph, paths, dataset="both", rejects_path=tmp_path / "r.csv")
    first = snapshot(graph)
    again = load_files(graph, paths, dataset="both", rejects_path=tmp_path / "r.csv")
    assert snapshot(graph) == first
    assert sum(again.nodes.values()) == 0 and sum(again.relationships.values()) == 0


def test_interrupted_load_rerun_equals_clean_load(graph: Graph,
                                                  truncated_tweets: TruncatedRelease,
                                                  tmp_path: Path) -> None:
    path = truncated_tweets.path
    load_files(graph, [path], dataset="ru", rejects_path=tmp_path / "r.csv", batch_rows=50)
    clean = snapshot(graph)
    # Interrupt: drop every relationship of some tweets, and some nodes, as a crash between
    # batches would leave them; the re-run restores exactly the clean graph.
    graph.write("MATCH (t:Tweet) WITH t ORDER BY t.tweetid LIMIT 150 DETACH DELETE t")
    graph.write("MATCH ()-[r:POSTED]->() WITH r LIMIT 100 DELETE r")
    load_files(graph, [path], dataset="ru", rejects_path=tmp_path / "r.csv", batch_rows=50)
    assert snapshot(graph) == clean


def test_two_datasets_stay_apart_and_share_nodes(graph: Graph, tmp_path: Path) -> None:
    load_files(graph, [fixture("flat.jsonl")], dataset="flat", rejects_path=tmp_path / "1.csv")
    flat_accounts = count(graph, "(:Account)-[:IN_DATASET]->(:Dataset {name: 'flat'})")
    load_files(graph, [fixture("noflat.jsonl")], dataset="noflat",
               rejects_path=tmp_path / "2.csv")
    assert count(graph, "(d:Dataset)") == 2
    assert count(graph, "(:Account)-[:IN_DATASET]->(:Dataset {name: 'flat'})") == flat_accounts
    shared = count(graph, "(:Dataset {name: 'flat'})<-[:IN_DATASET]-(a:Account)"
                          "-[:IN_DATASET]->(:Dataset {name: 'noflat'})")
    assert shared > 0  # the same 100 tweets: their authors are in both datasets
    # Tweets keep the first dataset; Url and Domain nodes are shared, not duplicated.
    assert count(graph, "(t:Tweet {dataset: 'noflat'})") < count(graph, "(t:Tweet)")
    assert count(graph, "(u:Url) WITH u.url AS k, count(*) AS c WHERE c > 1") == 0


def test_conflicting_duplicates_last_wins_and_none_never_overwrites(graph: Graph,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "dup_tweets_csv_hashed.csv"
    header = ["tweetid", "userid", "user_screen_name", "follower_count", "tweet_text",
              "tweet_time", "like_count"]
    rows = [
        ["1134828248637558455", "111", "first", "10", "one", "2019-06-01 12:00", "1"],
        ["1134828248637558455", "111", "second", "", "two", "2019-06-01 12:00", ""],
    ]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    for batch_rows in (1, 10):  # across batches, then within one batch
        load_files(graph, [path], dataset="d", rejects_path=tmp_path / "r.csv",
                   batch_rows=batch_rows)
        t = graph.read("MATCH (a:Account)-[:POSTED]->(t:Tweet) RETURN a, t")[0]
        assert t["t"]["text"] == "two" and t["t"]["like_count"] == 1
        assert t["a"]["followers"] == 10
        # The id's snowflake time disagrees with tweet_time: the archive's minute is kept.
        assert t["t"]["created_at"].to_native() == datetime(2019, 6, 1, 12, 0, tzinfo=UTC)


def test_on_error_fail_stops_at_first_reject(graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "bad_tweets_csv_hashed.csv"
    header = ["tweetid", "userid", "tweet_text", "tweet_time"]
    good = [[str(1134828248637558455 + (i << 22)), "111", "t", "2019-06-01 12:00"]
            for i in range(30)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *good[:10], ["9.1458E+17", "1", "x", ""], *good[10:]])
    with pytest.raises(BadInput) as e:
        load_files(graph, [path], dataset="b", on_error="fail",
                   rejects_path=tmp_path / "r.csv", batch_rows=5)
    assert str(e.value).startswith(f"{path}:12: tweetid '9.1458E+17'")
    # Batches of 5 records: the author and 9 tweets fill two; the 10th tweet shares the bad
    # row's batch, which is never written, nor is anything after it.
    assert count(graph, "(t:Tweet)") == 9
    summary = load_files(graph, [path], dataset="b", rejects_path=tmp_path / "r.csv")
    assert (summary.rejected, count(graph, "(t:Tweet)")) == (1, 30)


def _v2_items(path: Path) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(tweet, included tweets) for every tweet of a twarc2 page file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        included = page.get("includes", {}).get("tweets", [])
        for tweet in [*page["data"], *included]:
            yield tweet, included


@pytest.mark.parametrize("name", ["entities_test.jsonl", "withheld.jsonl", "brexit.jsonl",
                                  "kpop.jsonl", "noflat.jsonl"])
def test_twarc2_pages_exact_counts(graph: Graph, tmp_path: Path, name: str) -> None:
    path = fixture(name)
    tweets: dict[str, dict[str, Any]] = {t["id"]: t for t, _ in _v2_items(path)}
    refs = {(t["id"], r["type"], r["id"]) for t in tweets.values()
            for r in t.get("referenced_tweets", [])}
    tags = {(t["id"], hashtag_key(h["tag"])) for t in tweets.values()
            for h in (t.get("note_tweet", {}).get("entities") or t.get("entities", {}))
            .get("hashtags", [])}
    summary = load_files(graph, [path], dataset="v2", rejects_path=tmp_path / "r.csv")
    assert summary.rejected == 0
    assert count(graph, "(t:Tweet)") == len(set(tweets) | {r for _, _, r in refs})
    assert count(graph, "(t:Tweet) WHERE t.text IS NOT NULL") == len(tweets)
    for kind, rel in (("retweeted", "RETWEET_OF"), ("quoted", "QUOTES"),
                      ("replied_to", "REPLY_TO")):
        expected = len({(a, b) for a, k, b in refs if k == kind})
        assert count(graph, f"()-[:{rel}]->()") == expected, rel
    assert count(graph, "()-[:HAS_HASHTAG]->()") == len(tags)
    authors = {t["author_id"] for t in tweets.values()}
    assert count(graph, "(:Account)-[:POSTED]->(t:Tweet) WHERE t.text IS NOT NULL") == len(
        tweets)
    assert authors <= {r["u"] for r in graph.read(
        "MATCH (a:Account)-[:IN_DATASET]->(:Dataset {name: 'v2'}) RETURN a.userid AS u")}


@pytest.mark.parametrize("name", ["dirty_2.json", "original_format_examples.json"])
def test_v11_exact_counts(graph: Graph, tmp_path: Path, name: str) -> None:
    path = fixture(name)
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    tweets: dict[str, dict[str, Any]] = {}

    def walk(t: dict[str, Any]) -> None:
        tweets[t["id_str"]] = t
        for key in ("retweeted_status", "quoted_status"):
            if isinstance(t.get(key), dict):
                walk(t[key])

    for line in lines:
        walk(line)
    retweets = {(i, t["retweeted_status"]["id_str"]) for i, t in tweets.items()
                if t.get("retweeted_status")}
    quotes = {(i, t["quoted_status_id_str"]) for i, t in tweets.items()
              if t.get("quoted_status_id_str")}
    replies = {(i, t["in_reply_to_status_id_str"]) for i, t in tweets.items()
               if t.get("in_reply_to_status_id_str")}
    summary = load_files(graph, [path], dataset="v1", rejects_path=tmp_path / "r.csv")
    assert summary.rejected == 0
    assert count(graph, "(t:Tweet) WHERE t.text IS NOT NULL") == len(tweets)
    assert count(graph, "()-[:RETWEET_OF]->()") == len(retweets)
    assert count(graph, "()-[:QUOTES]->()") == len(quotes)
    assert count(graph, "()-[:REPLY_TO]->()") == len(replies)
    all_ids = set(tweets) | {b for _, b in retweets | quotes | replies}
    assert count(graph, "(t:Tweet)") == len(all_ids)
    users = {t["user"]["id_str"] for t in tweets.values()}
    assert count(graph, "(:Account)-[:IN_DATASET]->(:Dataset {name: 'v1'})") == len(users)


def test_batches_keep_records_apart_by_kind() -> None:
    from toolkit.load.batches import Batch

    batch = Batch()
    batch.add_account(Account(userid="1", screen_name="a"))  # a bare mention: no dataset
    batch.add_tweet(Tweet(tweetid="5", userid="2", created_at=None, time_source="api",
                          retweet_of="4", retweet_of_userid="3", is_retweet=True, text="RT x"))
    assert batch.in_dataset == {"2"}
    assert batch.posted == {"5": "2"} and batch.claims == {"4": "3"}  # row vs reference
    assert batch.tweets["5"].get("text_hash") is None


def test_cli_prints_summary_and_refuses_bad_file(graph: Graph, cli_env: dict[str, str],
                                                 truncated_tweets: TruncatedRelease,
                                                 resaved_file: Path, tmp_path: Path) -> None:
    ok = infoops("load", str(truncated_tweets.path), "--dataset", "ru", "--rejects",
                 str(tmp_path / "r.csv"), env=cli_env)
    assert ok.stdout == ""
    assert "rows read" in ok.stderr and "[:POSTED] created" in ok.stderr
    assert f"{len(truncated_tweets.tweets) + 1:,}" in ok.stderr
    assert f"1 rejected rows: {tmp_path / 'r.csv'}" in ok.stderr
    bad = infoops("load", str(resaved_file), env=cli_env, check=False)
    assert bad.returncode == 3
    assert bad.stderr.strip().count("\n") == 0 and resaved_file.name in bad.stderr


def test_every_account_gets_a_caption_from_its_own_data(graph: Graph, tmp_path: Path) -> None:
    """Browser and the queries show `caption`: the screen name, else the start of the id
    and `…` for a hash (a numeric id stays whole). A hashed account whose tweet mentions a
    numeric id is never captioned with anything of that id (DESIGN.md's privacy rule); an
    account first seen as a bare mention takes its screen name when a later batch brings it.
    """
    path = tmp_path / "caps_tweets_csv_hashed.csv"
    hashed = "0RDphvGyRjv0/R02fpShGMMVjR71eLDhohwyhS2FwQs="
    header = ["tweetid", "userid", "user_screen_name", "follower_count", "tweet_text",
              "tweet_time", "user_mentions"]
    rows = [
        ["1134828248637558455", hashed, hashed, "10", "hi @x", "2019-06-01 12:00", "[222]"],
        ["1134828248637558456", "111", "named", "9000", "yo", "2019-06-01 12:01", "[333]"],
        ["1134828248637558457", "333", "late_name", "9000", "me", "2019-06-01 12:02", "[]"],
    ]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    for batch_rows in (1, 10):  # the mention before the profile, then in one batch
        load_files(graph, [path], dataset="d", rejects_path=tmp_path / "r.csv",
                   batch_rows=batch_rows)
        captions = {r["u"]: r["c"] for r in graph.read(
            "MATCH (a:Account) RETURN a.userid AS u, a.caption AS c")}
        assert captions == {hashed: "0RDphvGy…", "111": "named", "222": "222",
                            "333": "late_name"}
