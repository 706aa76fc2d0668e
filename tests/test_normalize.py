"""Value normalization: examples from the real releases, plus properties with hypothesis."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from toolkit.sources.normalize import (
    TWITTER_EPOCH_MS,
    id_problem,
    is_hashed_id,
    is_valid_id,
    normalize_hashtag,
    normalize_language,
    normalize_url,
    optional,
    parse_archive_time,
    parse_bool,
    parse_count,
    parse_date,
    parse_iso_time,
    parse_list,
    parse_twitter_time,
    snowflake_time,
    tweet_time,
)

# Hypothesis on a shared 2-core machine: fewer examples, no per-example deadline.
settings.register_profile("sources", max_examples=60, deadline=None)
settings.load_profile("sources")

# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("HTTP://WWW.Example.COM:80/a/b/", "http://www.example.com/a/b"),
        ("https://example.com:443/x?utm_source=tw&utm_medium=s&id=7", "https://example.com/x?id=7"),
        ("https://example.com/x?fbclid=abc&gclid=def", "https://example.com/x"),
        ("https://example.com/page#section-2", "https://example.com/page"),
        ("https://example.com:8443/x/", "https://example.com:8443/x"),
        ("https://example.com/?b=2&a=1", "https://example.com?a=1&b=2"),
        ("example.com/path", "http://example.com/path"),
    ],
)
def test_normalize_url_examples(raw: str, url: str) -> None:
    link = normalize_url(raw)
    assert link is not None
    assert link.url == url
    assert link.raw == raw


def test_registered_domain_uses_the_public_suffix_list() -> None:
    link = normalize_url("https://news.bbc.co.uk/story")
    assert link is not None and link.domain == "bbc.co.uk"


def test_bare_ip_has_no_domain() -> None:
    link = normalize_url("http://192.0.2.7/x")
    assert link is not None and link.domain is None


def test_shorteners_are_flagged() -> None:
    assert normalize_url("https://bit.ly/3abcDEF").is_shortener  # type: ignore[union-attr]
    assert normalize_url("https://t.co/x9PTLhaz76").is_shortener  # type: ignore[union-attr]
    assert not normalize_url("https://example.org/a").is_shortener  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", ["", "   ", "absent", "javascript:alert(1)", "ftp://x.org/f"])
def test_junk_is_not_a_link(raw: str) -> None:
    assert normalize_url(raw) is None


@given(urls())
def test_normalize_url_is_idempotent(raw: str) -> None:
    link = normalize_url(raw)
    assert link is not None
    again = normalize_url(link.url)
    assert again is not None and again.url == link.url


@given(urls(), st.sampled_from(["utm_source", "utm_campaign", "fbclid", "gclid"]))
def test_tracking_parameters_never_survive(raw: str, param: str) -> None:
    base = raw.split("#", 1)[0]
    tracked = f"{base}{'&' if '?' in base else '?'}{param}=xyz"
    link = normalize_url(tracked)
    assert link is not None
    assert f"{param}=" not in link.url
    assert link.url == normalize_url(base).url  # type: ignore[union-attr]


@given(urls())
def test_scheme_and_host_are_lower_case(raw: str) -> None:
    scheme, rest = raw.split("://", 1)
    host, slash, path = rest.partition("/")
    shouted = f"{scheme.upper()}://{host.upper()}{slash}{path}"
    assert normalize_url(shouted).url == normalize_url(raw).url  # type: ignore[union-attr]


# --- hashtags and text -----------------------------------------------------------------------


def test_hashtag_name_is_nfkc_casefolded_display_keeps_spelling() -> None:
    assert normalize_hashtag("#Brexit") == ("brexit", "Brexit")
    assert normalize_hashtag("ＢＲＥＸＩＴ")[0] == "brexit"  # type: ignore[index]
    assert normalize_hashtag("＃Straße") == ("strasse", "Straße")
    assert normalize_hashtag("#") is None


@given(st.text(min_size=1))
def test_hashtag_name_is_a_fixed_point(raw: str) -> None:
    tag = normalize_hashtag(raw)
    if tag is not None:
        again = normalize_hashtag(tag[0])
        assert again is not None and again[0] == tag[0]


@given(st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1))
def test_hashtag_case_does_not_matter(raw: str) -> None:
    assert normalize_hashtag(raw.upper())[0] == normalize_hashtag(raw.lower())[0]  # type: ignore[index]


# --- ids and times ---------------------------------------------------------------------------


def test_snowflake_time_of_a_real_archive_tweet() -> None:
    # Russia sample: tweetid 894109669869985793, tweet_time "2017-08-06 08:15".
    assert snowflake_time("894109669869985793") == datetime(2017, 8, 6, 8, 15, 31, 708000, UTC)


@pytest.mark.parametrize("tweetid", ["25712847277", "20", "", "abc", "1.01421E+18", str(1 << 63)])
def test_non_snowflakes_have_no_time(tweetid: str) -> None:
    assert snowflake_time(tweetid) is None


@given(
    st.integers(min_value=TWITTER_EPOCH_MS + 60_000, max_value=TWITTER_EPOCH_MS + (1 << 41) - 1),
    st.integers(min_value=0, max_value=(1 << 22) - 1),
)
def test_snowflake_time_is_exact_to_the_millisecond(ms: int, low_bits: int) -> None:
    tweetid = str(((ms - TWITTER_EPOCH_MS) << 22) | low_bits)
    expected = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    assert snowflake_time(tweetid) == expected


def test_tweet_time_prefers_an_agreeing_snowflake() -> None:
    stated = datetime(2017, 8, 6, 8, 15, tzinfo=UTC)
    created, source = tweet_time("894109669869985793", stated, 60)
    assert source == "snowflake" and created.second == 31  # type: ignore[union-attr]
    wrong = datetime(2017, 8, 6, 9, 15, tzinfo=UTC)
    assert tweet_time("894109669869985793", wrong, 60) == (wrong, "archive")
    assert tweet_time("25712847277", stated, 1) == (stated, "api")


@pytest.mark.parametrize(
    "value",
    ["vMm2zemFOF7kmXoDyX24Bo+TorqhNutpZlATYyxsE=", "iZ328VglWrG25qPym1bifLoiwXD9v1+A3G4WU5AThso=",
     "a" * 64],
)
def test_release_hashes_are_hashed_ids(value: str) -> None:
    assert is_hashed_id(value) and is_valid_id(value)


@given(st.text(alphabet=string.ascii_letters + string.digits + "+/", min_size=40, max_size=43))
def test_base64_like_hashes_are_valid_ids(body: str) -> None:
    assert is_valid_id(body + "=")


@given(st.integers(min_value=0, max_value=(1 << 64) - 1))
def test_numeric_ids_are_valid(number: int) -> None:
    assert is_valid_id(str(number)) and not is_hashed_id(str(number))


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=99999),
       st.integers(min_value=10, max_value=19))
def test_spreadsheet_ids_are_rejected_with_the_reason(lead: int, digits: int, exp: int) -> None:
    mangled = f"{lead}.{digits}E+{exp}"
    assert not is_valid_id(mangled)
    assert "scientific notation" in id_problem(mangled, "tweetid")


def test_archive_and_api_times() -> None:
    assert parse_archive_time("2017-08-06 08:15") == datetime(2017, 8, 6, 8, 15, tzinfo=UTC)
    assert parse_archive_time("8/6/2017 08:15") is None
    assert parse_date("2015-11-06") == date(2015, 11, 6)
    assert parse_date("7/3/2018") is None
    assert parse_iso_time("2021-09-22T16:37:29.000Z") == datetime(
        2021, 9, 22, 16, 37, 29, tzinfo=UTC)
    assert parse_twitter_time("Mon Nov 02 20:15:59 +0000 2015") == datetime(
        2015, 11, 2, 20, 15, 59, tzinfo=UTC)
    assert parse_twitter_time("Mon Nov 02 22:15:59 +0200 2015") == datetime(
        2015, 11, 2, 20, 15, 59, tzinfo=UTC)
    assert parse_twitter_time("yesterday") is None


@given(st.datetimes(min_value=datetime(2006, 3, 21), max_value=datetime(2099, 12, 31)))
def test_twitter_time_round_trips(moment: datetime) -> None:
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    written = moment.strftime("%a %b %d %H:%M:%S +0000 %Y")
    assert parse_twitter_time(written) == moment


@given(st.datetimes(min_value=datetime(2006, 3, 21), max_value=datetime(2099, 12, 31)))
def test_archive_time_round_trips(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0, tzinfo=UTC)
    assert parse_archive_time(moment.strftime("%Y-%m-%d %H:%M")) == moment


# --- list columns and scalars ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("", []),
        ("[]", []),
        ("[a, b]", ["a", "b"]),
        ("['SyrianArmy', 'Hama', 'InsideSyriaMC']", ["SyrianArmy", "Hama", "InsideSyriaMC"]),
        ("['http://x.org/a,b', 'https://y.org/']", ["http://x.org/a,b", "https://y.org/"]),
        ("[4125840934, 0]", ["4125840934", "0"]),
        ('["it\'s", \'b\']', ["it's", "b"]),
    ],
)
def test_parse_list_examples(cell: str, items: list[str]) -> None:
    assert parse_list(cell) == items


@given(st.lists(st.text()))
def test_parse_list_reads_python_list_reprs(items: list[str]) -> None:
    assert parse_list(repr(items)) == items


_BARE = st.text(alphabet=string.ascii_letters + string.digits + "_#:/.-", min_size=1)


@given(st.lists(_BARE))
def test_parse_list_reads_bare_lists(items: list[str]) -> None:
    assert parse_list("[" + ", ".join(items) + "]") == items


def test_scalars() -> None:
    assert [parse_bool(v) for v in ("True", "true", "False", "false", "yes")] == [
        True, True, False, False, None]
    assert [parse_count(v) for v in ("12", "12.0", "0", "", "absent", "12.5", "-1")] == [
        12, 12, 0, None, None, None, None]
    assert optional("absent") is None and optional("") is None and optional("Syria") == "Syria"
    assert normalize_language("zh-CN") == "zh-cn"
    assert normalize_language("") is None


@given(st.integers(min_value=0, max_value=10**12))
def test_counts_as_ints_or_floats(count: int) -> None:
    assert parse_count(str(count)) == count
    assert parse_count(f"{count}.0") == count
