"""Synthetic information-operation samples with ground truth.

`generate(out_dir, SampleParams(...)) -> GeneratedSample` writes, into `out_dir`:

- IO-archive format (default): `<name>_users_csv_hashed.csv` (the 10 user columns; the
  "disclosed" accounts = members of the planted operations) and
  `<name>_tweets_csv_hashed.csv` (the 31 columns of the real release in its order, every
  field double-quoted; ALL tweets: organic background, operations, decoys). Disclosed
  accounts with fewer than `hash_below` (5000) followers carry a 41-44 character base64
  hash as userid, display name and screen name. `tweet_time` is the minute of the
  snowflake time of `tweetid`.
- v2 format: `<name>.jsonl`, twarc2 search pages of the same tweets.
- `ground_truth.json`:

      {"seed": int, "params": {...SampleParams...}, "files": {"users": ..., "tweets": ...},
       "operations": [{"name": "op1-co-retweet", "kind": KIND, "members": [userid, ...],
                       "disclosed": true, "size": int, ...evidence}],
       "decoys": [{"name": "decoy-viral-burst", "kind": KIND, "members": [...], ...}]}

  Ids are as they appear in the files (hashed where hashed); member sets of different
  operations are disjoint. Evidence per operation kind:
    co-retweet: targets (tweetids), window_s, tweets (the ring's retweets)
    copy-paste: texts (the slogans), window_s, tweets
    hashtag-flood: hashtags, window_s, tweets (members never retweet)
    reply-mention: tweets (reciprocal replies, each mentioning a third member)
    shared-infrastructure: client, profile_domain, created_between [first, last day],
      handle_pattern (regex)
    link-pushing: domains, urls, shortened (the urls behind shorteners), window_s, tweets
    weak-signals: signals (the four detector kinds it shows in), targets, hashtags, urls,
      tagged, window_s, tweets: a few rounds of each, too few for any one detector
      (found only by `detect all`'s fused run)
    repurposed: switch_date, language_before, language_after, topic_before, topic_after,
      clients_before, client_after, hours_before, hours_after, dormant_between [last old
      tweet day, switch_date], tweets (after the switch), handover (tweets offering the
      account for sale before the silence, or testing the new owner after it)
    copy-paste-zh: texts (the messages as first written, Simplified), window_s, tweets
      (every edited copy), exact (the copies that differ from their message only in
      script, width, punctuation and emoji)
  Decoys: viral-burst (members: retweeters within window_s of a celebrity tweet;
  celebrities, targets, tweets), fan-community (members: fans; hashtags, idol, tweets),
  news-bots (members: bots; urls, min_gap_s, tweets), slogan-crowd (members: everyone
  who posted a slogan once; texts, window_s, tweets), headline-quotes (members: Chinese
  news accounts; texts, min_gap_s, tweets).

The bundled demo is `generate(dir, SampleParams(seed=DEMO_SEED, accounts=800, days=14))`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from .params import (
    DEMO_PARAMS,
    DEMO_SEED,
    OpSpec,
    OutputFormat,
    SampleParams,
    with_op_overrides,
)

if TYPE_CHECKING:
    from .generate import GeneratedSample, generate

# The generator needs numpy: loaded when first used, not when the CLI starts.
lazy_exports(__name__, {"GeneratedSample": ".generate", "generate": ".generate"})

__all__ = [
    "DEMO_PARAMS", "DEMO_SEED", "GeneratedSample", "OpSpec", "OutputFormat", "SampleParams",
    "generate", "with_op_overrides",
]
