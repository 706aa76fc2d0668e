"""Who leads inside a ring: the ring's co-action episodes, each member's first moves and lags,
and a role by a stated rule.

An episode is a burst of the ring's members acting on one shared target: their events on
that target that have a partner event of another member within the window, chained while
consecutive events are at most the window apart (a hashtag used by the ring on Monday and
again on Friday makes two episodes). In each episode the earliest member acted first (ties
all count as first); every member's lag is its first event's time minus the episode's
start. Per member: `episodes` joined, `leads` (episodes it started), `lead_share`
(leads / episodes) and `median_lag_s` (over the episodes it joined, 0 where it led).

`ROLE_RULE` in words; it is stored with every run so a reader can check a label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from .pairs import Coded, sweep

LEADER_SHARE: Final = 1 / 3
LEADER_MIN_LEADS: Final = 3
AMPLIFIER_SHARE: Final = 0.5
ROLE_RULE: Final = (
    f"leader: acted first in at least {LEADER_SHARE:.0%} of the episodes it joined and in "
    f"{LEADER_MIN_LEADS} or more; amplifier: not a leader, joined at least "
    f"{AMPLIFIER_SHARE:.0%} of the ring's episodes; peripheral: the rest. An episode is a "
    "burst of members acting on one shared target, events at most the window apart.")
EPISODE_COLUMNS: Final = ("ring", "signal", "target", "episode", "account", "tweetid",
                          "time_ms")
ROLE_COLUMNS: Final = ("account", "ring", "episodes", "leads", "lead_share", "median_lag_s",
                       "role")


def ring_episodes(signals: Sequence[tuple[str, pd.DataFrame, int]],
                  members: pd.DataFrame) -> pd.DataFrame:
    """The matched events of every ring, numbered into episodes. `signals`: (name, events
    with account/target/time_ms/tweetid, window in ms) for each signal the run paired;
    `members`: account, ring (an account is in at most one ring of a run)."""
    ring_of = members.drop_duplicates("account").set_index("account")["ring"]
    frames = []
    next_episode = 0
    for name, events, window_ms in signals:
        ev = events[events["account"].isin(ring_of.index)]
        if ev.empty:
            continue
        ring = ev["account"].map(ring_of).to_numpy(dtype=np.int64)
        key, _ = pd.factorize(pd.Series(ring).astype(str) + "\x00"
                              + ev["target"].astype(str).to_numpy(), sort=True)
        acc, accounts = pd.factorize(ev["account"], sort=True)
        t = ev["time_ms"].to_numpy(dtype=np.int64)
        order = np.lexsort((t, key))
        c = Coded(acc[order].astype(np.int64), key[order].astype(np.int64), t[order],
                  order.astype(np.int64), np.asarray(accounts, dtype=object),
                  np.zeros(0, dtype=object), np.zeros(0, dtype=object))
        hits = [np.concatenate(pair) for pair in sweep(c, window_ms)]
        if not hits:
            continue
        idx = np.unique(np.concatenate(hits))  # positions in (key, time) order
        k, tt = c.tgt[idx], c.t[idx]
        new = np.r_[True, (k[1:] != k[:-1]) | (tt[1:] - tt[:-1] > window_ms)]
        episode = np.cumsum(new) - 1 + next_episode
        next_episode = int(episode.max()) + 1
        rows = ev.iloc[c.tweet[idx]]
        frames.append(pd.DataFrame({
            "ring": ring[c.tweet[idx]], "signal": name,
            "target": rows["target"].to_numpy(), "episode": episode,
            "account": rows["account"].to_numpy(), "tweetid": rows["tweetid"].to_numpy(),
            "time_ms": tt}))
    if not frames:
        return pd.DataFrame({c: [] for c in EPISODE_COLUMNS}).astype(
            {"ring": np.int64, "episode": np.int64, "time_ms": np.int64})
    return pd.concat(frames, ignore_index=True)


def member_roles(episodes: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Per ring member: episodes, leads, lead_share, median_lag_s and role (`ROLE_RULE`);
    members of no episode get 0 and `peripheral`."""
    per = episodes.groupby(["episode", "account"], sort=False).agg(
        ring=("ring", "first"), first=("time_ms", "min")).reset_index()
    start = per.groupby("episode")["first"].transform("min")
    size = per.groupby("episode")["account"].transform("size")
    per = per[size >= 2].assign(lag_s=(per["first"] - start) / 1000)
    stats = per.groupby("account").agg(episodes=("episode", "size"),
                                       leads=("lag_s", lambda x: int((x == 0).sum())),
                                       median_lag_s=("lag_s", "median"))
    stats.index = stats.index.astype(object)  # userids, also when no episode was found
    ring_episodes = per.groupby("ring")["episode"].nunique()
    out = members[["account", "ring"]].astype({"account": object}).merge(
        stats, left_on="account", right_index=True, how="left")
    out["episodes"] = out["episodes"].fillna(0).astype(np.int64)
    out["leads"] = out["leads"].fillna(0).astype(np.int64)
    out["lead_share"] = out["leads"] / out["episodes"].where(out["episodes"] > 0, 1)
    total = out["ring"].map(ring_episodes).fillna(0).to_numpy()
    leader = (out["leads"] >= LEADER_MIN_LEADS) & (out["lead_share"] >= LEADER_SHARE - 1e-9)
    amplifier = ~leader & (out["episodes"] >= AMPLIFIER_SHARE * total) & (total > 0)
    out["role"] = np.where(leader, "leader", np.where(amplifier, "amplifier", "peripheral"))
    return out[list(ROLE_COLUMNS)].reset_index(drop=True)
