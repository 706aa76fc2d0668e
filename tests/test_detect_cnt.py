"""Cross-check with an independent tool: coordination-network-toolkit 1.5.2 (`compute_networks`)
run on the same messages gives the same co-retweet, co-tweet and co-link networks.

How the two are made comparable:
- Input: cnt's 8-column CSV (message_id, user_id, username, repost_id, reply_id, message,
  timestamp, urls), written from the same messages our events come from. Message ids are
  snowflakes and `timestamp` is the snowflake time in integer milliseconds, with
  `--time_window 60000`: cnt compares `timestamp` in whatever unit it is given, and integer
  ms keep the inclusive boundary (|dt| == window) exact, where float seconds would round.
  The window is always passed: cnt's CLI default is 1 (its README says 60).
- Weights: cnt's weight is directed (distinct messages of user_1 matched by user_2), ours
  is undirected (distinct shared targets). `directed_message_weights` computes cnt's measure
  from the same sweep and must agree row for row; the undirected COORDINATED weight equals
  cnt's weight in both directions whenever no account acts twice on the same target, and is
  never larger (asserted on data where accounts do repeat a text or a URL).
- Self-loops: cnt's tables hold user_1 == user_2 rows (its export drops them); we drop them.
- co-tweet: cnt lower-cases, strips @mentions and collapses whitespace; our `normalize_text`
  also strips URLs and folds width, script (Traditional -> Simplified), punctuation, emoji
  and symbols. On messages of plain words (URLs only in the urls column) both agree on every
  message, and the networks are identical. Where messages differ only in punctuation, ours
  joins copies cnt keeps apart: our network is cnt's network computed on our normalized
  texts (asserted), a superset of cnt's on the raw texts.
- Known bug: an empty urls cell becomes the URL "" (`"".split(" ") == [""]`), so cnt links
  every pair of link-less messages posted within the window. On the full CSV cnt's co_link
  equals ours computed with that phantom "" URL added; on a CSV of the messages that carry
  links it equals ours exactly.
"""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coordination_network_toolkit.similarity import message_preprocessor

from toolkit.detect.pairs import co_action_edges, directed_message_weights
from toolkit.sources.normalize import TWITTER_EPOCH_MS, snowflake_ms
from toolkit.sources.text import normalize_text

WINDOW_MS = 60_000
CNT = Path(sys.executable).with_name("compute_networks")
WORDS = ["Hong", "Kong", "police", "riot", "peace", "order", "truth", "love", "china",
         "freedom", "news", "today"]


def messages(seed: int = 20190819, n: int = 4000, users: int = 60) -> pd.DataFrame:
    """Tweets of a crowded few hours: retweets of a small pool, texts from a small pool
    (with case, spacing and @mention variants), links from a small pool (sometimes two, some
    repeated by the same account), times often on whole seconds so boundaries occur."""
    rng = np.random.default_rng(seed)
    t0 = 1_560_000_000_000
    ms = t0 + rng.integers(0, 3600, n) * 1000 + np.where(
        rng.random(n) < 0.3, rng.integers(0, 1000, n), 0)
    ms.sort()
    seq = np.arange(n) % 4096
    tweetid = [str(((int(m) - TWITTER_EPOCH_MS) << 22) | int(s)) for m, s in zip(ms, seq,
                                                                                 strict=True)]
    texts = [" ".join(rng.choice(WORDS, 5)) for _ in range(40)]
    rows = []
    for k in range(n):
        user = f"{rng.integers(1, users) * 7919}"
        kind = rng.random()
        repost = reply = ""
        urls: list[str] = []
        if kind < 0.45:
            repost = str(10**17 + int(rng.integers(0, 30)))
            text = "RT " + texts[rng.integers(0, 40)]
        else:
            text = texts[rng.integers(0, 40)]
            if rng.random() < 0.5:
                text = text.upper() if rng.random() < 0.5 else "@someone  " + text
            if rng.random() < 0.6:
                urls = [f"https://news{int(x)}.example/a" for x in
                        rng.choice(30, rng.integers(1, 3), replace=False)]
        rows.append((tweetid[k], user, f"name{user}", repost, reply, text, int(ms[k]), urls))
    starts = np.linspace(0, n - 8, 18).astype(int)
    for k in (starts[:, None] + np.arange(8)).ravel():  # a ring: 8 accounts, ~8 s apart
        ring, which = k - starts[starts <= k][-1], int((starts <= k).sum())
        user = f"{(users + ring) * 7919}"
        text, urls, repost = f"ring message {which}", [f"https://ring.example/{which}"], ""
        if which % 3 == 0:
            repost, text, urls = str(10**16 + which), "RT " + text, []
        rows[k] = (tweetid[k], user, f"name{user}", repost, "", text, int(ms[k]), urls)
    return pd.DataFrame(rows, columns=["message_id", "user_id", "username", "repost_id",
                                       "reply_id", "message", "timestamp", "urls"])


def write_cnt_csv(df: pd.DataFrame, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(df.columns)
        for r in df.itertuples(index=False):
            w.writerow([*r[:7], " ".join(r.urls)])


def run_cnt(tmp: Path, df: pd.DataFrame, kind: str, min_weight: int) -> pd.DataFrame:
    """cnt's directed network (self-loops dropped) for `df`, read from its SQLite table."""
    db, src = tmp / f"{kind}.db", tmp / f"{kind}.csv"
    write_cnt_csv(df, src)
    for args in (["preprocess", "--format", "csv", str(src)],
                 ["compute", kind, "--time_window", str(WINDOW_MS),
                  "--min_edge_weight", str(min_weight), "--n_cpus", "2"]):
        done = subprocess.run([str(CNT), str(db), *args], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as con:
        rows = con.execute(f"select user_1, user_2, weight from {kind}_network "
                           "where user_1 != user_2").fetchall()
    return pd.DataFrame(rows, columns=["user_1", "user_2", "weight"])


def our_events(df: pd.DataFrame, kind: str, phantom_url: bool = False) -> pd.DataFrame:
    """The events our detector reads out of Neo4j for `kind`, built from the same rows."""
    base = df.assign(account=df["user_id"], time_ms=df["timestamp"], tweetid=df["message_id"])
    if kind == "co_retweet":
        ev = base[base["repost_id"] != ""].assign(target=lambda d: d["repost_id"])
    elif kind == "co_tweet":
        ev = base[base["repost_id"] == ""].assign(
            target=lambda d: d["message"].map(normalize_text))
    else:
        ev = base[base["repost_id"] == ""].copy()
        if phantom_url:
            ev["urls"] = ev["urls"].map(lambda u: u or [""])
        ev = ev.explode("urls").dropna(subset=["urls"]).assign(target=lambda d: d["urls"])
    return ev[["account", "target", "time_ms", "tweetid"]].reset_index(drop=True)


def as_set(d: pd.DataFrame) -> set[tuple[str, str, int]]:
    return {(str(a), str(b), int(w)) for a, b, w in d[["user_1", "user_2", "weight"]].values}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    df = messages()
    assert all(snowflake_ms(m) == t for m, t in zip(df["message_id"], df["timestamp"],
                                                     strict=True))
    return df


def test_text_normalizations_agree(data: pd.DataFrame) -> None:
    own = data["message"].map(normalize_text)
    assert (own == data["message"].map(message_preprocessor)).all()


@pytest.mark.parametrize("kind", ["co_retweet", "co_tweet"])
@pytest.mark.parametrize("min_weight", [1, 3])
def test_same_network_as_cnt(tmp_path: Path, data: pd.DataFrame, kind: str,
                             min_weight: int) -> None:
    theirs = as_set(run_cnt(tmp_path, data, kind, min_weight))
    ev = our_events(data, kind)
    ours = as_set(directed_message_weights(ev, WINDOW_MS, min_weight))
    assert len(theirs) > 50
    assert ours == theirs
    check_undirected(ev, theirs, min_weight)


def test_co_tweet_differs_from_cnt_only_by_normalization(tmp_path: Path,
                                                         data: pd.DataFrame) -> None:
    """Punctuation and emoji added to some copies: cnt splits them, we do not."""
    rng = np.random.default_rng(7)
    edited = data.copy()
    original = edited["repost_id"] == ""
    tails = np.array(["!", "!!", " 🙏", "...", "?!"], dtype=object)
    pick = original & (rng.random(len(edited)) < 0.4)
    edited.loc[pick, "message"] = (edited.loc[pick, "message"].str.replace(" ", ", ", n=1)
                                   + tails[rng.integers(0, len(tails), int(pick.sum()))])
    ours = as_set(directed_message_weights(our_events(edited, "co_tweet"), WINDOW_MS, 3))
    theirs_raw = as_set(run_cnt(tmp_path, edited, "co_tweet", 3))
    (tmp_path / "normalized").mkdir()
    theirs_normalized = as_set(run_cnt(tmp_path / "normalized", edited.assign(
        message=edited["message"].map(normalize_text)), "co_tweet", 3))
    assert ours == theirs_normalized
    weight = {(a, b): w for a, b, w in ours}  # cnt misses copies that differ in punctuation
    assert all(weight.get((a, b), 0) >= w for a, b, w in theirs_raw)
    assert sum(weight.values()) > sum(w for _, _, w in theirs_raw)
    assert ours == as_set(directed_message_weights(our_events(data, "co_tweet"), WINDOW_MS, 3))


def check_undirected(ev: pd.DataFrame, theirs: set[tuple[str, str, int]],
                     min_weight: int) -> None:
    """Our undirected weight equals cnt's weight in both directions for every pair where each
    shared target is one message of each account (no repeats, no message with two shared
    links); where accounts repeat a target, cnt counts the repeats and we do not."""
    directed = {(a, b): w for a, b, w in theirs}
    edges = co_action_edges(ev, WINDOW_MS, min_weight, evidence_cap=10**9)
    once = ev.groupby(["account", "target"]).size().eq(1)
    tweet_of = ev.set_index(["account", "target"])["tweetid"]
    exact = 0
    for r in edges.itertuples(index=False):
        assert r.weight == len(r.evidence)
        single = all(once[(r.a, t)] and once[(r.b, t)] for t in r.evidence)
        if single and all(len({tweet_of[(u, t)] for t in r.evidence}) == r.weight
                          for u in (r.a, r.b)):
            assert r.weight == directed[(r.a, r.b)] == directed[(r.b, r.a)]
            exact += 1
    assert exact > 0


def test_co_link_matches_cnt_apart_from_the_empty_url_bug(tmp_path: Path,
                                                          data: pd.DataFrame) -> None:
    theirs = as_set(run_cnt(tmp_path, data, "co_link", 3))
    ours_clean = as_set(directed_message_weights(our_events(data, "co_link"), WINDOW_MS, 3))
    with_bug = as_set(directed_message_weights(
        our_events(data, "co_link", phantom_url=True), WINDOW_MS, 3))
    assert theirs == with_bug
    assert theirs != ours_clean  # the bug adds edges from link-less messages

    linked = data[data["urls"].map(len) > 0]
    (tmp_path / "linked").mkdir()
    theirs_linked = as_set(run_cnt(tmp_path / "linked", linked, "co_link", 3))
    ev = our_events(data, "co_link")
    assert theirs_linked == ours_clean
    assert len(theirs_linked) > 50
    check_undirected(ev, theirs_linked, 3)
