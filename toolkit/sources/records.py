"""Normalized records: the contract between the readers in `toolkit.sources` and the loader.

Every reader, whatever its input format, yields these three kinds of item. Values are
already normalized (ids as strings, times in UTC, hashtags and URLs canonical), so the
loader only batches and writes, and the bulk exporter writes the same values to CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Account:
    """One account as seen in the input. `None` means "not known here" and never
    overwrites a value already in the graph; `disclosed` marks accounts listed in a
    platform release (they get the `Disclosed` label)."""

    userid: str
    screen_name: str | None = None
    display_name: str | None = None
    description: str | None = None
    location: str | None = None
    profile_url: str | None = None  # normalized, see sources.normalize.normalize_url
    followers: int | None = None
    following: int | None = None
    created_at: date | None = None
    language: str | None = None  # lower-cased BCP-47-ish tag: 'zh-cn', 'en'
    hashed: bool = False
    disclosed: bool = False


@dataclass(slots=True)
class Link:
    """A URL found in a tweet or profile: `url` is the normalized key, `raw` as written."""

    url: str
    raw: str
    domain: str | None  # registered domain ('example.co.uk'), None for bare IPs or junk
    is_shortener: bool = False


@dataclass(slots=True)
class Tweet:
    """One tweet. References (retweet_of, reply_to, quotes) are tweet ids; their authors,
    when the input names them, let the loader create stub tweets with an author."""

    tweetid: str
    userid: str
    created_at: datetime | None  # timezone-aware UTC
    time_source: str  # 'snowflake' (ms from the id), 'archive' (minute), 'api' (second)
    text: str | None = None
    language: str | None = None
    is_retweet: bool = False
    retweet_of: str | None = None
    retweet_of_userid: str | None = None
    reply_to: str | None = None
    reply_to_userid: str | None = None
    quotes: str | None = None
    quotes_userid: str | None = None
    client: str | None = None
    like_count: int | None = None
    retweet_count: int | None = None
    reply_count: int | None = None
    quote_count: int | None = None
    hashtags: list[tuple[str, str]] = field(default_factory=list)  # (name, display)
    links: list[Link] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)  # userids
    line: int = 0  # where the tweet's row starts in its file, for a reject found later


@dataclass(slots=True)
class Reject:
    """A row that could not be loaded, with where it was and why."""

    file: str
    line: int
    reason: str
    raw: str = ""  # the start of the offending row, for the rejects report


Record = Account | Tweet | Reject


@dataclass(slots=True)
class FileStats:
    """Per-input counts, updated live while the file is read (a progress bar may poll them).

    `rows` counts input units: CSV records, JSON lines, and the items of v2 response pages.
    `decode_errors` counts invalid UTF-8 sequences, which are replaced by U+FFFD (the row is
    kept: ids are ASCII, so a bad byte can only damage text)."""

    file: str
    format: str
    rows: int = 0
    rejected: int = 0
    decode_errors: int = 0
    tweets: int = 0  # tweet records loaded from it (counted by the loader)


def at_line(records: Iterable[Record], line: int) -> Iterator[Record]:
    """`records` read from one input line, each `Tweet` among them told its line."""
    for record in records:
        if type(record) is Tweet:
            record.line = line
        yield record
