"""Write a frozen sample as the release writes it (IO-archive users and tweets CSVs) or
as twarc2 collects it (v2 JSONL pages)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..sources.io_archive import TWEET_COLUMNS, USER_COLUMNS
from .world import QUOTE, REPLY, RETWEET, Frozen


def _user_columns(fz: Frozen, rows: np.ndarray) -> list[np.ndarray]:
    a = fz.acc
    created = np.datetime_as_string(a["created_ms"][rows].astype("datetime64[ms]"), unit="D")
    return [fz.userid[rows], fz.display_name[rows], fz.screen_name[rows], a["location"][rows],
            a["description"][rows], a["profile_url"][rows], a["followers"][rows].astype(str),
            a["following"][rows].astype(str), created, a["account_lang"][rows]]


def write_io_archive(fz: Frozen, out_dir: Path, name: str,
                     rng: np.random.Generator) -> dict[str, Path]:
    """`<name>_users_csv_hashed.csv` (the disclosed accounts) and
    `<name>_tweets_csv_hashed.csv` (every tweet, grouped by account as in the release)."""
    users = out_dir / f"{name}_users_csv_hashed.csv"
    tweets = out_dir / f"{name}_tweets_csv_hashed.csv"
    disclosed = np.flatnonzero(fz.acc["disclosed"])
    _write_csv(users, USER_COLUMNS, _user_columns(fz, disclosed))

    tw = fz.tw
    order = np.lexsort((tw["ms"], tw["author"]))
    author, kind, ref = tw["author"][order], tw["kind"][order], tw["ref"][order]
    has_ref = ref >= 0
    ref_author = np.where(has_ref, tw["author"][np.where(has_ref, ref, 0)], 0)

    def by_kind(k: int, values: np.ndarray) -> np.ndarray:
        return np.where(kind == k, values, "").astype(object)

    ref_id = fz.tweetid[np.where(has_ref, ref, 0)].astype(str)
    bare = rng.random(len(order)) < 0.03  # the release leaves some list cells empty
    cols = [
        fz.tweetid[order].astype(str), *_user_columns(fz, author),
        tw["lang"][order], tw["text"][order],
        np.char.replace(np.datetime_as_string(tw["ms"][order].astype("datetime64[ms]"),
                                              unit="m"), "T", " "),
        tw["client"][order],
        by_kind(REPLY, fz.userid[ref_author]), by_kind(REPLY, ref_id), by_kind(QUOTE, ref_id),
        np.where(kind == RETWEET, "true", "false"),
        by_kind(RETWEET, fz.userid[ref_author]), by_kind(RETWEET, ref_id),
        np.full(len(order), "absent"), np.full(len(order), "absent"),
        *[fz.counts[c][order].astype(str) for c in
          ("quote_count", "reply_count", "like_count", "retweet_count")],
        *_list_columns(fz, order, bare),
        np.full(len(order), ""),
    ]
    _write_csv(tweets, TWEET_COLUMNS, cols)
    return {"users": users, "tweets": tweets}


def _list_columns(fz: Frozen, order: np.ndarray, bare: np.ndarray) -> list[list[str]]:
    """hashtags and urls as `['a', 'b']`, user_mentions as `[id, id]` (unquoted, as the
    release writes numeric ids); '' instead of `[]` on a few rows without entities."""
    userid = fz.userid
    cols = [fz.tw[c][order] for c in ("hashtags", "urls", "mentions")]
    empty = np.array([not (h or u or m) for h, u, m in zip(*cols, strict=True)])
    out = []
    for values, quote in zip(cols, (True, True, False), strict=True):
        text = [
            "[]" if not v else
            "[" + ", ".join(f"'{x}'" for x in v) + "]" if quote else
            "[" + ", ".join(userid[x] for x in v) + "]"
            for v in values.tolist()
        ]
        for i in np.flatnonzero(bare & empty):
            text[i] = ""
        out.append(text)
    return out


def _write_csv(path: Path, header: tuple[str, ...], cols: list[Any]) -> None:
    """Every field double-quoted, LF line ends (what `csv.QUOTE_ALL` writes, 3x faster)."""
    lists = [c.tolist() if isinstance(c, np.ndarray) else c for c in cols]
    lists = [[x.replace('"', '""') for x in c] if '"' in "".join(c) else c for c in lists]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write('"' + '","'.join(header) + '"\n')
        for start in range(0, len(lists[0]), 50_000):
            rows = zip(*(c[start:start + 50_000] for c in lists), strict=True)
            f.write("".join('"' + '","'.join(r) + '"\n' for r in rows))


def write_v2(fz: Frozen, out_dir: Path, name: str, retrieved_at: str,
             page_size: int = 100) -> dict[str, Path]:
    """`<name>.jsonl`: twarc2 search pages, each with its authors, mentioned and
    referenced accounts and referenced tweets in `includes`."""
    path = out_dir / f"{name}.jsonl"
    tw = fz.tw
    order = np.argsort(-tw["ms"], kind="stable")  # search returns newest first
    meta = {"url": "https://api.twitter.com/2/tweets/search/all?query=sample_campaign",
            "version": "2.14.0", "retrieved_at": retrieved_at}
    with path.open("w", encoding="utf-8") as f:
        for start in range(0, len(order), page_size):
            page = order[start:start + page_size]
            refs = [int(r) for r in tw["ref"][page] if r >= 0]
            users = dict.fromkeys(int(a) for a in tw["author"][[*page, *refs]])
            for i in [*page, *refs]:
                users.update(dict.fromkeys(int(m) for m in tw["mentions"][i]))
            doc = {
                "data": [_v2_tweet(fz, int(i)) for i in page],
                "includes": {"users": [_v2_user(fz, a) for a in users],
                             "tweets": [_v2_tweet(fz, r) for r in dict.fromkeys(refs)]},
                "meta": {"newest_id": str(fz.tweetid[page[0]]),
                         "oldest_id": str(fz.tweetid[page[-1]]), "result_count": len(page)},
                "__twarc": meta,
            }
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return {"tweets": path}


_TCO = re.compile(r"https://t\.co/\w+")
_REF_TYPE = {RETWEET: "retweeted", REPLY: "replied_to", QUOTE: "quoted"}


def _v2_tweet(fz: Frozen, i: int) -> dict[str, Any]:
    tw = fz.tw
    text = tw["text"][i]
    ms = int(tw["ms"][i])
    out: dict[str, Any] = {
        "id": str(fz.tweetid[i]), "author_id": fz.userid[tw["author"][i]], "text": text,
        "created_at": str(np.datetime64(ms, "ms")) + "Z", "lang": tw["lang"][i],
        "source": tw["client"][i],
        "public_metrics": {c: int(fz.counts[c][i]) for c in
                           ("retweet_count", "reply_count", "like_count", "quote_count")},
        "entities": dict(_entities(fz, i, text)),
    }
    ref, kind = int(tw["ref"][i]), int(tw["kind"][i])
    if ref >= 0:
        out["referenced_tweets"] = [{"type": _REF_TYPE[kind], "id": str(fz.tweetid[ref])}]
        if kind == REPLY:
            out["in_reply_to_user_id"] = fz.userid[tw["author"][ref]]
    return out


def _entities(fz: Frozen, i: int, text: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    tags = [_span(text, "#" + h, {"tag": h}) for h in fz.tw["hashtags"][i]]
    if tags:
        yield "hashtags", tags
    mentions = [_span(text, "@" + fz.acc["handle"][m],
                      {"username": fz.screen_name[m], "id": fz.userid[m]})
                for m in fz.tw["mentions"][i]]
    if mentions:
        yield "mentions", mentions
    short = _TCO.findall(text)
    urls = [{**_span(text, t, {"url": t}), "expanded_url": u,
             "display_url": u.split("//", 1)[-1][:30]}
            for u, t in zip(fz.tw["urls"][i], short, strict=False)]
    if urls:
        yield "urls", urls


def _span(text: str, needle: str, extra: dict[str, str]) -> dict[str, Any]:
    start = max(text.find(needle), 0)
    return {"start": start, "end": start + len(needle), **extra}


def _v2_user(fz: Frozen, a: int) -> dict[str, Any]:
    acc = fz.acc
    return {
        "id": fz.userid[a], "username": fz.screen_name[a], "name": fz.display_name[a],
        "created_at": str(np.datetime64(int(acc["created_ms"][a]), "ms")) + "Z",
        "description": acc["description"][a], "location": acc["location"][a],
        "url": acc["profile_url"][a], "protected": False, "verified": False,
        "public_metrics": {"followers_count": int(acc["followers"][a]),
                           "following_count": int(acc["following"][a]),
                           "tweet_count": 0, "listed_count": 0},
    }
