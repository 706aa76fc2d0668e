"""The sample generator: release format, determinism, and each planted operation and decoy
present in the data as its ground truth describes. No database needed."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from toolkit.cli.sample import app
from toolkit.errors import BadParameter
from toolkit.sample import OutputFormat, SampleParams, generate
from toolkit.sources import iter_records, plan_inputs
from toolkit.sources.text import normalize_text

EPOCH = 1288834974657
HEADER = [  # the real Russia 2019 tweets file's header, in order
    "tweetid", "userid", "user_display_name", "user_screen_name", "user_reported_location",
    "user_profile_description", "user_profile_url", "follower_count", "following_count",
    "account_creation_date", "account_language", "tweet_language", "tweet_text", "tweet_time",
    "tweet_client_name", "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid",
    "is_retweet", "retweet_userid", "retweet_tweetid", "latitude", "longitude", "quote_count",
    "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
    "poll_choices",
]
SMALL = SampleParams(seed=7, accounts=600, days=14)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sample")
    result = generate(out, SMALL)
    tweets = pd.read_csv(result.files["tweets"], dtype=str, keep_default_na=False)
    tweets["ms"] = (tweets.tweetid.astype(np.int64).to_numpy() >> 22) + EPOCH
    users = pd.read_csv(result.files["users"], dtype=str, keep_default_na=False)
    truth = json.loads(result.ground_truth.read_text())
    ops = {o["kind"]: o for o in truth["operations"]}
    decoys = {d["kind"]: d for d in truth["decoys"]}
    return {"result": result, "tweets": tweets, "users": users, "truth": truth, "ops": ops,
            "decoys": decoys}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"@\w+|https?://\S+", "", text.lower())).strip()


def _list(cell: str) -> list[str]:
    return [x.strip("' ") for x in cell.strip("[]").split(",") if x.strip("' ")]


def _weights(events: pd.DataFrame, window_ms: int = 60_000) -> Counter[tuple[str, str]]:
    """Co-action edge weights: distinct targets two accounts acted on within the window."""
    weights: Counter[tuple[str, str]] = Counter()
    for _, g in events.drop_duplicates().sort_values("ms").groupby("target"):
        users, ms = g.user.to_numpy(), g.ms.to_numpy()
        pairs = set()
        for i in range(len(g)):
            j = i + 1
            while j < len(g) and ms[j] - ms[i] <= window_ms:
                if users[i] != users[j]:
                    pairs.add(tuple(sorted((users[i], users[j]))))
                j += 1
        weights.update(pairs)
    return weights


def _events(tweets: pd.DataFrame, kind: str) -> pd.DataFrame:
    rt = tweets.is_retweet == "true"
    own = tweets[~rt]
    if kind == "co-retweet":
        ev = tweets[rt].assign(target=tweets.retweet_tweetid)
    elif kind == "co-tweet":
        ev = own.assign(target=own.tweet_text.map(normalize_text))
    elif kind == "co-reply":
        ev = own[own.in_reply_to_tweetid != ""].assign(target=lambda d: d.in_reply_to_tweetid)
    else:
        column = {"co-hashtag": "hashtags", "co-mention": "user_mentions"}.get(kind, "urls")
        ev = own.assign(target=own[column].map(_list)).explode("target").dropna(
            subset=["target"])
    return ev.rename(columns={"userid": "user"})[["user", "target", "ms"]]


# --- format --------------------------------------------------------------------------

def test_tweets_file_has_the_release_columns_quoting_and_times(sample: dict[str, Any]) -> None:
    path = sample["result"].files["tweets"]
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    assert {len(r) for r in rows} == {31}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    assert all(line.count('","') == 30 for line in lines)
    t = sample["tweets"]
    minute = pd.to_datetime(t.ms, unit="ms").dt.strftime("%Y-%m-%d %H:%M")
    assert (minute == t.tweet_time).all()
    assert t.tweetid.is_unique
    assert set(t.is_retweet) == {"true", "false"}
    assert (t.latitude == "absent").all()
    assert t.account_creation_date.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_references_and_list_columns_look_like_the_release(sample: dict[str, Any]) -> None:
    t = sample["tweets"]
    rt = t[t.is_retweet == "true"]
    assert (rt.retweet_userid != "").all() and (rt.retweet_tweetid != "").all()
    assert rt.tweet_text.str.startswith("RT @").all()
    assert set(rt.retweet_tweetid) <= set(t.tweetid)  # organic originals are in the file
    replies = t[t.in_reply_to_tweetid != ""]
    assert len(replies) > 100 and (replies.in_reply_to_userid != "").all()
    assert (t.quoted_tweet_tweetid != "").sum() > 50
    assert t.hashtags.str.fullmatch(r"|\[\]|\['[^']+'(, '[^']+')*\]").all()
    assert t.urls.str.fullmatch(r"|\[\]|\['https?://[^']+'(, 'https?://[^']+')*\]").all()
    assert t.user_mentions.str.fullmatch(r"|\[\]|\[[\w+/=]+(, [\w+/=]+)*\]").all()
    assert (t.hashtags == "").sum() > 0  # the release's empty-cell quirk
    shortened = t.urls.str.contains(r"'http://(?:bit\.ly|ow\.ly|tinyurl\.com|buff\.ly)/")
    assert shortened.sum() > 10


def test_users_file_lists_the_disclosed_accounts_hashed_below_5000(
        sample: dict[str, Any]) -> None:
    users = sample["users"]
    members = set().union(*(o["members"] for o in sample["truth"]["operations"]))
    assert set(users.userid) == members
    followers = users.follower_count.astype(int)
    hashed = users.userid.str.fullmatch(r"[A-Za-z0-9+/]{40,43}=")
    assert (hashed == (followers < 5000)).all()
    assert (users[hashed].user_screen_name == users[hashed].userid).all()
    assert (users[hashed].user_display_name == users[hashed].userid).all()
    assert set(users[hashed].userid.str.len()) <= {41, 42, 43, 44}
    authors = set(sample["tweets"].userid)
    assert members <= authors and len(authors - members) > 400  # organic authors too


def test_reader_loads_the_sample_with_zero_rejects(sample: dict[str, Any]) -> None:
    files = sample["result"].files
    records = list(iter_records(plan_inputs([files["users"], files["tweets"]])))
    kinds = Counter(type(r).__name__ for r in records)
    assert kinds["Reject"] == 0
    assert kinds["Tweet"] == len(sample["tweets"])


# --- determinism, params, CLI ---------------------------------------------------------

def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir())}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    params = SampleParams(seed=3, accounts=300, days=5)
    generate(tmp_path / "a", params)
    generate(tmp_path / "b", params)
    generate(tmp_path / "c", SampleParams(seed=4, accounts=300, days=5))
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    name = "sample_campaign_tweets_csv_hashed.csv"
    assert _digest(tmp_path / "a")[name] != _digest(tmp_path / "c")[name]


def test_v2_output_holds_the_same_tweets(tmp_path: Path) -> None:
    params = SampleParams(seed=5, accounts=300, days=5)
    csv_files = generate(tmp_path / "csv", params).files
    v2 = generate(tmp_path / "v2", SampleParams(seed=5, accounts=300, days=5,
                                                format=OutputFormat.V2)).files["tweets"]
    pages = [json.loads(line) for line in v2.read_text(encoding="utf-8").splitlines()]
    data = [t for p in pages for t in p["data"]]
    tweets = pd.read_csv(csv_files["tweets"], dtype=str, keep_default_na=False)
    assert {t["id"] for t in data} == set(tweets.tweetid)
    by_id = {t["id"]: t for t in data}
    for _, row in tweets.sample(200, random_state=0).iterrows():
        t = by_id[row.tweetid]
        ms = (int(row.tweetid) >> 22) + EPOCH
        assert t["created_at"] == pd.Timestamp(ms, unit="ms").strftime("%Y-%m-%dT%H:%M:%S.%f")[
            :-3] + "Z"
        assert t["author_id"] == row.userid and t["source"] == row.tweet_client_name
        if row.is_retweet == "true":
            assert t["referenced_tweets"] == [{"type": "retweeted", "id": row.retweet_tweetid}]
        tags = [h["tag"] for h in t["entities"].get("hashtags", [])]
        assert tags == _list(row.hashtags)
    page = pages[0]
    authors = {u["id"] for u in page["includes"]["users"]}
    assert {t["author_id"] for t in page["data"]} <= authors
    assert set(page) == {"data", "includes", "meta", "__twarc"}


def test_bad_parameters_raise_bad_parameter(tmp_path: Path) -> None:
    with pytest.raises(BadParameter, match="accounts"):
        generate(tmp_path, SampleParams(accounts=50))
    result = CliRunner().invoke(app, ["generate", "--out", str(tmp_path), "--op", "bogus:size=3"])
    assert isinstance(result.exception, BadParameter)
    assert "bogus" in str(result.exception)


def test_cli_generates_and_applies_op_overrides(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--out", str(tmp_path), "--accounts", "300",
                                      "--days", "5", "--seed", "11", "--op",
                                      "co-retweet:size=12,window=10", "--op", "repurposed:size=0"])
    assert result.exit_code == 0, result.output
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    ops = {o["kind"]: o for o in truth["operations"]}
    assert "repurposed" not in ops
    assert len(ops["co-retweet"]["members"]) == 12 and ops["co-retweet"]["window_s"] == 10
    assert truth["files"]["tweets"] == "sample_campaign_tweets_csv_hashed.csv"


# --- planted operations ---------------------------------------------------------------

def test_operation_member_sets_are_disjoint_and_active(sample: dict[str, Any]) -> None:
    ops = sample["truth"]["operations"]
    assert [o["kind"] for o in ops] == ["co-retweet", "copy-paste", "hashtag-flood",
                                        "reply-mention", "shared-infrastructure",
                                        "link-pushing", "repurposed", "mention-swarm",
                                        "reply-swarm", "copy-paste-zh", "weak-signals"]
    for a, b in itertools.combinations(ops, 2):
        assert not set(a["members"]) & set(b["members"]), (a["name"], b["name"])
    counts = sample["tweets"].userid.value_counts()
    for o in ops:
        assert all(counts.get(m, 0) >= 3 for m in o["members"]), o["name"]


def test_co_retweet_ring_retweets_targets_within_the_window(sample: dict[str, Any]) -> None:
    op = sample["ops"]["co-retweet"]
    t = sample["tweets"]
    members = set(op["members"])
    rt = t[(t.is_retweet == "true") & t.userid.isin(members)
           & t.retweet_tweetid.isin(op["targets"])]
    assert set(rt.retweet_tweetid) == set(op["targets"]) and len(op["targets"]) >= 10
    assert (rt.groupby("retweet_tweetid").ms.agg(np.ptp) <= op["window_s"] * 1000).all()
    assert (rt.groupby("retweet_tweetid").userid.nunique() >= 0.6 * len(members)).all()
    weights = _weights(_events(t, "co-retweet"))
    ring = [w for (a, b), w in weights.items() if a in members and b in members]
    assert len(ring) == len(members) * (len(members) - 1) // 2 and min(ring) >= 10


@pytest.mark.parametrize(("detector", "kind"), [
    ("co-retweet", "co-retweet"), ("co-tweet", "copy-paste"), ("co-hashtag", "hashtag-flood"),
    ("co-link", "link-pushing"), ("co-reply", "reply-swarm"),
])
def test_default_detector_settings_separate_each_ring(sample: dict[str, Any], detector: str,
                                                      kind: str) -> None:
    """Window 60 s, minimum weight 3: the edges found are the ring's pairs, for co-tweet
    also pairs of the Chinese operation (its copies that normalize alike), and some pairs
    of the weak-signals operation (a few shared targets in each of four kinds: no
    significant ring in any one, see test_detect_all)."""
    members = set(sample["ops"][kind]["members"])
    also = set(sample["ops"]["copy-paste-zh"]["members"]) if detector == "co-tweet" else set()
    weak = set(sample["ops"]["weak-signals"]["members"])
    edges = {p for p, w in _weights(_events(sample["tweets"], detector)).items() if w >= 3}
    assert all(set(p) <= members or set(p) <= also or set(p) <= weak for p in edges)
    assert members <= set(itertools.chain(*edges))
    assert len([p for p in edges if set(p) <= members]) >= (
        0.95 * len(members) * (len(members) - 1) // 2)


def test_copy_paste_texts_repeat_within_the_window(sample: dict[str, Any]) -> None:
    op = sample["ops"]["copy-paste"]
    t = sample["tweets"]
    mine = t[t.userid.isin(op["members"])].assign(norm=lambda d: d.tweet_text.map(_norm))
    for text in op["texts"]:
        posts = mine[mine.norm == _norm(text)]
        assert posts.userid.nunique() >= 0.6 * len(op["members"])
        assert np.ptp(posts.ms) <= op["window_s"] * 1000
        assert posts.tweet_text.nunique() > 1  # near-identical, not identical


def test_hashtag_flood_never_retweets(sample: dict[str, Any]) -> None:
    op = sample["ops"]["hashtag-flood"]
    t = sample["tweets"]
    mine = t[t.userid.isin(op["members"])]
    assert (mine.is_retweet == "false").all()
    tagged = mine.assign(tag=mine.hashtags.map(_list)).explode("tag")
    tagged = tagged[tagged.tag.isin(op["hashtags"])]
    assert set(tagged.tag) == set(op["hashtags"]) and len(op["hashtags"]) >= 10
    assert not t[~t.userid.isin(op["members"])].hashtags.map(_list).map(
        lambda tags: bool(set(tags) & set(op["hashtags"]))).any()


def test_reply_mention_ring_is_reciprocal(sample: dict[str, Any]) -> None:
    op = sample["ops"]["reply-mention"]
    members = set(op["members"])
    t = sample["tweets"]
    replies = t[t.userid.isin(members) & t.in_reply_to_userid.isin(members)]
    pairs = set(zip(replies.userid, replies.in_reply_to_userid, strict=True))
    assert {a for a, _ in pairs} == members
    assert sum((b, a) in pairs for a, b in pairs) >= 0.9 * len(pairs)
    mentioned = replies.user_mentions.map(_list).map(lambda m: len(set(m) & members))
    assert (mentioned >= 2).all()  # the replied-to member and a third one


def test_shared_infrastructure_cluster(sample: dict[str, Any]) -> None:
    op = sample["ops"]["shared-infrastructure"]
    t, users = sample["tweets"], sample["users"]
    assert set(t[t.tweet_client_name == op["client"]].userid) == set(op["members"])
    mine = users[users.userid.isin(op["members"])]
    assert mine.user_screen_name.str.fullmatch(op["handle_pattern"]).all()
    assert not t[~t.userid.isin(op["members"])].user_screen_name.str.fullmatch(
        op["handle_pattern"]).any()
    assert mine.user_profile_url.map(lambda u: u.split("/")[2]).eq(op["profile_domain"]).all()
    first, last = op["created_between"]
    assert mine.account_creation_date.between(first, last).all()
    assert (pd.Timestamp(last) - pd.Timestamp(first)).days <= 4


def test_link_pushing_shares_obscure_links_within_the_window(sample: dict[str, Any]) -> None:
    op = sample["ops"]["link-pushing"]
    t = sample["tweets"]
    links = t.assign(url=t.urls.map(_list)).explode("url")
    pushed = links[links.url.isin(op["urls"])]
    assert set(pushed.userid) == set(op["members"])
    assert (pushed.groupby("url").ms.agg(np.ptp) <= op["window_s"] * 1000).all()
    assert op["shortened"] and set(op["shortened"]) <= set(pushed.url)
    links = links.dropna(subset=["url"])
    on_domains = links.url.map(lambda u: u.split("/")[2]).isin(op["domains"])
    assert set(links[on_domains].userid) == set(op["members"])


def test_mention_swarm_tags_ordinary_accounts_amid_celebrity_mentions(
        sample: dict[str, Any]) -> None:
    op = sample["ops"]["mention-swarm"]
    t, users = sample["tweets"], sample["users"]
    mentions = _events(t, "co-mention")
    tagged = mentions[mentions.target.isin(op["tagged"])]
    assert set(op["members"]) <= set(tagged.user) and len(op["tagged"]) == 12
    assert tagged.user.isin(op["members"]).mean() > 0.8  # now and then someone else does
    assert not set(op["tagged"]) & set(users.userid)  # ordinary accounts, not disclosed
    by_target = mentions.groupby("target").user.nunique()
    assert by_target.drop(op["tagged"], errors="ignore").max() > 2 * len(op["members"])
    members = set(op["members"])
    ring = [w for (a, b), w in _weights(mentions).items() if a in members and b in members]
    assert len(ring) == len(members) * (len(members) - 1) // 2 and min(ring) >= 3


def test_reply_swarm_piles_onto_ordinary_tweets_within_the_window(
        sample: dict[str, Any]) -> None:
    op = sample["ops"]["reply-swarm"]
    t = sample["tweets"]
    replies = _events(t, "co-reply")
    swarm = replies[replies.target.isin(op["targets"]) & replies.user.isin(op["members"])]
    assert set(swarm.target) == set(op["targets"]) and len(op["targets"]) == 25
    assert (swarm.groupby("target").ms.agg(np.ptp) <= op["window_s"] * 1000).all()
    assert (swarm.groupby("target").user.nunique() >= 0.5 * len(op["members"])).all()
    threads = replies.groupby("target").user.nunique()
    assert threads.drop(op["targets"]).max() >= 8  # celebrity threads draw crowds


def test_weak_signals_act_a_few_rounds_in_each_of_four_ways(sample: dict[str, Any]) -> None:
    """In each kind a pair of members shares at most `events` targets; over the four kinds
    most pairs share several times that."""
    op = sample["ops"]["weak-signals"]
    members, rounds = set(op["members"]), sample["truth"]["params"]["operations"][
        "weak-signals"]["events"]
    assert op["signals"] == ["co-retweet", "co-hashtag", "co-link", "co-mention"]
    planted = {"co-retweet": op["targets"], "co-hashtag": op["hashtags"],
               "co-link": op["urls"], "co-mention": op["tagged"]}
    total: Counter[tuple[str, str]] = Counter()
    for kind, targets in planted.items():
        assert len(set(targets)) == rounds, kind
        events = _events(sample["tweets"], kind)
        events = events[events.user.isin(members) & events.target.isin(targets)]
        weights = _weights(events, op["window_s"] * 1000)
        assert max(weights.values()) <= rounds, kind
        total.update(weights)
    pairs = len(members) * (len(members) - 1) // 2
    assert len(total) == pairs and np.median(list(total.values())) >= 2 * rounds


def test_repurposed_accounts_switch_language_client_and_hours_on_one_day(
        sample: dict[str, Any]) -> None:
    op = sample["ops"]["repurposed"]
    t = sample["tweets"]
    switch = pd.Timestamp(op["switch_date"]).value // 10**6
    for member, posts in t[t.userid.isin(op["members"])].groupby("userid"):
        before, after = posts[posts.ms < switch], posts[posts.ms >= switch]
        assert set(before.tweet_language) <= {"en", "und"}, member
        assert set(after.tweet_language) == {"zh"}, member
        assert (after.ms.min() - before.ms.max()) > 180 * 86_400_000
        assert after.tweet_time.min()[:10] == op["switch_date"]
        assert set(before.tweet_client_name) <= set(op["clients_before"])
        assert set(after.tweet_client_name) == {op["client_after"]}
        local = pd.to_datetime(after.ms, unit="ms") + pd.Timedelta(hours=8)
        assert ((local.dt.day_of_week < 5) | (local.dt.date == local.dt.date.min())).all()
        assert local.dt.hour.between(9, 17).all()  # office hours in UTC+8
        old = pd.to_datetime(before.ms, unit="ms") + pd.Timedelta(hours=8)
        office = (old.dt.day_of_week < 5) & old.dt.hour.between(9, 17)
        assert office.mean() < 0.35, member  # before: rarely in UTC+8 office hours
    handover = t[t.tweetid.isin(op["handover"])]
    assert len(handover) >= 3 and handover.userid.isin(op["members"]).all()
    assert handover.tweet_text.str.contains("for sale|selling this account|new owner").all()


def test_chinese_copies_are_edited_in_both_scripts_within_minutes(
        sample: dict[str, Any]) -> None:
    op = sample["ops"]["copy-paste-zh"]
    t = sample["tweets"]
    copies = t[t.tweetid.isin(op["tweets"])].assign(norm=lambda d: d.tweet_text.map(
        normalize_text))
    assert set(copies.userid) == set(op["members"]) and (copies.tweet_language == "zh").all()
    exact = copies.tweetid.isin(op["exact"])
    bases = {normalize_text(text): text for text in op["texts"]}
    assert set(copies[exact].norm) == set(bases)  # normalization undoes these edits
    assert not copies[~exact].norm.isin(bases).any()  # a tail or a dropped phrase
    assert 0.4 < exact.mean() < 0.8
    spellings = 0
    for norm, posts in copies[exact].groupby("norm"):
        assert np.ptp(posts.ms) <= op["window_s"] * 1000
        assert posts.tweet_text.nunique() >= 2, bases[norm]  # never one spelling for all
        spellings += posts.tweet_text.nunique()
    assert spellings >= 0.5 * exact.sum()  # most copies spelled their own way
    traditional = copies.tweet_text.str.contains("團|發|與|來|穩|護|園|們|歸|樂|達")
    assert 0.3 < traditional.mean() < 0.7
    assert copies.tweet_text.str.contains("\u200d").any()  # emoji joined by ZWJ
    assert copies.tweet_text.str.contains("[０-９]").any()  # full-width digits


# --- decoys ---------------------------------------------------------------------------

def test_decoys_look_alike_but_are_not_time_aligned(sample: dict[str, Any]) -> None:
    t = sample["tweets"]
    viral = sample["decoys"]["viral-burst"]
    for target in viral["targets"]:
        posted = (int(target) >> 22) + EPOCH
        rts = t[t.retweet_tweetid == target]
        assert ((rts.ms - posted) <= 60_000).sum() >= 20  # a crowd within the first minute
    news = sample["decoys"]["news-bots"]
    links = t.assign(url=t.urls.map(_list)).explode("url")
    for url in news["urls"]:
        times = np.sort(links[links.url == url].ms.to_numpy())
        assert len(times) == len(news["members"])
        assert np.diff(times).min() >= news["min_gap_s"] * 1000
    for decoy, key in (("slogan-crowd", "window_s"), ("headline-quotes", "min_gap_s")):
        crowd = sample["decoys"][decoy]
        posts = t[t.userid.isin(crowd["members"]) & (t.tweet_language == "zh")
                  & (t.is_retweet == "false")].assign(
                      norm=lambda d: d.tweet_text.map(normalize_text))
        for text in crowd["texts"]:
            near = posts[posts.norm.str.contains(normalize_text(text)[:6], regex=False)]
            times = np.sort(near.ms.to_numpy())
            assert len(times) >= (0.5 * len(crowd["members"]) if decoy == "headline-quotes"
                                  else 20)
            if decoy == "slogan-crowd":  # once each, within half an hour
                assert near.userid.is_unique and np.ptp(times) <= crowd[key] * 1000
            else:  # the same headline over the day, never within the minimum gap
                assert np.diff(times).min() >= crowd[key] * 1000
    fans = sample["decoys"]["fan-community"]
    fan_posts = t[t.userid.isin(fans["members"]) & t.hashtags.str.contains("Starlight")]
    assert fan_posts.userid.nunique() == len(fans["members"])
    ops = set().union(*(o["members"] for o in sample["truth"]["operations"]))
    for detector in ("co-retweet", "co-tweet", "co-hashtag", "co-link"):
        ev = _events(t, detector)
        weights = _weights(ev[~ev.user.isin(ops)])
        assert max(weights.values(), default=0) < 3, detector
