"""The planted operations but the Chinese-language one (in `chinese`). Each recruits its
own disclosed accounts (disjoint from every other operation), gives them some
organic-looking activity through the background module, then plants its coordinated
behaviour and returns the ground-truth evidence.

Evidence values under `TWEET_KEYS` are tweet rows and under `ACCOUNT_KEYS` account rows;
`generate` turns them into the ids written to the files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .accounts import DAY_MS, make_accounts
from .ids import tokens
from .organic import add_reactions, post_originals, rhythm_ms
from .params import OpSpec
from .text import sentences
from .vocab import FIRST_NAMES, POLITICAL_EN, POLITICAL_ZH, SHORTENERS
from .world import EMPTY, ORIGINAL, REPLY, RETWEET, World, objects

TWEET_KEYS = frozenset({"targets", "tweets", "exact", "handover"})
ACCOUNT_KEYS = frozenset({"members", "celebrities", "idol", "tagged"})
OP_TZ = 8.0  # the operators keep office hours in UTC+8
HISTORY_TZ = 0.0  # the repurposed accounts' first owners tweeted evenings in UTC+0
OFFICE_CLIENT = "Twitter Web Client"  # the operators' desktop client
HANDOVER_BEFORE = ("account for sale, dm me", "selling this account, dm for price")
HANDOVER_AFTER = ("test new owner", "new owner test 测试")
RARE_CLIENT = "Lotus Publisher Pro"
PROFILE_DOMAIN = "brightharbor-media.com"
PUSHED_DOMAINS = ("meridian-digest.info", "clearwater-bulletin.net", "openfield-news.xyz",
                  "harborlight-times.info", "northgate-observer.net", "pinecrest-daily.xyz",
                  "silverline-report.info")
WEAK_DOMAINS = ("eastbrook-ledger.info", "quarry-lane-post.net")  # weak-signals' own sites
PARTICIPATION = 0.85  # share of members acting in each coordinated round

Evidence = dict[str, Any]


def recruit(world: World, spec: OpSpec, **overrides: Any) -> np.ndarray:
    """`spec.size` disclosed accounts of an operation run from UTC+8: interface language
    mostly zh-cn (as in the China release), tweets in English, modest activity."""
    rng = world.rng
    n = spec.size
    cols: dict[str, Any] = {
        "lang": "en", "tz": np.full(n, OP_TZ), "disclosed": np.ones(n, dtype=bool),
        "account_lang": rng.choice(np.array(["zh-cn", "zh-cn", "zh-cn", "en"], dtype=object), n),
        "followers": rng.lognormal(np.log(60), 1.5, n).astype(np.int64),
        "rate": rng.uniform(0.4, 1.5, n),
        "created_ms": world.t0_ms - rng.integers(60, 900, n) * DAY_MS,
    }
    cols.update(overrides)
    return make_accounts(world, n, **cols)


def round_times(world: World, n: int, margin_s: int) -> np.ndarray:
    """Start times of `n` coordinated rounds in office hours, leaving `margin_s` at the end."""
    ms = rhythm_ms(world.rng, np.full(n, OP_TZ), world.t0_ms, world.days)
    return np.sort(np.minimum(ms, world.t1_ms - margin_s * 1000))


def participants(rng: np.random.Generator, members: np.ndarray) -> np.ndarray:
    take = rng.random(len(members)) < PARTICIPATION
    if take.sum() < 2:
        take[rng.choice(len(members), 2, replace=False)] = True
    return members[take]


def post(world: World, authors: np.ndarray, ms: np.ndarray, text: np.ndarray, lang: Any,
         *, hashtags: list[tuple[str, ...]] | None = None,
         urls: list[tuple[str, ...]] | None = None,
         mentions: list[tuple[int, ...]] | None = None,
         client: np.ndarray | None = None) -> np.ndarray:
    """Original tweets with the given text, language (one or per tweet) and entities, from
    the authors' own client unless `client` is given."""
    n = len(authors)
    return world.tweets.add(
        n, author=authors, ms=ms, kind=ORIGINAL, text=text, lang=lang,
        client=world.account("client")[authors] if client is None else client,
        hashtags=hashtags or [EMPTY] * n,
        urls=urls or [EMPTY] * n, mentions=mentions or [EMPTY] * n,
    )


def co_retweet(world: World, spec: OpSpec, members: np.ndarray, pool: np.ndarray) -> Evidence:
    """Members retweet the same organic tweets, all within `window_s` of each other,
    minutes to hours after the original: round after round."""
    rng = world.rng
    tw = world.tweets
    plain = np.array([not h and not u and not m for h, u, m in zip(
        tw.column("hashtags")[pool], tw.column("urls")[pool], tw.column("mentions")[pool],
        strict=True)])
    ms = tw.column("ms")[pool]
    kind, author = tw.column("kind"), tw.column("author")
    seen = tw.column("ref")[(kind == RETWEET) & np.isin(author, members)]  # no retweet twice
    eligible = pool[plain & (ms < world.t1_ms - 5 * 3_600_000) & ~np.isin(pool, seen)]
    targets = np.sort(rng.choice(eligible, size=spec.events, replace=False))
    target_ms = tw.column("ms")[targets]
    rows = []
    for target, t in zip(targets, target_ms, strict=True):
        who = participants(rng, members)
        start = t + rng.integers(120_000, 4 * 3_600_000)
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        rows.append(add_reactions(world, who, np.full(len(who), target), when, RETWEET))
    return {"targets": targets, "window_s": spec.window_s, "tweets": np.concatenate(rows)}


def copy_paste(world: World, spec: OpSpec, members: np.ndarray) -> Evidence:
    """Members post the same slogan within `window_s`, varied only in case, spacing and
    an added mention (all removed by text normalization)."""
    rng = world.rng
    slogans = sentences(rng, np.full(spec.events, "en", dtype=object), 8, 16, POLITICAL_EN)
    handles = world.account("handle")
    famous = np.argsort(world.account("followers"))[-12:]
    rows = []
    for slogan, start in zip(slogans, round_times(world, spec.events, spec.window_s),
                             strict=True):
        who = participants(rng, members)
        variant = rng.integers(0, 4, len(who))
        mention = famous[rng.integers(0, len(famous), len(who))]
        text = np.array([
            (slogan, slogan.capitalize(), slogan.replace(" ", "  ", 2),
             f"@{handles[m]} {slogan}")[v] for v, m in zip(variant, mention, strict=True)
        ], dtype=object)
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        mentions = [(int(m),) if v == 3 else EMPTY for v, m in zip(variant, mention,
                                                                   strict=True)]
        rows.append(post(world, who, when, text, "en", mentions=mentions))
    return {"texts": list(slogans), "window_s": spec.window_s,
            "tweets": np.concatenate(rows)}


def hashtag_flood(world: World, spec: OpSpec, members: np.ndarray, per_round: int = 3
                  ) -> Evidence:
    """Members post different sentences carrying the same `per_round` campaign hashtags
    within `window_s`; they never retweet (their background has no retweets either)."""
    rng = world.rng
    words = [w.capitalize() for w in POLITICAL_EN if len(w) > 3]
    tags = sorted({a + b for a, b in rng.choice(words, (40, 2)) if a != b})[:12]
    rng.shuffle(tags)
    rows = []
    for r, start in enumerate(round_times(world, spec.events, spec.window_s)):
        who = participants(rng, members)
        chosen = tuple(tags[(per_round * r + k) % len(tags)] for k in range(per_round))
        text = sentences(rng, np.full(len(who), "en", dtype=object), 5, 12, POLITICAL_EN)
        text = np.array([t + "".join(f" #{h}" for h in chosen) for t in text], dtype=object)
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        rows.append(post(world, who, when, text, "en", hashtags=[chosen] * len(who)))
    return {"hashtags": tags, "window_s": spec.window_s, "tweets": np.concatenate(rows)}


def reply_mention(world: World, spec: OpSpec, members: np.ndarray) -> Evidence:
    """Members reply to each other's tweets and mention a third member, in both
    directions: every reply from a to b is answered by a reply from b to a."""
    rng = world.rng
    tw = world.tweets
    author, kind, ms = tw.column("author"), tw.column("kind"), tw.column("ms")
    own = {m: np.flatnonzero((author == m) & (kind == ORIGINAL) & (ms < world.t1_ms - DAY_MS))
           for m in members}
    rows = []
    handles = world.account("handle")
    for _ in range(spec.events // 2):
        a, b, c = rng.choice(members, 3, replace=False)
        for src, dst in ((a, b), (b, a)):
            if not len(own[dst]):
                continue
            target = rng.choice(own[dst])
            when = ms[target] + int(rng.lognormal(np.log(900), 1.0) * 1000)
            text = sentences(rng, np.array(["en"], dtype=object), 3, 10)[0]
            rows.append(world.tweets.add(
                1, author=np.array([src]), ms=np.array([when]), kind=REPLY,
                ref=np.array([target]), text=[f"{text} @{handles[c]}"], lang="en",
                client=world.account("client")[[src]], mentions=[(int(c),)]))
    return {"tweets": np.concatenate(rows)}


def shared_infrastructure(world: World, spec: OpSpec) -> tuple[np.ndarray, Evidence]:
    """Accounts made in one burst of days: handles name + 8 digits, profile links on one
    domain, one rare client app used by nobody else, bought followers (so unhashed)."""
    rng = world.rng
    n = spec.size
    burst0 = world.t0_ms - int(rng.integers(90, 270)) * DAY_MS
    burst0 -= burst0 % DAY_MS
    handles = np.array([f"{rng.choice(FIRST_NAMES)}{rng.integers(10**7, 10**8)}"
                        for _ in range(n)], dtype=object)
    members = recruit(
        world, spec, handle=handles, name=handles.copy(),
        created_ms=burst0 + rng.integers(0, 4, n) * DAY_MS,
        profile_url=np.array([f"https://{PROFILE_DOMAIN}/u/{h.lower()}" for h in handles],
                             dtype=object),
        followers=rng.integers(5200, 19000, n), following=rng.integers(20, 300, n),
        client=np.full(n, RARE_CLIENT, dtype=object), rate=rng.uniform(0.5, 1.5, n),
    )
    days = [datetime.fromtimestamp((burst0 + d * DAY_MS) / 1000, UTC).date().isoformat()
            for d in (0, 3)]
    return members, {"client": RARE_CLIENT, "profile_domain": PROFILE_DOMAIN,
                     "created_between": days, "handle_pattern": r"^[A-Za-z]+[0-9]{8}$"}


def link_pushing(world: World, spec: OpSpec, members: np.ndarray,
                 domains: tuple[str, ...] = PUSHED_DOMAINS) -> Evidence:
    """Members post different comments with the same link to an obscure site (one of
    `domains`) within `window_s`; a third of the links hide behind a shortener (kept as
    written)."""
    rng = world.rng
    slugs = tokens(rng, spec.events, 12)
    urls = []
    for r, slug in enumerate(slugs):
        domain = domains[r % len(domains)]
        url = f"https://{domain}/2019/{r % 12 + 1:02d}/{slug.lower()}"
        if r % 3 == 2:
            url = f"https://{SHORTENERS[r % len(SHORTENERS)]}/{slug[:7]}"
        urls.append(url)
    rows = []
    for url, start in zip(urls, round_times(world, spec.events, spec.window_s), strict=True):
        who = participants(rng, members)
        text = sentences(rng, np.full(len(who), "en", dtype=object), 4, 10, POLITICAL_EN)
        codes = tokens(rng, len(who), 10)
        text = np.array([f"{t} https://t.co/{c}" for t, c in zip(text, codes, strict=True)],
                        dtype=object)
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        rows.append(post(world, who, when, text, "en", urls=[(url,)] * len(who)))
    shortened = [u for u in urls if u.split("/")[2] in SHORTENERS]
    return {"domains": sorted({u.split("/")[2] for u in urls} - set(SHORTENERS)),
            "urls": urls, "shortened": shortened,
            "window_s": spec.window_s, "tweets": np.concatenate(rows)}


def mention_swarm(world: World, spec: OpSpec, members: np.ndarray) -> Evidence:
    """Members tag the same account (a rotating list of a dozen ordinary accounts: local
    reporters, critics) in different sentences within `window_s`, round after round,
    amid the organic mentions of celebrities."""
    rng = world.rng
    followers = world.account("followers")
    ordinary = np.flatnonzero(~world.account("disclosed") & (followers >= 300)
                              & (followers < 20_000))
    tagged = rng.choice(ordinary, size=min(12, len(ordinary)), replace=False)
    handles = world.account("handle")
    rows = []
    for r, start in enumerate(round_times(world, spec.events, spec.window_s)):
        who = participants(rng, members)
        target = int(tagged[r % len(tagged)])
        text = sentences(rng, np.full(len(who), "en", dtype=object), 4, 10, POLITICAL_EN)
        text = np.array([f"@{handles[target]} {t}" for t in text], dtype=object)
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        rows.append(post(world, who, when, text, "en", mentions=[(target,)] * len(who)))
    return {"tagged": tagged, "window_s": spec.window_s, "tweets": np.concatenate(rows)}


def reply_swarm(world: World, spec: OpSpec, members: np.ndarray) -> Evidence:
    """Members pile replies onto the same tweet of an ordinary account within `window_s`,
    minutes to hours after it was posted, round after round, amid the organic reply
    threads under celebrities' tweets."""
    rng = world.rng
    tw = world.tweets
    author, kind, ms = tw.column("author"), tw.column("kind"), tw.column("ms")
    followers = world.account("followers")[author]
    eligible = np.flatnonzero((kind == ORIGINAL) & ~world.account("disclosed")[author]
                              & (followers < 20_000) & (ms < world.t1_ms - 5 * 3_600_000))
    targets = np.sort(rng.choice(eligible, size=spec.events, replace=False))
    rows = []
    for target in targets:
        who = participants(rng, members)
        start = ms[target] + rng.integers(120_000, 3 * 3_600_000)
        when = start + rng.integers(0, spec.window_s * 1000, len(who))
        rows.append(add_reactions(world, who, np.full(len(who), target), when, REPLY))
    return {"targets": targets, "window_s": spec.window_s, "tweets": np.concatenate(rows)}


def repurposed(world: World, spec: OpSpec) -> tuple[np.ndarray, Evidence]:
    """Old accounts with a year of everyday English tweets from a phone, evenings in UTC+0,
    silent for years, that all start posting in Chinese about civic order on one day of
    the window: from a desktop client, in office hours of UTC+8 on weekdays. Some said they
    were for sale before the silence; some first tested their new owner after it."""
    rng = world.rng
    n = spec.size
    history0 = world.t0_ms - 3 * 365 * DAY_MS
    phones = np.array(["Twitter for iPhone", "Twitter for Android"], dtype=object)
    members = recruit(world, spec, account_lang=np.full(n, "en", dtype=object),
                      created_ms=history0 - rng.integers(30, 900, n) * DAY_MS,
                      followers=rng.lognormal(np.log(150), 1.0, n).astype(np.int64),
                      client=phones[rng.integers(0, 2, n)])
    per = rng.integers(15, 60, n)
    authors = np.repeat(members, per)
    ms = rhythm_ms(rng, np.full(len(authors), HISTORY_TZ), history0, 365)
    history = post_originals(world, authors, ms, url_share=0.05, mention_share=0.0)
    sellers = members[rng.random(n) < 0.35]
    last = world.tweets.column("ms")[history].max()
    sold = post(world, sellers, last + rng.integers(3_600_000, 7 * DAY_MS, len(sellers)),
                objects(rng.choice(HANDOVER_BEFORE, len(sellers))), "en")
    switch_day = world.days // 3
    switch_ms = world.t0_ms + switch_day * DAY_MS
    per = rng.integers(20, 60, n)
    authors = np.repeat(members, per)
    first = np.r_[0, np.cumsum(per)[:-1]]
    ms = office_hours_ms(rng, len(authors), OP_TZ, switch_ms, world.days - switch_day)
    ms[first] = switch_ms + rng.integers(3_600_000, 10 * 3_600_000, n)  # the day, 9-18 UTC+8
    text = sentences(rng, np.full(len(authors), "zh", dtype=object), 6, 20, POLITICAL_ZH)
    tested = first[rng.random(n) < 0.5]
    text[tested] = rng.choice(HANDOVER_AFTER, len(tested))
    after = post(world, authors, ms, text, "zh", client=np.full(len(authors), OFFICE_CLIENT,
                                                                dtype=object))
    day = datetime.fromtimestamp(switch_ms / 1000, UTC).date().isoformat()
    last_old = datetime.fromtimestamp(int(world.tweets.column("ms")[np.r_[history, sold]].max())
                                      / 1000, UTC).date().isoformat()
    return members, {"switch_date": day, "language_before": "en", "language_after": "zh",
                     "topic_before": "everyday life", "topic_after": "civic order",
                     "clients_before": sorted(phones), "client_after": OFFICE_CLIENT,
                     "hours_before": "evenings, UTC+0", "hours_after": "office hours, UTC+8",
                     "dormant_between": [last_old, day], "tweets": after,
                     "handover": np.r_[sold, after[tested]]}


def office_hours_ms(rng: np.random.Generator, n: int, tz: float, t0_ms: int,
                    days: int) -> np.ndarray:
    """Times on weekdays from 09:00 to 18:00 on the wall clock of UTC+`tz`, within the
    `days` from `t0_ms` (a weekend-only span falls back to every day)."""
    offset = int(tz * 3_600_000)
    local_days = (t0_ms + offset) // DAY_MS + np.arange(days)
    weekdays = local_days[(local_days + 3) % 7 < 5]  # 1970-01-01 was a Thursday
    day = rng.choice(weekdays if len(weekdays) else local_days, n)
    ms = day * DAY_MS + rng.integers(9 * 3_600_000, 18 * 3_600_000, n) - offset
    return np.clip(ms, t0_ms, t0_ms + days * DAY_MS - 1)


def weak_signals(world: World, spec: OpSpec, members: np.ndarray, pool: np.ndarray
                 ) -> Evidence:
    """Members act together in four ways (retweet the same tweets, push the same hashtag,
    the same link, tag the same account), each only `spec.events` rounds of one target:
    a pair shares a few targets of each kind, too few for any single detector to find a
    significant ring, while the four signals together hold the ring (`detect all`)."""
    parts = [co_retweet(world, spec, members, pool),
             hashtag_flood(world, spec, members, per_round=1),
             link_pushing(world, spec, members, WEAK_DOMAINS),
             mention_swarm(world, spec, members)]
    return {"signals": ["co-retweet", "co-hashtag", "co-link", "co-mention"],
            "targets": parts[0]["targets"], "hashtags": parts[1]["hashtags"][:spec.events],
            "urls": parts[2]["urls"], "tagged": parts[3]["tagged"][:spec.events],
            "window_s": spec.window_s, "tweets": np.concatenate([p["tweets"] for p in parts])}


ACTS: dict[str, Callable[..., Evidence]] = {
    "co-retweet": co_retweet, "copy-paste": copy_paste, "hashtag-flood": hashtag_flood,
    "reply-mention": reply_mention, "link-pushing": link_pushing,
    "mention-swarm": mention_swarm, "reply-swarm": reply_swarm,
}
"""Operations planted on recruited members after the background exists."""
BUILDS: dict[str, Callable[[World, OpSpec], tuple[np.ndarray, Evidence]]] = {
    "shared-infrastructure": shared_infrastructure, "repurposed": repurposed,
}
"""Operations whose accounts are themselves the signal; they recruit their own members."""
