"""Records -> one deduplicated batch of query parameters, and the order to write it in.

A batch collects a few tens of thousands of records, keeps one row per key, and turns into
`steps`: lists of lanes that may run at the same time, each lane a list of jobs run in
order. Nodes come before relationships, and lanes of one step touch disjoint node sets
(different labels, or POSTED split by author, where each tweet has one author), so two
writers never wait on each other's locks or deadlock.

Duplicates: for accounts and tweets the last non-None value of each property wins within a
batch, as `SET p = coalesce(row.p, p)` makes it win across batches; for hashtags and URLs
the first spelling wins, as `ON CREATE SET` keeps it; relationships accumulate.

IN_DATASET: tweet authors and accounts the input describes (a users-file row, a profile);
a bare mention or the named author of a referenced tweet is not part of the dataset.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from ..sources.normalize import normalize_url
from ..sources.records import Account, Link, Tweet
from ..sources.text import normalize_text
from . import cypher

# An Account record with one of these describes the account (a profile in the input); one
# without is a bare mention (an id, a handle, maybe a name): not part of the dataset.
_PROFILE_FIELDS = ("description", "location", "profile_url", "followers",
                   "following", "created_at", "language")
# Account fields copied to properties (userid is the key, disclosed a label).
_ACCOUNT_FIELDS = ("screen_name", "display_name", "description", "location", "profile_url",
                   "followers", "following", "created_at", "language", "hashed")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Job:
    """One write: `query` over `rows`; its counters are credited to `target` (label/type)."""

    query: LiteralString
    rows: list[Any]
    target: str


Lane = list[Job]
Step = list[Lane]


def short_id(userid: str) -> str:
    """An id short enough to caption a node: a numeric id whole, a hash (hashed releases
    replace ids under 5,000 followers) as its first 8 characters and `…`, which no
    screen name contains, so a short id never passes for a name."""
    return userid if userid.isdigit() or len(userid) <= 9 else userid[:8] + "…"


def account_caption(userid: str, screen_name: str | None) -> str:
    """What Browser and the queries show for an account: its screen name, else its short
    id. Never anything learned elsewhere (a hashed account is never given the name of a
    mention id: DESIGN.md's privacy rule)."""
    return screen_name if screen_name else short_id(userid)


def text_hash(text: str | None) -> str | None:
    """First 16 hex digits of sha1(normalize_text(text)); None when nothing is left."""
    if not text:
        return None
    normalized = normalize_text(text)
    if not normalized:
        return None
    return hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:16]


class Batch:
    """Accumulates records of one dataset until `steps()` turns them into jobs."""

    def __init__(self) -> None:
        self.records = 0
        self.accounts: dict[str, dict[str, Any]] = {}
        self.account_keys: set[str] = set()  # authors, mentions, stub authors
        self.disclosed: set[str] = set()
        self.in_dataset: set[str] = set()
        self.tweets: dict[str, dict[str, Any]] = {}
        self.tweet_keys: set[str] = set()  # referenced originals (stubs if absent)
        self.posted: dict[str, str] = {}  # tweetid -> author
        self.retweet_of: set[tuple[str, str]] = set()
        self.reply_to: set[tuple[str, str]] = set()
        self.quotes: set[tuple[str, str]] = set()
        self.mentions: set[tuple[str, str]] = set()
        self.hashtags: dict[str, str] = {}
        self.has_hashtag: set[tuple[str, str]] = set()
        self.urls: dict[str, tuple[str, str, bool]] = {}
        self.on_domain: dict[str, str] = {}
        self.links_to: set[tuple[str, str]] = set()
        self.clients: set[str] = set()
        self.posted_via: set[tuple[str, str]] = set()
        self.profile_links: set[tuple[str, str]] = set()  # every (userid, url) seen

    def __len__(self) -> int:
        return self.records

    # -- accumulate ---------------------------------------------------------------------
    def add_account(self, account: Account) -> None:
        self.records += 1
        userid = account.userid
        row = {f: v for f in _ACCOUNT_FIELDS if (v := getattr(account, f)) is not None}
        known = self.accounts.get(userid)
        if known is None:
            row["userid"] = userid
            self.accounts[userid] = row
        else:
            known.update(row)
        if account.disclosed or any(row.get(f) is not None for f in _PROFILE_FIELDS):
            self.in_dataset.add(userid)
        if account.disclosed:
            self.disclosed.add(userid)
        if account.profile_url:
            link = normalize_url(account.profile_url)
            if link is not None:
                self._add_link(link)
                self.profile_links.add((userid, link.url))

    def add_tweet(self, tweet: Tweet) -> None:
        self.records += 1
        tweetid, userid = tweet.tweetid, tweet.userid
        row = {
            "tweetid": tweetid,
            "text": tweet.text,
            "time_source": tweet.time_source,
            "language": tweet.language,
            "is_retweet": tweet.is_retweet,
            "like_count": tweet.like_count,
            "retweet_count": tweet.retweet_count,
            "reply_count": tweet.reply_count,
            "quote_count": tweet.quote_count,
            "text_hash": None if tweet.is_retweet else text_hash(tweet.text),
        }
        if tweet.created_at is not None:
            row["ms"] = _epoch_ms(tweet.created_at)
        row = {k: v for k, v in row.items() if v is not None}
        known = self.tweets.get(tweetid)
        if known is None:
            self.tweets[tweetid] = row
        else:
            known.update(row)
        self.posted[tweetid] = userid
        self.account_keys.add(userid)
        self.in_dataset.add(userid)
        self._reference(tweetid, tweet.retweet_of, tweet.retweet_of_userid, self.retweet_of)
        self._reference(tweetid, tweet.reply_to, tweet.reply_to_userid, self.reply_to)
        self._reference(tweetid, tweet.quotes, tweet.quotes_userid, self.quotes)
        for mentioned in tweet.mentions:
            self.account_keys.add(mentioned)
            self.mentions.add((tweetid, mentioned))
        for name, display in tweet.hashtags:
            self.hashtags.setdefault(name, display)
            self.has_hashtag.add((tweetid, name))
        for link in tweet.links:
            self._add_link(link)
            self.links_to.add((tweetid, link.url))
        if tweet.client:
            self.clients.add(tweet.client)
            self.posted_via.add((tweetid, tweet.client))

    def _reference(self, tweetid: str, original: str | None, author: str | None,
                   edges: set[tuple[str, str]]) -> None:
        if not original:
            return
        self.tweet_keys.add(original)
        edges.add((tweetid, original))
        if author:
            self.account_keys.add(author)
            self.posted.setdefault(original, author)

    def _add_link(self, link: Link) -> None:
        if link.url not in self.urls:
            self.urls[link.url] = (link.url, link.raw, link.is_shortener)
        if link.domain:
            self.on_domain[link.url] = link.domain

    # -- plan ---------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        """The batch's jobs, nodes first; lanes of a step share no node."""
        keys_only = [[k, short_id(k)] for k in sorted(self.account_keys.difference(
            self.accounts))]
        accounts = [{**row, "short": short_id(row["userid"])} for row in self.accounts.values()]
        stubs = sorted(self.tweet_keys.difference(self.tweets))
        posted: list[list[list[str]]] = [[], []]
        for tweetid, userid in self.posted.items():
            posted[hash(userid) & 1].append([userid, tweetid])
        steps: list[Step] = [
            [
                [Job(cypher.MERGE_ACCOUNTS, accounts, "Account"),
                 Job(cypher.MERGE_ACCOUNT_KEYS, keys_only, "Account"),
                 Job(cypher.LABEL_DISCLOSED, sorted(self.disclosed), "Disclosed")],
                [Job(cypher.MERGE_TWEETS, list(self.tweets.values()), "Tweet"),
                 Job(cypher.MERGE_TWEET_KEYS, stubs, "Tweet"),
                 Job(cypher.MERGE_HASHTAGS, _pairs(self.hashtags.items()), "Hashtag"),
                 Job(cypher.MERGE_URLS, [list(u) for u in self.urls.values()], "Url"),
                 Job(cypher.MERGE_DOMAINS, sorted(set(self.on_domain.values())), "Domain"),
                 Job(cypher.MERGE_CLIENTS, sorted(self.clients), "Client")],
            ],
            [
                [Job(cypher.IN_DATASET, sorted(self.in_dataset), "IN_DATASET"),
                 Job(cypher.PROFILE_LINKS_TO, _pairs(self.profile_links),
                      "PROFILE_LINKS_TO"),
                 Job(cypher.ON_DOMAIN, _pairs(self.on_domain.items()), "ON_DOMAIN")],
                [Job(cypher.RETWEET_OF, _pairs(self.retweet_of), "RETWEET_OF"),
                 Job(cypher.REPLY_TO, _pairs(self.reply_to), "REPLY_TO"),
                 Job(cypher.QUOTES, _pairs(self.quotes), "QUOTES"),
                 Job(cypher.HAS_HASHTAG, _pairs(self.has_hashtag), "HAS_HASHTAG"),
                 Job(cypher.POSTED_VIA, _pairs(self.posted_via), "POSTED_VIA")],
            ],
            [[Job(cypher.POSTED, posted[0], "POSTED")],
             [Job(cypher.POSTED, posted[1], "POSTED")]],
            [[Job(cypher.MENTIONS, _pairs(self.mentions), "MENTIONS"),
              Job(cypher.LINKS_TO, _pairs(self.links_to), "LINKS_TO")]],
        ]
        return [[[j for j in lane if j.rows] for lane in step] for step in steps]


def _epoch_ms(moment: datetime) -> int:
    """Exact milliseconds since 1970 (no float rounding) of an aware datetime."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _pairs(items: Any) -> list[list[str]]:
    return [[a, b] for a, b in items]
