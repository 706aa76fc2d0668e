"""Value normalization shared by every reader (text for comparison is `toolkit.sources.text`).

Readers call these once per field in the hot path, so the common case is a couple of C-level
string methods; regexes are compiled once here, and the functions whose inputs repeat a lot
(URLs, hashtags, archive minutes) are cached. Nothing here raises for bad input: a `None`
return means "not a valid value", and the reader decides whether that rejects the row.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import ural

from toolkit.sources.records import Link

# --- ids -------------------------------------------------------------------------------------

TWITTER_EPOCH_MS = 1288834974657
"""Snowflake epoch: 2010-11-04T01:42:54.657Z. `(id >> 22) + TWITTER_EPOCH_MS` is the id's time."""

# Pre-snowflake ids were sequential and stayed below ~3e10, which decodes to the first seconds
# after the epoch. No snowflake was minted in the epoch's first minute, so ids below this bound
# are sequential and carry no time.
MIN_SNOWFLAKE = 60_000 << 22
MAX_SNOWFLAKE = (1 << 63) - 1

# Hashed ids in IO-archive releases: 64 hex chars (2018) or ~43 base64 chars (2019 onwards,
# lengths 41-44 because the hashes are not fixed width).
_HASH_RE = re.compile(r"(?=[A-Za-z0-9+/=]{41,44}$)[A-Za-z0-9+/]+={0,2}|[0-9a-fA-F]{64}")
_SCIENTIFIC_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")


def is_numeric_id(value: str) -> bool:
    """A platform id written out in full: ASCII digits, at most 20 of them (64 bits)."""
    return value.isascii() and value.isdecimal() and len(value) <= 20


def is_hashed_id(value: str) -> bool:
    """An id replaced by a hash in a release (accounts under 5,000 followers)."""
    return _HASH_RE.fullmatch(value) is not None


def is_valid_id(value: str) -> bool:
    """A usable key: a numeric id or a release hash."""
    return is_numeric_id(value) or is_hashed_id(value)


def looks_scientific(value: str) -> bool:
    """A number in scientific notation ('1.01421E+18'): what a spreadsheet makes of an id."""
    return _SCIENTIFIC_RE.fullmatch(value.strip()) is not None


def id_problem(value: str, column: str) -> str:
    """Why `value` is not a valid id, phrased for the rejects report. Only called on failure."""
    if not value:
        return f"{column} is empty"
    if looks_scientific(value):
        return (
            f"{column} {value!r} is in scientific notation: the file was re-saved by a"
            " spreadsheet and the id is lost; use the original release file"
        )
    return f"{column} {value!r} is neither a numeric id nor a release hash"


def snowflake_ms(tweetid: str) -> int | None:
    """Milliseconds since 1970 encoded in a snowflake id, or None for a non-snowflake id."""
    if not (tweetid.isascii() and tweetid.isdecimal()):
        return None
    n = int(tweetid)
    if n < MIN_SNOWFLAKE or n > MAX_SNOWFLAKE:
        return None
    return (n >> 22) + TWITTER_EPOCH_MS


def ms_to_datetime(ms: int) -> datetime:
    """UTC datetime for milliseconds since 1970. Through a float, but exact: the error of
    ms / 1000 is far below the microsecond that `fromtimestamp` rounds to."""
    return datetime.fromtimestamp(ms / 1000, UTC)


def snowflake_time(tweetid: str) -> datetime | None:
    """Creation time (ms precision, UTC) of a snowflake tweet id; None for older or bad ids."""
    ms = snowflake_ms(tweetid)
    return None if ms is None else ms_to_datetime(ms)


# --- times -----------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def parse_archive_time(value: str) -> datetime | None:
    """IO-archive `tweet_time`, 'YYYY-MM-DD HH:MM' (seconds tolerated), as UTC; else None."""
    parsed = archive_minute(value)
    return None if parsed is None else parsed[0]


@lru_cache(maxsize=65536)
def archive_minute(value: str) -> tuple[datetime, int] | None:
    """`tweet_time` as (UTC datetime, minutes since 1970), cached: a file holds far fewer
    distinct minutes than rows, and the minute number makes the snowflake check one division.
    The cache holds 45 days of minutes: files ordered by account revisit a whole period."""
    if len(value) not in (16, 19) or value[4] != "-" or value[10] not in " T":
        return None
    try:
        parsed = datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None
    return parsed, int(parsed.timestamp()) // 60


def parse_date(value: str) -> date | None:
    """'YYYY-MM-DD' as a date; anything else (e.g. spreadsheet '7/3/2018') is None."""
    if len(value) != 10 or value[4] != "-":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_iso_time(value: str) -> datetime | None:
    """API v2 '2021-09-22T16:37:29.000Z' as an aware UTC datetime; None when malformed."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_twitter_time(value: str) -> datetime | None:
    """API v1.1 'Mon Nov 02 20:15:59 +0000 2015' as UTC; None when malformed.

    Split by hand: `strptime` with %a/%b is locale-dependent and several times slower."""
    parts = value.split(" ") if isinstance(value, str) else []
    if len(parts) != 6 or parts[1] not in _MONTHS or len(parts[4]) != 5:
        return None
    try:
        hh, mm, ss = (int(x) for x in parts[3].split(":"))
        parsed = datetime(int(parts[5]), _MONTHS[parts[1]], int(parts[2]), hh, mm, ss, tzinfo=UTC)
        sign = -1 if parts[4][0] == "-" else 1
        offset = timedelta(hours=int(parts[4][1:3]), minutes=int(parts[4][3:5]))
    except ValueError:
        return None
    return parsed - sign * offset


def tweet_time(
    tweetid: str, stated: datetime | None, precision_s: int
) -> tuple[datetime | None, str]:
    """`created_at` and `time_source` for a tweet: the snowflake time (ms) when the id is one
    and agrees with the stated time to `precision_s` (60 for the archive's minutes), else the
    stated time with source 'archive' (minute precision) or 'api' (second precision)."""
    fallback = "archive" if precision_s == 60 else "api"
    ms = snowflake_ms(tweetid)
    if ms is None:
        return stated, fallback
    if stated is not None and ms // 1000 // precision_s != int(stated.timestamp()) // precision_s:
        return stated, fallback
    return ms_to_datetime(ms), "snowflake"


# --- scalar columns --------------------------------------------------------------------------

_ABSENT = frozenset(("", "absent"))


def optional(value: str) -> str | None:
    """Archive text cell: '' and the archive's literal 'absent' mean no value."""
    return None if value in _ABSENT else value


def parse_bool(value: str) -> bool | None:
    """'True'/'true'/'False'/'false' (and '1'/'0'); None for anything else."""
    return _BOOLS.get(value)


_BOOLS = {"True": True, "true": True, "TRUE": True, "1": True,
          "False": False, "false": False, "FALSE": False, "0": False}


def parse_count(value: str) -> int | None:
    """A count cell: '12' or the float form '12.0' some releases use; None when not a count."""
    if value.isdecimal():
        return int(value)
    head, dot, tail = value.partition(".")
    if dot and head.isdecimal() and (not tail or set(tail) == {"0"}):
        return int(head)
    return None


def normalize_language(value: str | None) -> str | None:
    """Language tag lower-cased ('zh-CN' -> 'zh-cn'); None when empty."""
    if not value:
        return None
    return value.strip().lower() or None


# --- list columns ----------------------------------------------------------------------------

_QUOTED_ITEM_RE = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def parse_list(value: str) -> list[str]:
    """An archive list cell: '', '[]', '[a, b]' or Python-literal "['a', 'b']".

    Not JSON: quoted items are Python reprs (a quote inside an item switches the quote
    character, backslashes escape), so escaped cells go through `ast.literal_eval`."""
    inner = value.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1].strip()
    if not inner:
        return []
    if "'" not in inner and '"' not in inner:
        return [item.strip() for item in inner.split(",") if item.strip()]
    if "\\" in inner:
        try:
            parsed = ast.literal_eval("[" + inner + "]")
        except (ValueError, SyntaxError):
            parsed = None
        if isinstance(parsed, list) and all(isinstance(x, str) for x in parsed):
            return parsed
    return [single or double for single, double in _QUOTED_ITEM_RE.findall(inner)]


# --- hashtags, URLs --------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def normalize_hashtag(raw: str) -> tuple[str, str] | None:
    """(name, display) for a hashtag: display is as written without the leading '#'; name is
    its NFKC case-fold (so '＃ＢＲＥＸＩＴ', '#Brexit' and 'brexit' meet). None when empty."""
    display = raw.strip().lstrip("#＃").strip()
    if not display:
        return None
    name = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", display).casefold())
    name = name.strip().lstrip("#").strip()  # NFKC can expose spaces or '#' (e.g. '¯', '﹟')
    return (name, display) if name else None


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@lru_cache(maxsize=65536)
def _url_parts(raw: str) -> tuple[str, str | None, bool] | None:
    """(normalized url, registered domain, is_shortener), cached: the same URL recurs."""
    text = raw.strip()
    if not text:
        return None
    if not _SCHEME_RE.match(text):
        if not ural.is_url(text, require_protocol=False, tld_aware=True):
            return None
        text = "http://" + text
    scheme = text.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        return None
    try:
        return _ural_parts(text)
    except _URAL_ERRORS:  # ural raises on some junk ('HTTP://' has no host): not a URL
        return None


# What ural raises on junk it cannot split; `normalize_url` must never raise on input.
_URAL_ERRORS = (ValueError, AttributeError, TypeError, IndexError, KeyError, UnicodeError)


def _ural_parts(text: str) -> tuple[str, str | None, bool] | None:
    # To a fixed point, at most 3 passes; a second pass only matters where unquoting
    # ('%2F') can leave a new trailing slash, so URLs without '%' get one.
    passes = 3 if "%" in text else 1
    url = text
    for _ in range(passes):
        again = ural.normalize_url(url, **_URAL_OPTIONS)
        if not again or again == url:
            break
        url = again
    host = urlsplit(url).hostname
    if not host:
        return None
    domain, shortener_host = _host_facts(host)
    return url, domain, shortener_host and bool(ural.is_shortened_url(url))


# ural's rules without its protocol/'www'/AMP stripping and redirect inference.
_URAL_OPTIONS = {"strip_protocol": False, "strip_irrelevant_subdomains": False,
                 "infer_redirection": False, "normalize_amp": False}


@lru_cache(maxsize=65536)
def _host_facts(host: str) -> tuple[str | None, bool]:
    """(registered domain, whether the host is a shortener's): both depend on the host
    alone, which recurs far more than URLs do (ural's tries cost ~60 us a URL)."""
    return (ural.get_domain_name(f"http://{host}/"),
            bool(ural.is_shortened_url(f"http://{host}/x")))


def normalize_url(raw: str) -> Link | None:
    """A `Link` for an http(s) URL, None for junk or other schemes.

    The key keeps scheme and host (lower-cased) and path, drops default ports, credentials,
    tracking parameters (utm_*, fbclid, gclid, ...), the trailing slash and the fragment
    (except '#!' routes), and sorts the query: ural's rules, with its protocol/'www'/AMP
    stripping and redirect inference turned off so distinct URLs stay distinct. The domain
    and the shortener flag come from ural's bundled lists: nothing is fetched."""
    parts = _url_parts(raw)
    if parts is None:
        return None
    return Link(url=parts[0], raw=raw, domain=parts[1], is_shortener=parts[2])


# --- per-file de-duplication -----------------------------------------------------------------


class RecentIds:
    """Ids a reader has already emitted from one file, so an author seen in many rows is sent
    to the loader once. Bounded: past `cap` ids it starts afresh, which can only re-send a
    duplicate (the loader MERGEs anyway) and keeps memory flat whatever the file size."""

    __slots__ = ("cap", "ids")

    def __init__(self, cap: int = 1_000_000) -> None:
        self.cap = cap
        self.ids: set[str] = set()

    def __contains__(self, key: str) -> bool:
        return key in self.ids

    def add(self, key: str) -> None:
        if len(self.ids) >= self.cap:
            self.ids.clear()
        self.ids.add(key)


# What reading an API object of an unexpected shape raises (a list where a dict belongs,
# `"includes": true`): the line or item becomes a Reject, it never stops the load.
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def shape_problem(error: Exception) -> str:
    """The reject reason for an object of an unexpected shape, on one line."""
    detail = " ".join(str(error).split())[:120]
    return f"not a tweet of the expected structure ({type(error).__name__}: {detail})"


class SeenInFile:
    """What one API file already sent: full accounts, any account (stubs included), and
    embedded or included tweets."""

    __slots__ = ("any", "full", "tweets")

    def __init__(self) -> None:
        self.full = RecentIds()
        self.any = RecentIds()
        self.tweets = RecentIds()
