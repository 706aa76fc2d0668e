"""Reader for Twitter API v2 JSONL as twarc2 writes it: response pages (`data` plus
`includes.users`/`includes.tweets`), flattened tweets (`twarc2 flatten`: `author` and the
referenced tweets inline), and user-lookup pages whose `data` are users.

Page items are the input rows (a page line holds up to 100); a bad item is rejected with
the page's line number and its index. `errors` in a page describe tweets the API could not
return (deleted, protected): they are not input rows and are skipped.
"""

from __future__ import annotations

import json
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
    parse_date,
    parse_iso_time,
    shape_problem,
    tweet_time,
)
from toolkit.sources.records import Account, FileStats, Link, Record, Reject, Tweet, at_line

_REFERENCE_KINDS = ("retweeted", "quoted", "replied_to")


def looks_like(obj: dict[str, Any]) -> bool:
    """A v2 page (`data`/`includes`) or a flattened v2 tweet (`author_id` + ISO time)."""
    if "data" in obj and isinstance(obj["data"], list | dict):
        return True
    return "id" in obj and ("author_id" in obj or "author" in obj) and "id_str" not in obj


def read(stream: TextIO, name: str, stats: FileStats) -> Iterator[Record]:
    """Records of one v2 JSONL file."""
    seen = SeenInFile()
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as e:
            reason = ("JSON nested too deeply to be a tweet" if isinstance(e, RecursionError)
                      else f"invalid JSON: {e}")
            stats.rows += 1
            stats.rejected += 1
            yield Reject(name, number, reason, line[:200])
            continue
        if isinstance(obj, dict) and "data" in obj:
            rows, rejected = stats.rows, stats.rejected
            try:
                records = list(_page(obj, name, number, stats, seen))
            except SHAPE_ERRORS as e:  # the page's frame (includes) is broken: reject it
                stats.rows, stats.rejected = rows + 1, rejected + 1
                records = [Reject(name, number, shape_problem(e), line[:200])]
            yield from records
            continue
        stats.rows += 1
        out: list[Record] = []
        try:
            problem = _flat(obj, seen, out) if isinstance(obj, dict) else "not a JSON object"
        except SHAPE_ERRORS as e:
            problem, out = shape_problem(e), []
        if problem:
            stats.rejected += 1
            yield Reject(name, number, problem, line[:200])
        else:
            yield from at_line(out, number)


def _page(page: dict[str, Any], name: str, number: int, stats: FileStats,
          seen: SeenInFile) -> Iterator[Record]:
    data = page["data"] if isinstance(page["data"], list) else [page["data"]]
    includes = page.get("includes") or {}
    included_tweets = {t.get("id"): t for t in includes.get("tweets") or () if isinstance(t, dict)}
    # Older captures give mentions as usernames only: find their ids among the included users.
    names = {str(u.get("username", "")).lower(): str(u.get("id", ""))
             for u in includes.get("users") or () if isinstance(u, dict)}
    out: list[Record] = []
    for user in includes.get("users") or ():
        if isinstance(user, dict) and is_numeric_id(str(user.get("id", ""))):
            _account(user, seen, out)
    for tweet in included_tweets.values():
        if tweet.get("id") not in seen.tweets and not _tweet(tweet, included_tweets, seen, out,
                                                             names):
            seen.tweets.add(tweet["id"])
    yield from at_line(out, number)
    for index, item in enumerate(data):
        stats.rows += 1
        out = []
        if not isinstance(item, dict):
            problem: str | None = "not a JSON object"
        elif "username" in item:
            problem = None if _account(item, seen, out) else id_problem(str(item.get("id")), "id")
        else:
            try:
                problem = _tweet(item, included_tweets, seen, out, names)
            except SHAPE_ERRORS as e:
                problem, out = shape_problem(e), []
        if problem:
            stats.rejected += 1
            yield Reject(name, number, f"data[{index}]: {problem}", json.dumps(item)[:200])
        else:
            yield from at_line(out, number)


def _flat(obj: dict[str, Any], seen: SeenInFile, out: list[Record]) -> str | None:
    """A `twarc2 flatten` line: the tweet with `author`, `in_reply_to_user`, mentioned users
    and the referenced tweets (each with its own `author`) inline."""
    inline = {ref.get("id"): ref for ref in obj.get("referenced_tweets") or ()
              if isinstance(ref, dict) and "author_id" in ref}
    for user in (obj.get("author"), obj.get("in_reply_to_user")):
        if isinstance(user, dict) and is_numeric_id(str(user.get("id", ""))):
            _account(user, seen, out)
    for ref in inline.values():
        author = ref.get("author")
        if isinstance(author, dict) and is_numeric_id(str(author.get("id", ""))):
            _account(author, seen, out)
        if ref["id"] not in seen.tweets and not _tweet(ref, {}, seen, out):
            seen.tweets.add(ref["id"])
    return _tweet(obj, inline, seen, out)


def _tweet(obj: dict[str, Any], referenced: dict[Any, dict[str, Any]], seen: SeenInFile,
           out: list[Record], names: dict[str, str] | None = None) -> str | None:
    """Append one tweet (after its mentioned users) to `out`, or return a reject reason.
    `referenced` maps tweet ids to included tweets, for the authors of what it references;
    `names` maps lower-cased usernames to ids, for mentions given without an id."""
    tweetid = str(obj.get("id", ""))
    userid = str(obj.get("author_id") or (obj.get("author") or {}).get("id") or "")
    if not is_numeric_id(tweetid):
        return id_problem(tweetid, "id")
    if not is_numeric_id(userid):
        return id_problem(userid, "author_id")
    created_at, time_source = tweet_time(tweetid, parse_iso_time(obj.get("created_at")), 1)
    if created_at is None:
        return f"created_at {obj.get('created_at')!r} is not ISO 8601 and the id no snowflake"
    refs: dict[str, tuple[str, str | None]] = {}
    for ref in obj.get("referenced_tweets") or ():
        kind, refid = ref.get("type"), str(ref.get("id", ""))
        if kind in _REFERENCE_KINDS and is_numeric_id(refid):
            author = (referenced.get(refid) or ref).get("author_id")
            refs[kind] = (refid, str(author) if author else None)
    note = obj.get("note_tweet") or {}
    entities = note.get("entities") or obj.get("entities") or {}
    mentions: dict[str, None] = {}
    for mention in entities.get("mentions") or ():
        username = str(mention.get("username", "")).lower()
        mentioned = str(mention.get("id") or (names or {}).get(username, ""))
        if is_numeric_id(mentioned):
            mentions[mentioned] = None
            if mentioned not in seen.any:
                _account({**mention, "id": mentioned}, seen, out, stub="created_at" not in mention)
    metrics = obj.get("public_metrics") or {}
    retweet, reply, quote = refs.get("retweeted"), refs.get("replied_to"), refs.get("quoted")
    out.append(Tweet(
        tweetid=tweetid,
        userid=userid,
        created_at=created_at,
        time_source=time_source,
        text=note.get("text") or obj.get("text"),
        language=normalize_language(obj.get("lang")),
        is_retweet=retweet is not None,
        retweet_of=retweet[0] if retweet else None,
        retweet_of_userid=retweet[1] if retweet else None,
        reply_to=reply[0] if reply else None,
        reply_to_userid=_str(obj.get("in_reply_to_user_id")) or (reply[1] if reply else None),
        quotes=quote[0] if quote else None,
        quotes_userid=quote[1] if quote else None,
        client=obj.get("source") or None,
        like_count=_int(metrics.get("like_count")),
        retweet_count=_int(metrics.get("retweet_count")),
        reply_count=_int(metrics.get("reply_count")),
        quote_count=_int(metrics.get("quote_count")),
        hashtags=_hashtags(entities),
        links=_links(entities),
        mentions=list(mentions),
    ))
    return None


def _account(user: dict[str, Any], seen: SeenInFile, out: list[Record], stub: bool = False) -> bool:
    """Append a v2 user as an Account (once per file); False when it has no usable id.
    A `stub` (a mention: id and handle only) is sent only for accounts not yet seen."""
    userid = str(user.get("id", ""))
    if not is_numeric_id(userid):
        return False
    if userid in (seen.any if stub else seen.full):
        return True
    seen.any.add(userid)
    if stub:
        out.append(Account(userid=userid, screen_name=user.get("username") or None))
        return True
    seen.full.add(userid)
    profile = ((user.get("entities") or {}).get("url") or {}).get("urls") or [{}]
    link = normalize_url(profile[0].get("expanded_url") or user.get("url") or "")
    metrics = user.get("public_metrics") or {}
    out.append(Account(
        userid=userid,
        screen_name=user.get("username") or None,
        display_name=user.get("name") or None,
        description=user.get("description") or None,
        location=user.get("location") or None,
        profile_url=link.url if link else None,
        followers=_int(metrics.get("followers_count")),
        following=_int(metrics.get("following_count")),
        created_at=parse_date(str(user.get("created_at") or "")[:10]),
    ))
    return True


def _hashtags(entities: dict[str, Any]) -> list[tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for item in entities.get("hashtags") or ():
        tag = normalize_hashtag(item.get("tag") or "")
        if tag is not None and tag[0] not in found:
            found[tag[0]] = tag
    return list(found.values())


def _links(entities: dict[str, Any]) -> list[Link]:
    """expanded_url (as v1.1 and the archives give) before unwound_url; entries with a
    `media_key` are the tweet's own photos, not links out."""
    found: dict[str, Link] = {}
    for item in entities.get("urls") or ():
        if "media_key" in item:
            continue
        raw = item.get("expanded_url") or item.get("unwound_url") or item.get("url") or ""
        link = normalize_url(raw)
        if link is not None and link.url not in found:
            found[link.url] = link
    return list(found.values())


def _str(value: Any) -> str | None:
    return None if value is None else str(value) or None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
