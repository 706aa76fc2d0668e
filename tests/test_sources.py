"""Readers on real files: every expected count is computed here from the raw file with the
csv/json modules, independently of the readers."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from release_files import TruncatedRelease, write_nbc_style_users
from shared_data import fixture, shared_data

from toolkit.errors import BadInput, BadParameter
from toolkit.sources import (
    Account,
    ReadStats,
    Reject,
    Tweet,
    iter_records,
    plan_inputs,
    reject_error,
)
from toolkit.sources.io_archive import TWEET_COLUMNS, USER_COLUMNS

RUSSIA = "io-russia-201901-sample/speed_layer_sample.csv"


def read(*paths: Path, fmt: str = "auto") -> tuple[list[object], ReadStats]:
    stats = ReadStats()
    return list(iter_records(plan_inputs(list(paths), fmt), stats)), stats


def of(records: list[object], kind: type) -> list:
    return [r for r in records if isinstance(r, kind)]


def raw_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = csv.reader(f)
    return header, rows


# --- IO archive: a tweets file cut off in its last row (generated, and the Russia sample) ------


def test_truncated_release_tweets_accounts_and_the_cut_row(
        truncated_tweets: TruncatedRelease) -> None:
    path = truncated_tweets.path
    header, rows = raw_rows(path)
    complete = [r for r in rows if len(r) == len(header)]
    col = {c: i for i, c in enumerate(header)}
    records, stats = read(path)

    tweets, accounts, rejects = of(records, Tweet), of(records, Account), of(records, Reject)
    assert len(tweets) == len(complete) == len(truncated_tweets.tweets)
    assert {t.tweetid for t in tweets} == {r[col["tweetid"]] for r in complete}
    userids = {r[col["userid"]] for r in complete}
    assert len(accounts) == len(userids) == len(truncated_tweets.authors)
    assert sum(a.hashed for a in accounts) == sum(not u.isdigit() for u in userids) > 0
    assert not any(a.disclosed for a in accounts)
    retweets = sum(r[col["is_retweet"]].lower() == "true" for r in complete)
    assert sum(t.is_retweet for t in tweets) == retweets > 0
    assert sum(t.quotes is not None for t in tweets) == sum(
        bool(r[col["quoted_tweet_tweetid"]]) for r in complete) > 0

    assert len(rejects) == 1 and stats.files[0].rows == len(complete) + 1
    assert stats.files[0].rejected == 1
    assert rejects[0].line == truncated_tweets.truncated_line
    assert "truncated" in rejects[0].reason
    assert rejects[0].raw.startswith(truncated_tweets.truncated_tweetid)


def test_russia_sample_first_row_every_field() -> None:
    records, _ = read(shared_data(RUSSIA))
    author, tweet = records[0], records[1]
    assert author == Account(
        userid="4125840934", screen_name="Inside_Syria", display_name="Inside Syria MC",
        description="Collecting information about the Syrian conflict from ground-level sources."
        "  #InsideSyriaMC #Syria #SyrianArmy #سورية https://t.co/yXzvwpgd3L",
        location="Syria", profile_url="https://t.co/x9PTLhaz76", followers=19816, following=808,
        created_at=date(2015, 11, 6), language="en", hashed=False, disclosed=False)
    assert isinstance(tweet, Tweet)
    assert (tweet.tweetid, tweet.userid) == ("894109669869985793", "4125840934")
    assert tweet.created_at == datetime(2017, 8, 6, 8, 15, 31, 708000, UTC)
    assert tweet.time_source == "snowflake"
    assert tweet.text.startswith("New Convoy of #SyrianArmy")  # type: ignore[union-attr]
    assert (tweet.language, tweet.client, tweet.is_retweet) == ("en", "WordPress.com", False)
    assert (tweet.retweet_of, tweet.reply_to, tweet.quotes) == (None, None, None)
    assert (tweet.like_count, tweet.retweet_count, tweet.reply_count, tweet.quote_count) == (
        0, 0, 0, 0)
    assert tweet.hashtags == [("syrianarmy", "SyrianArmy"), ("hama", "Hama"),
                              ("insidesyriamc", "InsideSyriaMC")]
    assert [link.url for link in tweet.links] == [
        "http://en.insidesyriamc.com/2017/08/06/new-convoy-of-syrian-army-arrived-in-hama"]
    assert tweet.links[0].domain == "insidesyriamc.com"
    assert tweet.mentions == []


def test_lists_and_retweets_match_the_raw_cells(truncated_tweets: TruncatedRelease) -> None:
    path = truncated_tweets.path
    header, rows = raw_rows(path)
    col = {c: i for i, c in enumerate(header)}
    raw = {r[col["tweetid"]]: r for r in rows if len(r) == len(header)}
    for tweet in of(read(path)[0], Tweet):
        row = raw[tweet.tweetid]
        mentions = row[col["user_mentions"]].strip("[]").replace("'", "").split(", ")
        assert tweet.mentions == [m for m in dict.fromkeys(mentions) if m not in ("", "0")]
        assert tweet.retweet_of == (row[col["retweet_tweetid"]] or None)
        assert tweet.retweet_of_userid == (row[col["retweet_userid"]] or None)
        assert tweet.created_at.strftime("%Y-%m-%d %H:%M") == row[col["tweet_time"]]  # type: ignore[union-attr]


# --- IO archive: users file of a hashed release (generated, and China 2019 set 1) -----------


def test_hashed_users_file_gives_disclosed_accounts(hashed_users: Path) -> None:
    header, rows = raw_rows(hashed_users)
    assert tuple(header) == USER_COLUMNS
    accounts = of(read(hashed_users)[0], Account)
    assert len(accounts) == len(rows) > 0
    hashed = [a for a in accounts if a.hashed]
    assert len(hashed) == sum(not r[0].isdigit() for r in rows) > 0
    assert all(a.disclosed for a in accounts)
    assert all(a.screen_name is None and a.display_name is None for a in hashed)
    languages = Counter(a.language for a in accounts)
    assert languages["zh-cn"] == sum(r[-1].lower() == "zh-cn" for r in rows) > 0
    assert all(lang == lang.lower() for lang in languages if lang)


# --- files that are not in a known format ----------------------------------------------------


def test_spreadsheet_resaved_file_is_refused_up_front(resaved_file: Path) -> None:
    path = resaved_file
    with pytest.raises(BadInput) as error:
        plan_inputs([path])
    message = str(error.value)
    assert message.startswith(str(path))
    assert "not an IO-archive/v1/v2 file" in message
    assert "scientific notation" in message and "spreadsheet" in message


@pytest.mark.parametrize("origin", ["generated", "real"])
def test_nbc_users_csv_is_refused(origin: str, tmp_path: Path) -> None:
    path = (write_nbc_style_users(tmp_path / "users.csv") if origin == "generated"
            else shared_data("nbc-ira-users/users.csv"))
    with pytest.raises(BadInput, match="not an IO-archive/v1/v2 file"):
        plan_inputs([path])


def test_a_directory_skips_files_in_no_known_format_and_says_why(tmp_path: Path) -> None:
    shutil.copy(fixture("dirty_2.json"), tmp_path / "a.json")
    (tmp_path / "b.txt").write_text("hello\n")
    skipped: list[str] = []
    planned = plan_inputs([tmp_path], skipped=skipped)
    assert [m.path.name for m in planned] == ["a.json"]
    assert len(skipped) == 1 and "b.txt" in skipped[0] and "not an IO-archive/v1/v2" in skipped[0]
    # Named explicitly, the same file is an error: the user asked for it.
    with pytest.raises(BadInput, match=r"b\.txt: not an IO-archive/v1/v2 file"):
        plan_inputs([tmp_path / "a.json", tmp_path / "b.txt"])


def test_empty_file_and_missing_path_and_unknown_format(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(BadInput, match="empty"):
        plan_inputs([tmp_path / "empty.csv"])
    with pytest.raises(BadInput, match="no such file"):
        plan_inputs([tmp_path / "nope.csv"])
    with pytest.raises(BadParameter):
        plan_inputs([fixture("dirty_2.json")], fmt="xlsx")
    with pytest.raises(BadInput, match="looks like a v1 file, not v2"):
        plan_inputs([fixture("dirty_2.json")], fmt="v2")


# --- containers: directories, zip, gzip ------------------------------------------------------


def test_directories_zips_and_gzip_are_expanded_and_sniffed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(fixture("dirty_2.json"), folder / "sub" / "v1.json")
    (folder / ".hidden").write_text("junk")
    with (folder / "pages.data").open("wb") as out:  # gzip recognized by magic, not by name
        out.write(gzip.compress(fixture("users.jsonl").read_bytes()))
    with zipfile.ZipFile(tmp_path / "flat.zip", "w") as archive:
        archive.write(fixture("flat.jsonl"), "tweets/flat.jsonl")
        archive.writestr("__MACOSX/._flat.jsonl", "junk")

    members = plan_inputs([folder, tmp_path / "flat.zip"])
    assert [(m.name.removeprefix(str(tmp_path)), m.format) for m in members] == [
        ("/in/pages.data", "v2"), ("/in/sub/v1.json", "v1"), ("/flat.zip!tweets/flat.jsonl", "v2")]
    records, stats = read(folder, tmp_path / "flat.zip")
    assert [f.rows for f in stats.files] == [96, 28, 100]
    assert stats.rows == 224 and stats.rejected == 0
    assert len({r.tweetid for r in of(records, Tweet)}) > 100


# --- row-level problems in an archive file ---------------------------------------------------


def _archive(path: Path, rows: list[list[str]], prefix: bytes = b"") -> Path:
    lines = [",".join(f'"{v}"' for v in row) for row in [list(TWEET_COLUMNS), *rows]]
    path.write_bytes(prefix + "\n".join(lines).encode("utf-8") + b"\n")
    return path


def _row(tweetid: str, text: str = "hello", **cells: str) -> list[str]:
    values = dict.fromkeys(TWEET_COLUMNS, "")
    values.update(tweetid=tweetid, userid="12345", user_screen_name="someone",
                  tweet_text=text, tweet_time="2017-08-06 08:15", is_retweet="False")
    values.update(cells)
    return list(values.values())


def test_row_problems_become_rejects_with_the_physical_line(tmp_path: Path) -> None:
    good = "894109669869985793"
    path = _archive(tmp_path / "t.csv", [
        _row(good, text="two\nlines"),                        # lines 2-3
        _row("1.01421E+18"),                                  # line 4
        _row(good, tweet_time="7/3/2018 10:15"),              # line 5
        _row(good)[:20],                                      # line 6: 20 fields
        _row(good, text="nul\x00byte"),                       # line 7
        _row(good, user_mentions="[123, 4.5E+17]"),           # line 8
        _row(good, is_retweet="maybe"),                       # line 9
        _row(good, text="x" * 10_000_000),                    # line 10: a 10 MB field
    ], prefix=b"\xef\xbb\xbf")
    records, stats = read(path)
    rejects = {r.line: r.reason for r in of(records, Reject)}
    assert sorted(rejects) == [4, 5, 6, 7, 8, 9]
    assert "scientific notation" in rejects[4]
    assert "tweet_time" in rejects[5]
    assert "20 fields, expected 31" in rejects[6]
    assert "NUL" in rejects[7]
    assert "user_mentions" in rejects[8]
    assert "is_retweet" in rejects[9]
    tweets = of(records, Tweet)
    assert [len(t.text or "") for t in tweets] == [9, 10_000_000]
    assert stats.files[0].rows == 8 and stats.files[0].rejected == 6
    error = reject_error(of(records, Reject)[0])
    assert str(error).startswith(f"{path}:4: ")


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    path = _archive(tmp_path / "t.csv", [_row("894109669869985793", text="cafe")])
    path.write_bytes(path.read_bytes().replace(b"cafe", b"caf\xe9"))  # Latin-1, not UTF-8
    records, stats = read(path)
    assert of(records, Tweet)[0].text == "caf\ufffd"
    assert stats.files[0].decode_errors == 1 and stats.files[0].rejected == 0


def test_users_file_and_tweets_file_mark_disclosed_differently(tmp_path: Path) -> None:
    users = tmp_path / "u.csv"
    users.write_text(",".join(USER_COLUMNS) + "\n12345,Some One,someone,,,,1.0,2,2015-01-02,EN\n")
    tweets = _archive(tmp_path / "t.csv", [_row("894109669869985793"),
                                            _row("894109669869985794")])
    records, _ = read(users, tweets)
    accounts = of(records, Account)
    assert [(a.userid, a.disclosed) for a in accounts] == [("12345", True), ("12345", False)]
    assert (accounts[0].followers, accounts[0].language) == (1, "en")


# --- API v1.1 --------------------------------------------------------------------------------


def _json_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_v1_jadehelm_tweets_retweets_quotes_and_authors() -> None:
    path = fixture("dirty_2.json")
    raw = _json_lines(path)
    records, stats = read(path)
    tweets = {t.tweetid: t for t in of(records, Tweet)}
    nested = ("retweeted_status", "quoted_status")
    embedded = {o[k]["id_str"] for o in raw for k in nested if k in o}
    assert set(tweets) == {o["id_str"] for o in raw} | embedded
    assert stats.files[0].rows == len(raw) == 28
    assert sum(tweets[o["id_str"]].is_retweet for o in raw) == sum(
        "retweeted_status" in o for o in raw) == 6
    assert sum(tweets[o["id_str"]].reply_to is not None for o in raw) == sum(
        o["in_reply_to_status_id_str"] is not None for o in raw) == 3
    for o in raw:
        tweet = tweets[o["id_str"]]
        assert tweet.userid == o["user"]["id_str"]
        assert tweet.mentions == [m["id_str"] for m in o["entities"]["user_mentions"]]
        assert tweet.time_source == "snowflake"
        assert tweet.created_at.replace(microsecond=0) == datetime.strptime(  # type: ignore[union-attr]
            o["created_at"], "%a %b %d %H:%M:%S %z %Y")
        assert tweet.client is not None and "<" not in tweet.client
        if "retweeted_status" in o:
            assert tweet.retweet_of == o["retweeted_status"]["id_str"]
            assert tweet.retweet_of_userid == o["retweeted_status"]["user"]["id_str"]
    handles = {a.userid: a.screen_name for a in of(records, Account)}
    mentioned = {m["id_str"]: m["screen_name"] for o in raw for m in o["entities"]["user_mentions"]}
    assert mentioned.items() <= handles.items()


def test_v1_extended_tweets_use_full_text() -> None:
    path = fixture("original_format_examples.json")
    raw = _json_lines(path)
    extended = [o for o in raw if "extended_tweet" in o]
    assert extended
    tweets = {t.tweetid: t for t in of(read(path)[0], Tweet)}
    for o in extended:
        tweet = tweets[o["id_str"]]
        assert tweet.text == o["extended_tweet"]["full_text"]
        tags = [h["text"].casefold() for h in o["extended_tweet"]["entities"]["hashtags"]]
        assert [name for name, _ in tweet.hashtags] == list(dict.fromkeys(tags))


def test_v1_stream_notices_and_junk_are_rejected(tmp_path: Path) -> None:
    tweet = fixture("dirty_2.json").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "stream.json"
    path.write_text("\n".join([tweet, '{"limit":{"track":12}}', "",
                               '{"delete":{"status":{"id_str":"1"}}}', "{oops", tweet]) + "\n")
    records, stats = read(path)
    assert {r.line: r.reason for r in of(records, Reject)} == {
        2: "not a tweet: a 'limit' stream notice",
        4: "not a tweet: a 'delete' stream notice",
        5: of(records, Reject)[2].reason,
    }
    assert of(records, Reject)[2].reason.startswith("invalid JSON")
    assert len(of(records, Tweet)) == 2 and stats.files[0].rows == 5


# --- API v2 ----------------------------------------------------------------------------------


def test_v2_pages_data_and_includes() -> None:
    path = fixture("entities_test.jsonl")
    pages = _json_lines(path)
    data = [t for p in pages for t in p["data"]]
    included = [t for p in pages for t in p["includes"].get("tweets", [])]
    records, stats = read(path)
    tweets = {t.tweetid: t for t in of(records, Tweet)}
    assert set(tweets) == {t["id"] for t in data} | {t["id"] for t in included}
    assert stats.files[0].rows == len(data) == 474
    kinds = Counter(r["type"] for t in data for r in t.get("referenced_tweets", []))
    assert sum(tweets[t["id"]].is_retweet for t in data) == kinds["retweeted"] == 314
    assert sum(tweets[t["id"]].reply_to is not None for t in data) == kinds["replied_to"] == 84
    assert sum(tweets[t["id"]].quotes is not None for t in data) == kinds["quoted"]
    users = {u["id"] for p in pages for u in p["includes"]["users"]}
    assert users <= {a.userid for a in of(records, Account)}
    for t in data:
        assert tweets[t["id"]].userid == t["author_id"]
        assert tweets[t["id"]].mentions == list(dict.fromkeys(
            m["id"] for m in t.get("entities", {}).get("mentions", [])))
    retweet = next(tweets[t["id"]] for t in data if tweets[t["id"]].is_retweet
                   and tweets[t["id"]].retweet_of in tweets)
    assert retweet.retweet_of_userid == tweets[retweet.retweet_of].userid  # type: ignore[index]


def test_v2_flattened_and_paged_files_agree() -> None:
    flat, _ = read(fixture("flat.jsonl"))
    paged, _ = read(fixture("noflat.jsonl"))

    def key(tweet: Tweet) -> tuple:
        return (tweet.userid, tweet.created_at, tweet.time_source, tweet.text, tweet.is_retweet,
                tweet.retweet_of, tweet.retweet_of_userid, tweet.reply_to, tweet.reply_to_userid,
                tweet.quotes, tweet.quotes_userid, tweet.client, tweet.hashtags,
                [link.url for link in tweet.links], tweet.mentions)

    flat_tweets = {t.tweetid: key(t) for t in of(flat, Tweet)}
    paged_tweets = {t.tweetid: key(t) for t in of(paged, Tweet)}
    primary = {o["id"] for o in _json_lines(fixture("flat.jsonl"))}
    assert len(primary) == 100
    assert {k: flat_tweets[k] for k in primary} == {k: paged_tweets[k] for k in primary}
    assert {a.userid for a in of(flat, Account)} == {a.userid for a in of(paged, Account)}


def test_v2_user_lookup_pages_give_accounts() -> None:
    path = fixture("users.jsonl")
    users = [u for p in _json_lines(path) for u in p["data"]]
    records, stats = read(path)
    accounts = {a.userid: a for a in of(records, Account)}
    assert stats.files[0].rows == len(users) == 96
    assert len({u["id"] for u in users}) == 91
    for user in users:
        account = accounts[user["id"]]
        assert account.screen_name == user["username"]
        assert account.followers == user["public_metrics"]["followers_count"]
        assert account.created_at == date.fromisoformat(user["created_at"][:10])
