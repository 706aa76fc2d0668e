"""Ground truth for the packaged queries: on the demo sample, each amplification and
shared-infrastructure query, run with its default parameters, puts its planted operation
at the top (the accounts in its first rows are the operation's members, and a row names
the planted target: the tweets, texts, hashtags, client, site or links the operation
used), while the decoys (a viral burst, a fan community, news bots) do not dominate.

Precision is measured over the accounts named in the first `top` rows; `top` is the
number of rows an investigator reads first, not tuned to the result."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import pytest
from conftest import load_demo

from toolkit.db.connect import Graph
from toolkit.load.batches import text_hash
from toolkit.queries.catalog import load_catalog
from toolkit.queries.runner import run
from toolkit.sample import GeneratedSample

CATALOG = load_catalog(use_env=False)
Row = dict[str, Any]
Truth = dict[str, Any]


@dataclass(frozen=True)
class Expect:
    """What a query must show of the operation `op` in its first `top` rows."""

    op: str
    accounts: tuple[str, ...]  # columns naming accounts (a userid or a list of them)
    top: int
    target: Callable[[Row, Truth], bool]  # this row names the planted target
    min_precision: float = 0.8
    decoy_free: Callable[[Row, Truth], bool] = field(default=lambda row, truth: True)


def _in(column: str, key: str) -> Callable[[Row, Truth], bool]:
    return lambda row, truth: row[column] in truth["op"][key]


def _hashtag(row: Row, truth: Truth) -> bool:
    return str(row["hashtag"]).casefold() in {h.casefold() for h in truth["op"]["hashtags"]}


def _not_fan_hashtag(row: Row, truth: Truth) -> bool:
    fan = {h.casefold() for h in truth["decoys"]["fan-community"]["hashtags"]}
    return str(row["hashtag"]).casefold() not in fan


def _not_viral_target(row: Row, truth: Truth) -> bool:
    return row["tweetid"] not in truth["decoys"]["viral-burst"]["targets"]


def _text(row: Row, truth: Truth) -> bool:
    return row["text_hash"] in {text_hash(t) for t in truth["op"]["texts"]}


def _created_in_burst(row: Row, truth: Truth) -> bool:
    first, last = (date.fromisoformat(d) for d in truth["op"]["created_between"])
    return first <= row["day"] <= last


def _not_news_bot_link(row: Row, truth: Truth) -> bool:
    news = truth["decoys"]["news-bots"]["urls"]
    return not any(row.get("url") == u or str(row.get("domain")) in u for u in news)


EXPECT: dict[str, Expect] = {
    # amplification
    "co-retweet-pairs": Expect("co-retweet", ("userid_1", "userid_2"), 20,
                               lambda r, t: bool(set(r["examples"]) & set(t["op"]["targets"]))),
    "retweet-bursts": Expect("co-retweet", ("peak_userids",), 10, _in("tweetid", "targets"),
                             decoy_free=_not_viral_target),
    "most-amplified-tweets": Expect("co-retweet", (), 10, _in("tweetid", "targets"),
                                    decoy_free=_not_viral_target),
    "most-amplified-accounts": Expect("co-retweet", (), 10,
                                      lambda r, t: r["userid"] in t["target_authors"]),
    "retweet-only-accounts": Expect("co-retweet", ("userid",), 10,
                                    lambda r, t: r["userid"] in t["op"]["members"]),
    "copy-paste-text": Expect("copy-paste", ("peak_userids",), 10, _text),
    "hashtag-flooding": Expect("hashtag-flood", ("peak_userids",), 10, _hashtag,
                               decoy_free=_not_fan_hashtag),
    "reciprocal-rings": Expect("reply-mention", ("userid_1", "userid_2"), 10,
                               lambda r, t: {r["userid_1"], r["userid_2"]}
                               <= set(t["op"]["members"])),
    # shared infrastructure
    "rare-client-sharing": Expect("shared-infrastructure", ("userids",), 1,
                                  _in("client", "client")),
    "shared-profile-domains": Expect("shared-infrastructure", ("userids",), 1,
                                     lambda r, t: r["domain"] == t["op"]["profile_domain"]),
    "creation-bursts": Expect("shared-infrastructure", ("userids",), 4, _created_in_burst),
    # the graph queries' defaults open on the operation's own site and app
    "shared-domain-graph": Expect("shared-infrastructure", ("userid",), 20,
                                  lambda r, t: r["domain"] == t["op"]["profile_domain"]),
    "shared-client-graph": Expect("shared-infrastructure", ("userid",), 20,
                                  _in("client", "client")),
    "handle-patterns": Expect("shared-infrastructure", ("userids",), 1,
                              lambda r, t: r["shape"] == "letters+8 digits"),
    "obscure-link-domains": Expect("link-pushing", ("repeater_userids",), 2,
                                   _in("domain", "domains"), decoy_free=_not_news_bot_link),
    "shortener-use": Expect("link-pushing", ("userids",), 5, _in("url", "shortened"),
                            decoy_free=_not_news_bot_link),
    "repurposed-accounts": Expect("repurposed", ("userid",), 10, lambda r, t: (
        (r["language_before"], r["language_after"], r["client_after"], r["office_hours_shift"])
        == (t["op"]["language_before"], t["op"]["language_after"], t["op"]["client_after"],
            True) and r["client_before"] in t["op"]["clients_before"])),
}
NOT_PLANTED = {"identical-descriptions"}  # the generator plants no shared bios; see below


@pytest.fixture(scope="module")
def planted(graph_session: Graph, demo_sample: GeneratedSample) -> dict[str, Any]:
    """The demo sample loaded once, with its ground truth."""
    load_demo(graph_session, demo_sample)
    truth = json.loads(demo_sample.ground_truth.read_text(encoding="utf-8"))
    ops = {o["kind"]: o for o in truth["operations"]}
    targets = ops["co-retweet"]["targets"]
    authors = graph_session.read("MATCH (a:Account)-[:POSTED]->(t:Tweet) "
                                 "WHERE t.tweetid IN $targets RETURN DISTINCT a.userid AS u",
                                 targets=targets)
    return {"graph": graph_session, "ops": ops,
            "decoys": {d["kind"]: d for d in truth["decoys"]},
            "decoy_members": set().union(*(set(d["members"]) for d in truth["decoys"])),
            "target_authors": {r["u"] for r in authors}}


def accounts_of(frame: pd.DataFrame, columns: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for column in columns:
        for value in frame[column]:
            found.update(value if isinstance(value, list) else [value])
    found.discard(None)  # type: ignore[arg-type]
    return found


def test_every_amplification_and_infrastructure_query_is_checked() -> None:
    """A new query in these categories needs its planted operation here (or a reason)."""
    chosen = {q.name for q in CATALOG.in_category("amplification")} | {
        q.name for q in CATALOG.in_category("infrastructure")}
    assert chosen == set(EXPECT) | NOT_PLANTED


@pytest.mark.parametrize("name", list(EXPECT))
def test_query_surfaces_its_planted_operation(planted: dict[str, Any], name: str) -> None:
    expect = EXPECT[name]
    op = planted["ops"][expect.op]
    truth = {"op": op, "decoys": planted["decoys"],
             "target_authors": planted["target_authors"]}
    frame = run(planted["graph"], CATALOG.get(name))
    top = frame.head(expect.top)
    assert len(top) == expect.top, f"{name}: only {len(frame)} rows"
    rows = top.to_dict(orient="records")
    hits = [expect.target(row, truth) for row in rows]
    if expect.accounts:
        named = accounts_of(top, expect.accounts)
        members = set(op["members"])
        precision = len(named & members) / len(named) if named else 0.0
        decoys = len(named & planted["decoy_members"]) / len(named) if named else 0.0
    else:  # rows are tweets or amplified authors: precision is the share of target rows
        precision = sum(hits) / len(hits)
        decoys = 0.0
    print(f"{name}: top {expect.top} rows, precision {precision:.2f}, "
          f"target rows {sum(hits)}, decoy share {decoys:.2f}")
    assert precision >= expect.min_precision, f"{name}: precision {precision:.2f}"
    assert hits[0] or sum(hits) * 2 > len(hits), f"{name}: planted target not on top"
    assert decoys < 0.2, f"{name}: decoy accounts are {decoys:.0%} of the top rows"
    assert all(expect.decoy_free(row, truth) for row in rows), f"{name}: a decoy on top"


def test_most_amplified_accounts_ranks_targets_above_celebrities(planted: dict[str, Any]
                                                                 ) -> None:
    """The viral-burst celebrities get more retweets than anyone, yet only those the ring
    also amplified rank in the top ten: the ranking is by repeat co-retweeters."""
    frame = run(planted["graph"], CATALOG.get("most-amplified-accounts")).head(10)
    celebrities = set(planted["decoys"]["viral-burst"]["celebrities"])
    for row in frame.to_dict(orient="records"):
        assert row["userid"] in planted["target_authors"] or row["userid"] not in celebrities


def test_repurposed_accounts_quote_their_sale_and_hand_over_tweets(
        planted: dict[str, Any]) -> None:
    op = planted["ops"]["repurposed"]
    frame = run(planted["graph"], CATALOG.get("repurposed-accounts"))
    mine = frame[frame["userid"].isin(op["members"])]
    assert len(mine) == len(op["members"])
    quoted = {h["tweetid"] for tweets in mine["handover_tweets"] for h in tweets}
    assert quoted == set(op["handover"])
    assert (mine["language_since"].astype(str) == op["switch_date"]).all()
    assert (mine["office_share_after"] >= 0.9).all() and (mine["office_share_before"] < 0.35).all()
    assert not frame[~frame["userid"].isin(op["members"])]["handover_tweets"].map(len).any()
    # Another zone's office hours: the shift is gone (UTC+8 office hours are night in Lima).
    lima = run(planted["graph"], CATALOG.get("repurposed-accounts"), {"tz": "America/Lima"})
    assert not lima[lima["userid"].isin(op["members"])]["office_hours_shift"].any()


def test_identical_descriptions_finds_a_pasted_bio(planted: dict[str, Any]) -> None:
    """The generator plants no shared bios, so this query is checked on three accounts
    given one template bio (added here and removed again)."""
    graph = planted["graph"]
    bio = "Proud patriot. Truth seeker. Stand with the motherland!"
    ids = ["bio-test-1", "bio-test-2", "bio-test-3"]
    graph.write("UNWIND $ids AS id CREATE (:Account {userid: id, screen_name: id, "
                "description: $bio + CASE id WHEN 'bio-test-2' THEN '  ' ELSE '' END})",
                ids=ids, bio=bio)
    try:
        frame = run(graph, CATALOG.get("identical-descriptions"))
        assert frame["description"].iloc[0] == bio.lower()
        assert sorted(frame["userids"].iloc[0]) == ids
    finally:
        graph.write("MATCH (a:Account) WHERE a.userid IN $ids DELETE a", ids=ids)
