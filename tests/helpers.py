"""Helpers shared by the test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, LiteralString

import pytest
from playwright.sync_api import Locator

from toolkit.cli import main as cli_main
from toolkit.db.connect import Graph


def infoops(*args: str, env: dict[str, str], input: str | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would; `check` asserts exit code 0."""
    exe = Path(sys.executable).with_name("infoops")
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                            input=input, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def infoops_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                       env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`infoops ARGS` through the console script's own entry point (its one exit point for
    errors) in this process: exit code, stdout, stderr as a user sees them, without the
    seconds of imports a subprocess per case would cost."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["infoops", *args])
    capsys.readouterr()
    code: int | str | None = 0
    try:
        cli_main.run()
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 1 if code else 0), captured.out, captured.err


SNOWFLAKE_EPOCH_MS = 1288834974657
RING_START_MS = 1559390400000  # 2019-06-01 12:00:00 UTC
# Three accounts with release-style hashed ids (44 characters, one starting with '+', as
# spreadsheets see formulas) and hostile screen names: an escape sequence, rich markup,
# a right-to-left override.
RING_ACCOUNTS = {
    "+Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx": "\x1b[31mred\x1b[0m",
    "QmFycXV1eGZvb2Jhcnphcmdjb3JnZWdyYXVsdGdhcnBs": "[/x][bold]evil",
    "Q29yZ2VncmF1bHRnYXJwbHl3YWxkb3BsdWdoeHl6enk=": "abc\u202etxt.exe",
}


def snowflake(ms: int) -> str:
    return str((ms - SNOWFLAKE_EPOCH_MS) << 22)


def write_hostile_ring(path: Path) -> Path:
    """An IO-archive tweets file in which the three `RING_ACCOUNTS` retweet the same three
    tweets of account 900 seconds apart (a co-retweet ring at --window 60 --min-weight 3),
    their texts and names made to attack terminals and spreadsheets."""
    rows = ["tweetid,userid,user_screen_name,tweet_time,tweet_text,is_retweet,"
            "retweet_userid,retweet_tweetid"]
    for n in range(3):
        original = snowflake(RING_START_MS + n * 600_000)
        rows.append(f"{original},900,origin,2019-06-01 12:{n * 10:02d},"
                    f"\"=HYPERLINK(\"\"http://x.invalid\"\",\"\"click\"\") {n}\",false,,")
        for k, (userid, name) in enumerate(RING_ACCOUNTS.items()):
            ms = RING_START_MS + n * 600_000 + (k + 1) * 5_000
            rows.append(f"{snowflake(ms)},{userid},\"{name}\",2019-06-01 12:{n * 10:02d},"
                        f"\"RT \x1b]0;pwned\x07 @origin\",true,900,{original}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# The loaders' node statistics (toolkit.load.statistics) recounted from scratch, written
# apart from the loader's own recounts: one query over every node of a label.
RECOUNT: dict[str, LiteralString] = {
    "Hashtag": """
        MATCH (n:Hashtag)
        OPTIONAL MATCH (n)<-[:HAS_HASHTAG]-(t:Tweet)<-[:POSTED]-(a:Account)
        WHERE NOT coalesce(t.is_retweet, false)
        RETURN n.name AS key, properties(n) AS stored,
               {tweets: count(t), accounts: count(DISTINCT a), first_used: min(t.created_at),
                last_used: max(t.created_at)} AS counted""",
    "Client": """
        MATCH (n:Client)
        OPTIONAL MATCH (n)<-[:POSTED_VIA]-(t:Tweet)<-[:POSTED]-(a:Account)
        WITH n, t, a, CASE WHEN a:Disclosed THEN a END AS d
        RETURN n.name AS key, properties(n) AS stored,
               {tweets: count(t), accounts: count(DISTINCT a),
                disclosed: count(DISTINCT d)} AS counted""",
    "Domain": """
        MATCH (n:Domain)
        OPTIONAL MATCH (n)<-[:ON_DOMAIN]-(u:Url)<-[:LINKS_TO]-(t:Tweet)<-[:POSTED]-(a:Account)
        WITH n, u, t, a, CASE WHEN u.is_shortener AND t IS NOT NULL THEN u END AS short
        RETURN n.name AS key, properties(n) AS stored,
               {tweets: count(t), accounts: count(DISTINCT a),
                urls: count(DISTINCT CASE WHEN t IS NOT NULL THEN u END),
                shortener: count(short) > 0} AS counted""",
    "Account": """
        MATCH (n:Account)
        OPTIONAL MATCH (n)-[:POSTED]->(t:Tweet)
        OPTIONAL MATCH (t)-[l:LINKS_TO]->(:Url)
        WITH n, t, count(l) AS urls
        WITH n, count(t) AS tweets, count(CASE WHEN t.is_retweet THEN 1 END) AS retweets,
             min(t.created_at) AS first_tweet, max(t.created_at) AS last_tweet,
             count(CASE WHEN urls > 0 THEN 1 END) AS links,
             collect(DISTINCT t.language) AS languages
        OPTIONAL MATCH (n)-[:POSTED]->(:Tweet)<-[:RETWEET_OF]-(:Tweet)<-[:POSTED]-(fan:Account)
        WHERE fan <> n
        WITH n, tweets, retweets, first_tweet, last_tweet, links, languages,
             count(fan) AS retweeted
        RETURN n.userid AS key, properties(n) AS stored,
               {tweets: tweets, retweets: retweets, first_tweet: first_tweet,
                last_tweet: last_tweet, links: links, retweeted: retweeted,
                languages: [x IN languages WHERE x IS NOT NULL]} AS counted""",
    "Tweet": """
        MATCH (n:Tweet)
        OPTIONAL MATCH (n)<-[r:RETWEET_OF]-()
        WITH n, count(r) AS retweets
        RETURN n.tweetid AS key, properties(n) AS stored,
               {retweets: CASE WHEN retweets > 0 THEN retweets END} AS counted""",
}


def stale_statistics(graph: Graph) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Nodes whose stored statistics differ from a recount from scratch (label, key,
    stored, counted); a statistic that is missing counts as stale."""
    stale = []
    for label, query in RECOUNT.items():
        for row in graph.read(query):
            stored = {k: row["stored"].get(k) for k in row["counted"]}
            if "languages" in stored:  # a set, stored sorted
                row["counted"]["languages"] = sorted(row["counted"]["languages"])
            if stored != row["counted"] or any(k not in row["stored"]
                                               for k in ("tweets", "accounts")
                                               if k in row["counted"]):
                stale.append((label, row["key"], stored, row["counted"]))
    return stale


def rendered_fonts(locator: Locator) -> dict[str, int]:
    """The fonts Chromium used to draw the text of `locator`'s element, with the glyphs
    drawn from each (DevTools' CSS.getPlatformFontsForNode): a CJK text drawn with a font
    that lacks its glyphs shows as boxes, which is how a missing font is caught."""
    page = locator.page
    locator.evaluate("e => e.setAttribute('data-font-probe', '1')")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root,
                                              "selector": "[data-font-probe='1']"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        locator.evaluate("e => e.removeAttribute('data-font-probe')")
        cdp.detach()
    return {f["familyName"]: int(f["glyphCount"]) for f in fonts}
