"""Reader for Twitter Information Operations archive CSVs (tweets files and users files).

Columns are mapped by header name (mirrors reorder them). A tweets-file row gives a `Tweet`
and, the first time its userid appears in the file, the author `Account`; a users-file row
gives an `Account` marked `disclosed`. A row that cannot be read (wrong field count, file
ending inside a quoted field, NUL bytes, bad id or time) becomes a `Reject` carrying the
physical line where the row starts; a row never raises.

Speed matters (the loader's budget is 30k rows/s overall): one `itemgetter` call unpacks a
row, ids are checked with C-level string methods before any regex, and times and URLs go
through cached normalizers.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import TextIO

from toolkit.errors import BadInput
from toolkit.sources.files import byte_watch
from toolkit.sources.normalize import (
    MAX_SNOWFLAKE,
    MIN_SNOWFLAKE,
    TWITTER_EPOCH_MS,
    RecentIds,
    archive_minute,
    id_problem,
    is_valid_id,
    ms_to_datetime,
    normalize_hashtag,
    normalize_language,
    normalize_url,
    optional,
    parse_bool,
    parse_count,
    parse_date,
    parse_list,
)
from toolkit.sources.records import Account, FileStats, Link, Record, Reject, Tweet

# Tweet text may hold megabytes; the csv module's default cap is 128 KiB per field.
csv.field_size_limit(2**31 - 1)

USER_COLUMNS = (
    "userid", "user_display_name", "user_screen_name", "user_reported_location",
    "user_profile_description", "user_profile_url", "follower_count", "following_count",
    "account_creation_date", "account_language",
)
TWEET_COLUMNS = (
    "tweetid", *USER_COLUMNS, "tweet_language", "tweet_text", "tweet_time",
    "tweet_client_name", "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid",
    "is_retweet", "retweet_userid", "retweet_tweetid", "latitude", "longitude", "quote_count",
    "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
    "poll_choices",
)
# What a file must have to be read at all; other known columns may be missing (older or
# trimmed mirrors) and then read as empty.
_TWEETS_REQUIRED = frozenset(("tweetid", "userid", "tweet_time"))
_USERS_REQUIRED = frozenset(("userid", "user_screen_name"))
_NOT_TWEET = frozenset((*USER_COLUMNS[1:], "latitude", "longitude", "poll_choices"))
_READ_TWEET_COLUMNS = tuple(c for c in TWEET_COLUMNS if c not in _NOT_TWEET)

Converter = Callable[[list[str]], "tuple[Tweet | None, Account | None] | str"]


def header_kind(header: Sequence[str]) -> str | None:
    """'tweets' or 'users' for an IO-archive header, None for any other CSV."""
    columns = {c.strip() for c in header}
    if columns >= _TWEETS_REQUIRED:
        return "tweets"
    if columns >= _USERS_REQUIRED and "tweetid" not in columns:
        return "users"
    return None


def missing_columns(header: Sequence[str]) -> list[str]:
    """For a header that is nearly an IO-archive one (it has tweetid, or userid and no
    tweetid): the kind ('tweets' or 'users') and the required columns it lacks; [] for
    anything else, so an error can name the column instead of the whole set."""
    columns = {c.strip() for c in header}
    if "tweetid" in columns:
        kind, required = "tweets", _TWEETS_REQUIRED
    elif "userid" in columns:
        kind, required = "users", _USERS_REQUIRED
    else:
        return []
    lacking = sorted(required - columns)
    return [kind, *lacking] if lacking else []


def duplicated_columns(header: Sequence[str]) -> list[str]:
    """Known columns the header names more than once: which one holds the value is
    anybody's guess, so such a file is refused rather than read one way silently."""
    known = set(TWEET_COLUMNS)
    names = [c.strip() for c in header]
    return sorted({c for c in names if c in known and names.count(c) > 1})


def read(stream: TextIO, name: str, stats: FileStats) -> Iterator[Record]:
    """Records of one IO-archive CSV; `stats` counts rows and rejects as they go.

    Non-strict csv, so a file that ends inside a quoted field still yields its last, short
    row: held back one step, it is reported as truncated when nothing follows it."""
    reader = csv.reader(stream)
    watch = byte_watch(stream)
    header = next(reader, None)
    kind = header_kind(header) if header else None
    if header is None or kind is None:
        raise BadInput("not an IO-archive CSV (no tweetid/userid header)", file=name)
    twice = duplicated_columns(header)
    if twice:
        raise BadInput(f"column {twice[0]!r} appears more than once in the header", file=name)
    width = len(header)
    convert = _tweet_converter(header) if kind == "tweets" else _user_converter(header)
    start = reader.line_num + 1
    short: Reject | None = None  # a short row, maybe the truncated end of the file
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if short is not None:
                short.reason += ", and it is the last row: the file is truncated"
                yield short
            return
        except csv.Error as e:
            stats.rows += 1
            stats.rejected += 1
            yield Reject(name, start, f"malformed CSV: {e}")
            start = reader.line_num + 1
            continue
        if short is not None:
            yield short
            short = None
        line = start
        start = reader.line_num + 1
        if not row:
            continue  # blank line: no data
        stats.rows += 1
        if len(row) != width:
            reason = f"{len(row)} fields, expected {width} as in the header"
        elif watch.nul and any("\x00" in field for field in row):
            reason = "NUL byte in row (binary junk or a corrupted download?)"
        else:
            result = convert(row)
            if type(result) is tuple:
                tweet, account = result
                if account is not None:
                    yield account
                if tweet is not None:
                    tweet.line = line
                    yield tweet
                continue
            reason = result  # type: ignore[assignment]
        stats.rejected += 1
        reject = Reject(name, line, reason, ",".join(row)[:200])
        if len(row) < width:
            short = reject
        else:
            yield reject


def _getter(header: list[str], columns: Sequence[str]) -> Callable[[list[str]], tuple[str, ...]]:
    """Unpacks the named columns of a row in one C call; absent columns read as ''."""
    position = {c.strip(): i for i, c in enumerate(header)}
    missing = len(header)
    get = itemgetter(*(position.get(c, missing) for c in columns))
    if all(c in position for c in columns):
        return get  # type: ignore[return-value]
    return lambda row: get([*row, ""])  # type: ignore[no-any-return]


def _account(values: Sequence[str], disclosed: bool) -> Account | str:
    """An Account from the 10 user columns (in USER_COLUMNS order), or a reject reason."""
    userid, display, screen, location, description, url, followers, following, created, lang = (
        values
    )
    if not is_valid_id(userid):
        return id_problem(userid, "userid")
    created_at = parse_date(created) if created else None
    if created and created_at is None:
        return f"account_creation_date {created!r} is not YYYY-MM-DD (re-saved by a spreadsheet?)"
    hashed = not userid.isdigit()
    link = normalize_url(url) if url else None
    return Account(
        userid=userid,
        screen_name=None if hashed and screen == userid else optional(screen),
        display_name=None if hashed and display == userid else optional(display),
        description=optional(description),
        location=optional(location),
        profile_url=link.url if link else None,
        followers=parse_count(followers),
        following=parse_count(following),
        created_at=created_at,
        language=normalize_language(lang),
        hashed=hashed,
        disclosed=disclosed,
    )


def _user_converter(header: list[str]) -> Converter:
    get = _getter(header, USER_COLUMNS)

    def convert(row: list[str]) -> tuple[None, Account] | str:
        account = _account(get(row), disclosed=True)
        return account if isinstance(account, str) else (None, account)

    return convert


def _tweet_converter(header: list[str]) -> Converter:
    """Row -> (Tweet, author Account the first time the author appears) or a reject reason.

    The hot path of the whole toolkit: snowflake decoding is inlined and `Tweet` is built
    positionally (3x cheaper than keywords; tests pin every field of a known row)."""
    get = _getter(header, _READ_TWEET_COLUMNS)
    get_user = _getter(header, USER_COLUMNS)
    seen = RecentIds()
    seen_ids = seen.ids

    def convert(row: list[str]) -> tuple[Tweet, Account | None] | str:
        (tweetid, userid, tlang, text, ttime, client, reply_uid, reply_tid, quoted, is_rt,
         rt_uid, rt_tid, quotes, replies, likes, retweets, tags, urls, mentions) = get(row)
        if not (tweetid.isascii() and tweetid.isdecimal() and len(tweetid) <= 20):
            return id_problem(tweetid, "tweetid")
        author = None
        if userid not in seen_ids:
            author = _account(get_user(row), disclosed=False)
            if isinstance(author, str):
                return author
            seen.add(userid)
        minute = archive_minute(ttime) if ttime else None
        if minute is None and ttime:
            return f"tweet_time {ttime!r} is not YYYY-MM-DD HH:MM (re-saved by a spreadsheet?)"
        number = int(tweetid)
        ms = (number >> 22) + TWITTER_EPOCH_MS
        agrees = minute is None or ms // 60000 == minute[1]
        if agrees and MIN_SNOWFLAKE <= number <= MAX_SNOWFLAKE:
            created_at, time_source = ms_to_datetime(ms), "snowflake"
        elif minute is not None:
            created_at, time_source = minute[0], "archive"
        else:
            return "tweet_time is empty and the tweetid is not a snowflake: no time"
        if reply_uid or reply_tid or quoted or rt_uid or rt_tid:
            problem = _reference_problem(reply_uid, reply_tid, quoted, rt_uid, rt_tid)
            if problem:
                return problem
        retweet = parse_bool(is_rt)
        if retweet is None:
            if is_rt:
                return f"is_retweet {is_rt!r} is not true/false"
            retweet = bool(rt_tid)
        mention_ids = _mentions(mentions) if mentions and mentions != "[]" else ()
        if mention_ids is None:
            return f"user_mentions {mentions[:80]!r} holds a value that is not an id"
        tweet = Tweet(
            tweetid, userid, created_at, time_source, text or None,
            tlang.lower() if tlang else None, retweet,
            rt_tid or None, rt_uid or None, reply_tid or None, reply_uid or None,
            quoted or None, None, client or None,
            int(likes) if likes.isdecimal() else parse_count(likes),
            int(retweets) if retweets.isdecimal() else parse_count(retweets),
            int(replies) if replies.isdecimal() else parse_count(replies),
            int(quotes) if quotes.isdecimal() else parse_count(quotes),
            list(_hashtags(tags)) if tags and tags != "[]" else [],
            _links(urls) if urls and urls != "[]" else [],
            list(mention_ids),
        )
        return tweet, author

    return convert


def _reference_problem(*values: str) -> str | None:
    columns = ("in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid",
               "retweet_userid", "retweet_tweetid")
    for column, value in zip(columns, values, strict=True):
        if value and not is_valid_id(value):
            return id_problem(value, column)
    return None


@lru_cache(maxsize=65536)
def _hashtags(cell: str) -> tuple[tuple[str, str], ...]:
    """Distinct hashtags of a list cell, first spelling wins. Cached: campaigns repeat them."""
    found: dict[str, tuple[str, str]] = {}
    for item in parse_list(cell):
        tag = normalize_hashtag(item)
        if tag is not None and tag[0] not in found:
            found[tag[0]] = tag
    return tuple(found.values())


def _links(cell: str) -> list[Link]:
    """Distinct URLs of a list cell as fresh Links (records are mutable, so none is shared)."""
    return [Link(*parts) for parts in _link_parts(cell)]


@lru_cache(maxsize=65536)
def _link_parts(cell: str) -> tuple[tuple[str, str, str | None, bool], ...]:
    """(url, raw, domain, is_shortener) per distinct URL; junk that is not http(s) is dropped."""
    found: dict[str, tuple[str, str, str | None, bool]] = {}
    for item in parse_list(cell):
        link = normalize_url(item)
        if link is not None and link.url not in found:
            found[link.url] = (link.url, link.raw, link.domain, link.is_shortener)
    return tuple(found.values())


@lru_cache(maxsize=65536)
def _mentions(cell: str) -> tuple[str, ...] | None:
    """Distinct mentioned user ids; '0' (the archive's "unknown") is dropped; None if any
    item is not an id."""
    ids: dict[str, None] = {}
    for item in parse_list(cell):
        if item == "0":
            continue
        if not is_valid_id(item):
            return None
        ids[item] = None
    return tuple(ids)
