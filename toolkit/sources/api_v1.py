"""Reader for Twitter API v1.1 tweet JSON, one object per line (streaming or REST dumps,
Gnip 'original format').

Embedded retweeted and quoted tweets become Tweets of their own, their authors and the
mentioned users Accounts, so a retweet ring is visible even when only the retweets were
collected. Lines that are not tweets (stream `limit`/`delete` notices, junk) become Rejects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from toolkit.sources.normalize import (
    SHAPE_ERRORS,
    SeenInFile,
    id_problem,
    is_numeric_id,
    normalize_hashtag,
    normalize_language,
    normalize_url,
    parse_twitter_time,
    shape_problem,
    tweet_time,
)
from toolkit.sources.records import Account, FileStats, Link, Record, Reject, Tweet, at_line

# Stream messages that are not tweets: https://developer.twitter.com (v1.1 streaming docs).
NOTICES = ("limit", "delete", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
           "warning", "event", "friends", "direct_message")
_ANCHOR_RE = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL | re.IGNORECASE)


def looks_like(obj: dict[str, Any]) -> bool:
    """A v1.1 tweet or one of the stream's notices (so sniffing can skip those)."""
    if any(key in obj for key in NOTICES):
        return True
    return "id_str" in obj and isinstance(obj.get("user"), dict)


def is_notice(obj: dict[str, Any]) -> bool:
    """A stream notice, which sniffing skips to reach the first tweet."""
    return "id_str" not in obj and any(key in obj for key in NOTICES)


def read(stream: TextIO, name: str, stats: FileStats) -> Iterator[Record]:
    """Records of one v1.1 JSONL file; one input row per non-blank line."""
    seen = SeenInFile()
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        stats.rows += 1
        records = _line_records(line, seen)
        if isinstance(records, str):
            stats.rejected += 1
            yield Reject(name, number, records, line[:200])
        else:
            yield from at_line(records, number)


def _line_records(line: str, seen: SeenInFile) -> list[Record] | str:
    try:
        obj = json.loads(line)
    except RecursionError:
        return "JSON nested too deeply to be a tweet"
    except ValueError as e:
        return f"invalid JSON: {e}"
    if not isinstance(obj, dict):
        return "not a JSON object"
    if is_notice(obj):
        kind = next(key for key in NOTICES if key in obj)
        return f"not a tweet: a {kind!r} stream notice"
    out: list[Record] = []
    try:
        problem = _tweet(obj, seen, out, embedded=False)
    except SHAPE_ERRORS as e:
        return shape_problem(e)
    return problem if problem else out


def _tweet(obj: dict[str, Any], seen: SeenInFile, out: list[Record], embedded: bool) -> str | None:
    """Append the records of one tweet (authors, embedded tweets, then the tweet) to `out`;
    return a reject reason instead when the tweet has no usable id, author or time."""
    tweetid = _id(obj)
    user = obj.get("user")
    userid = _id(user) if isinstance(user, dict) else ""
    if not is_numeric_id(tweetid):
        return id_problem(tweetid, "id_str")
    if not is_numeric_id(userid):
        return id_problem(userid, "user.id_str")
    if embedded and tweetid in seen.tweets:
        return None
    stated = parse_twitter_time(obj.get("created_at") or "")
    created_at, time_source = tweet_time(tweetid, stated, 1)
    if created_at is None:
        return f"created_at {obj.get('created_at')!r} is not a v1.1 time and the id no snowflake"
    _account(user, seen, out)  # type: ignore[arg-type]

    retweeted = _embedded(obj.get("retweeted_status"), seen, out)
    quoted = _embedded(obj.get("quoted_status"), seen, out)
    extended = obj.get("extended_tweet") or {}
    entities = extended.get("entities") or obj.get("entities") or {}
    mentions: dict[str, None] = {}
    for mention in entities.get("user_mentions") or ():
        mentioned = _id(mention)
        if is_numeric_id(mentioned):
            mentions[mentioned] = None
            _stub(mentioned, mention.get("screen_name"), mention.get("name"), seen, out)
    reply_userid = _str(obj.get("in_reply_to_user_id_str") or obj.get("in_reply_to_user_id"))
    if reply_userid:
        _stub(reply_userid, obj.get("in_reply_to_screen_name"), None, seen, out)
    out.append(Tweet(
        tweetid=tweetid,
        userid=userid,
        created_at=created_at,
        time_source=time_source,
        text=extended.get("full_text") or obj.get("full_text") or obj.get("text"),
        language=normalize_language(obj.get("lang")),
        is_retweet=retweeted is not None,
        retweet_of=retweeted[0] if retweeted else None,
        retweet_of_userid=retweeted[1] if retweeted else None,
        reply_to=_str(obj.get("in_reply_to_status_id_str") or obj.get("in_reply_to_status_id")),
        reply_to_userid=reply_userid,
        quotes=quoted[0] if quoted else _str(obj.get("quoted_status_id_str")),
        quotes_userid=quoted[1] if quoted else None,
        client=client_name(obj.get("source")),
        like_count=_int(obj.get("favorite_count")),
        retweet_count=_int(obj.get("retweet_count")),
        reply_count=_int(obj.get("reply_count")),
        quote_count=_int(obj.get("quote_count")),
        hashtags=_hashtags(entities),
        links=_links(entities),
        mentions=list(mentions),
    ))
    if embedded:
        seen.tweets.add(tweetid)
    return None


def _embedded(obj: Any, seen: SeenInFile, out: list[Record]) -> tuple[str, str] | None:
    """(tweetid, userid) of an embedded retweeted/quoted tweet, whose records are appended.
    A malformed embedded tweet adds nothing: the outer tweet still stands on its own."""
    if not isinstance(obj, dict):
        return None
    if _tweet(obj, seen, out, embedded=True) is not None:
        return None
    return _id(obj), _id(obj["user"])


def _account(user: dict[str, Any], seen: SeenInFile, out: list[Record]) -> None:
    userid = _id(user)
    if userid in seen.full:
        return
    seen.full.add(userid)
    seen.any.add(userid)
    profile = ((user.get("entities") or {}).get("url") or {}).get("urls") or [{}]
    link = normalize_url(profile[0].get("expanded_url") or user.get("url") or "")
    created = parse_twitter_time(user.get("created_at") or "")
    out.append(Account(
        userid=userid,
        screen_name=user.get("screen_name"),
        display_name=user.get("name"),
        description=user.get("description") or None,
        location=user.get("location") or None,
        profile_url=link.url if link else None,
        followers=_int(user.get("followers_count")),
        following=_int(user.get("friends_count")),
        created_at=created.date() if created else None,
        language=normalize_language(user.get("lang")),
    ))


def _stub(userid: str, screen_name: Any, name: Any, seen: SeenInFile, out: list[Record]) -> None:
    """An account known only by id and handle (a mention or a reply target)."""
    if userid in seen.any:
        return
    seen.any.add(userid)
    out.append(Account(userid=userid, screen_name=screen_name or None, display_name=name or None))


def client_name(source: Any) -> str | None:
    """The app name from v1.1 `source`, an HTML anchor ('<a href=...>Twitter for iPhone</a>')."""
    if not isinstance(source, str) or not source:
        return None
    match = _ANCHOR_RE.search(source)
    return (match.group(1) if match else source).strip() or None


def _hashtags(entities: dict[str, Any]) -> list[tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for item in entities.get("hashtags") or ():
        tag = normalize_hashtag(item.get("text") or "")
        if tag is not None and tag[0] not in found:
            found[tag[0]] = tag
    return list(found.values())


def _links(entities: dict[str, Any]) -> list[Link]:
    """Links in the text; `media` entities (the tweet's own photos) are not links out."""
    found: dict[str, Link] = {}
    for item in entities.get("urls") or ():
        link = normalize_url(item.get("expanded_url") or item.get("url") or "")
        if link is not None and link.url not in found:
            found[link.url] = link
    return list(found.values())


def _id(obj: Any) -> str:
    """id_str, or the numeric id written as a string; '' when neither is there."""
    if not isinstance(obj, dict):
        return ""
    return _str(obj.get("id_str") or obj.get("id")) or ""


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    return str(value) or None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
