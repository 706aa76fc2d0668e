"""Small files with the quirks of the real releases, written by the tests themselves.

The real samples in `../shared/data/real` have no license and may not be copied into the
repository, so a plain clone checks the same behaviour on these: an IO-archive tweets file
whose last row is cut off inside its text (as the Russia 2019 sample is), a file a
spreadsheet re-saved (ids in scientific notation, as the FiveThirtyEight sample), and a
users file of a hashed release (as China August 2019, set 1). Each writer returns what it
put in, so tests compare the loaded graph with facts they did not read back from it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from toolkit.sources.io_archive import TWEET_COLUMNS, USER_COLUMNS

EPOCH_MS = 1288834974657


def hashed_id(name: str) -> str:
    """A 2019-style hashed id: 44 base64 characters, often with `+`, `/` and `=`."""
    return base64.b64encode(hashlib.sha256(name.encode()).digest()).decode()


def snowflake(ms: int, seq: int) -> str:
    """A tweet id that carries its creation time (ms since the Unix epoch)."""
    return str(((ms - EPOCH_MS) << 22) + seq)


@dataclass
class TruncatedRelease:
    """What `write_truncated_tweets` wrote: the complete rows, and the cut one."""

    path: Path
    tweets: list[dict[str, str]] = field(default_factory=list)
    truncated_tweetid: str = ""
    truncated_line: int = 0

    @property
    def authors(self) -> set[str]:
        return {t["userid"] for t in self.tweets}

    def count(self, column: str) -> int:
        return sum(1 for t in self.tweets if t[column])

    @classmethod
    def read(cls, path: Path, truncated_line: int, truncated_tweetid: str
             ) -> TruncatedRelease:
        """A release file whose cut row is known: its complete rows, parsed as plain CSV."""
        with open(path, encoding="utf-8", newline="") as f:
            header, *rows = csv.reader(f)
        complete = [dict(zip(header, r, strict=True)) for r in rows if len(r) == len(header)]
        return cls(path, complete, truncated_tweetid, truncated_line)


AUTHORS = [
    # (userid, screen name, display name): hashed accounts carry the hash in all three
    *((h, h, h) for h in (hashed_id("alpha"), hashed_id("bravo"), hashed_id("charlie"))),
    ("4125840001", "newsdesk_one", "News Desk One"),
    ("4125840002", "второй_голос", "Второй голос"),
]
TEXTS = [
    "Breaking: the convoy reached the city #Syria #News",
    'A "quoted" claim, with commas, and\na second line',
    "خبر عاجل عن المدينة #سورية",
    "香港的示威者今天又上街了 #香港",
    "RT-style text without being a retweet #news",
]
CUT_TEXT = "The last row of the file is cut off in the middle of this text"


def write_truncated_tweets(path: Path, rows: int = 30) -> TruncatedRelease:
    """An IO-archive tweets file as a release writes it (every cell quoted): originals with
    hashtag/URL/mention lists in both bracket styles, retweets and quotes of tweets that
    are not in the file (stubs), a reply, float counts, `absent` coordinates, hashed and
    numeric ids; then a last row cut off inside its text."""
    made = TruncatedRelease(path)
    start_ms = 1_501_999_200_000  # 2017-08-06 06:00 UTC
    body: list[list[str]] = []
    for i in range(rows + 1):
        userid, screen, display = AUTHORS[i % len(AUTHORS)]
        ms = start_ms + i * 97_531
        row = dict.fromkeys(TWEET_COLUMNS, "")
        row.update(
            tweetid=snowflake(ms, i), userid=userid, user_display_name=display,
            user_screen_name=screen, user_reported_location="", user_profile_description="",
            user_profile_url="", follower_count=str(100 + i), following_count="7",
            account_creation_date="2015-11-06", account_language="en",
            tweet_language="en", tweet_text=TEXTS[i % len(TEXTS)],
            tweet_time=_minute(ms), tweet_client_name="Twitter Web Client",
            is_retweet="false", latitude="absent", longitude="absent",
            quote_count="0.0", reply_count="1.0", like_count=f"{i}.0", retweet_count="0",
            hashtags="[]", urls="[]", user_mentions="[]", poll_choices="")
        if i % 2:
            row["hashtags"] = "['Syria', 'News']"
            row["urls"] = f"[http://example.org/story/{i}, https://bit.ly/x{i}]"
            row["user_mentions"] = "[0, 2786102231]"
        else:
            row["hashtags"] = "[Syria]"
            row["user_mentions"] = "['1234567']"
        if i % 7 == 3:  # a retweet of a tweet that is not in the file
            row.update(is_retweet="True", retweet_userid=hashed_id(f"origin{i}"),
                       retweet_tweetid=snowflake(ms - 3_600_000, 900 + i),
                       tweet_text="RT @someone: " + TEXTS[0])
        elif i % 5 == 1:  # a quote of a tweet that is not in the file
            row["quoted_tweet_tweetid"] = snowflake(ms - 7_200_000, 800 + i)
        elif i == 12:  # a reply to the first tweet of the file
            row.update(in_reply_to_tweetid=body[0][0], in_reply_to_userid=body[0][1])
        body.append([row[c] for c in TWEET_COLUMNS])
        if i < rows:
            made.tweets.append(row)
    body[-1][TWEET_COLUMNS.index("tweet_text")] = CUT_TEXT
    made.truncated_tweetid = body[-1][0]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(TWEET_COLUMNS)
        writer.writerows(body[:-1])
        made.truncated_line = 2 + sum(r[TWEET_COLUMNS.index("tweet_text")].count("\n") + 1
                                      for r in body[:-1])
        last = io.StringIO()
        csv.writer(last, quoting=csv.QUOTE_ALL).writerow(body[-1])
        f.write(last.getvalue()[: last.getvalue().index(CUT_TEXT) + 20] + "\n")
    return made


def _minute(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def write_spreadsheet_resaved(path: Path) -> Path:
    """A tweets file in FiveThirtyEight's shape after a spreadsheet re-saved it: ids in
    scientific notation, dates as `m/d/yy h:mm`."""
    header = ["external_author_id", "author", "content", "region", "language",
              "publish_date", "harvested_date", "following", "followers", "updates",
              "post_type", "account_type", "retweet", "account_category", "new_june_2018",
              "alt_external_id", "tweet_id", "article_url"]
    rows = [[f"9.0{k}E+17", f"author_{k}", f"post number {k}", "Unknown", "English",
             f"10/{k}/17 19:58", f"10/{k}/17 19:59", "1052", "9636", "253", "", "Right",
             "0", "RightTroll", "0", "9.05875E+17", f"9.1458{k}E+17",
             f"http://twitter.com/9058/statuses/91458{k}"] for k in range(1, 9)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@dataclass
class HashedUsers:
    path: Path
    rows: list[dict[str, str]]

    @property
    def hashed(self) -> list[dict[str, str]]:
        return [r for r in self.rows if not r["userid"].isdigit()]


def write_hashed_users(path: Path, accounts: int = 40) -> HashedUsers:
    """A users file of a hashed release: accounts under 5,000 followers have userid, display
    and screen name replaced by the same hash; the others keep them; languages as the
    release spells them (`zh-cn`, and some `ZH-CN`)."""
    rows = []
    for k in range(accounts):
        small = k % 3 != 0
        userid = hashed_id(f"user{k}") if small else str(919755217121316864 + k)
        row = dict.fromkeys(USER_COLUMNS, "")
        row.update(userid=userid,
                   user_display_name=userid if small else f"显示名{k}",
                   user_screen_name=userid if small else f"wuming{k}xia",
                   follower_count=str(k if small else 5000 + k), following_count="52",
                   account_creation_date=f"2017-08-{1 + k % 28:02d}",
                   account_language="ZH-CN" if k % 5 == 0 else "zh-cn")
        rows.append(row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(USER_COLUMNS)
        writer.writerows([r[c] for c in USER_COLUMNS] for r in rows)
    return HashedUsers(path, rows)


def write_nbc_style_users(path: Path) -> Path:
    """Users in the shape of NBC News' IRA users table: a CSV, but not a release format."""
    header = ["id", "location", "name", "followers_count", "statuses_count", "time_zone",
              "verified", "lang", "screen_name", "description", "created_at",
              "favourites_count", "friends_count", "listed_count"]
    rows = [[str(18710816 + k), "somewhere", f"Name {k}", "304", "11484", "", "false", "en",
             f"handle{k}", "a description", "Wed Jan 07 04:38:02 +0000 2009", "1", "2", "3"]
            for k in range(5)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows([header, *rows])
    return path
