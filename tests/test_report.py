"""The HTML report: numbers from a small fixture graph, hostile strings escaped, options
validated, and the page opened in headless Chromium with every network request blocked."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import typer
from helpers import rendered_fonts
from typer.testing import CliRunner

from toolkit.db.connect import Graph
from toolkit.errors import BadParameter
from toolkit.report import ReportOptions, build_report, stats
from toolkit.report.collect import collect
from toolkit.report.html import public_uri

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_TEXT = '<img src="http://example.invalid/pixel.gif" onerror="alert(2)">'
HOSTILE_URL = 'http://evil.example/"><script src=http://evil.example/x.js></script>'
HOSTILE_CLIENT = "<iframe src=//evil.example/frame>"
BURST_DAY = date(2019, 1, 15)
# Text in the scripts the report must draw: (display name, retweet text) of u2..u5.
SCRIPTS = {
    "zh": ("香港市民", "RT @src: 維護香港繁榮穩定，支持警方！"),
    "ja": ("東京タロウ", "RT @src: 今日はいい天気ですね"),
    "ko": ("김민수", "RT @src: 오늘 날씨가 좋네요"),
    "ar": ("مـــرحبا", "RT @src: مرحبا بكم في المدينة"),
}


def _t(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def fixture_rows() -> dict[str, list[dict]]:
    """Accounts, tweets and detection results of the fixture (see make_fixture)."""
    accounts = []
    for i in range(1, 21):  # u1..u8 created on one day (a burst), u9..u20 monthly in 2018
        created = BURST_DAY if i <= 8 else date(2018, i - 8, 1)
        name = list(SCRIPTS.values())[i - 2][0] if 2 <= i <= 5 else f"Account {i}"
        accounts.append({"userid": f"u{i}", "screen_name": HOSTILE_NAME if i == 1 else f"acct{i}",
                         "display_name": name, "followers": 10 * i,
                         "following": 5, "created_at": created, "disclosed": i <= 14,
                         "dataset": "ds1"})
    for i in (1, 2):
        accounts.append({"userid": f"v{i}", "screen_name": f"other{i}", "display_name": None,
                         "followers": 1, "following": 1, "created_at": date(2016, 5, 1),
                         "disclosed": False, "dataset": "ds2"})
    tweets = []
    # u1..u5 retweet the originals o1..o3 within 4 seconds of each other.
    for k, base in enumerate((_t(2019, 6, 3, 2), _t(2019, 6, 4, 3, 30), _t(2019, 6, 5, 6))):
        for i in range(1, 6):
            text = HOSTILE_TEXT if (i, k) == (2, 0) else f"RT @src: original {k + 1}"
            if k == 1 and i >= 2:
                text = list(SCRIPTS.values())[i - 2][1]
            tweets.append({"tweetid": f"rt{k + 1}-{i}", "userid": f"u{i}", "dataset": "ds1",
                           "created_at": base + timedelta(seconds=i - 1), "text": text,
                           "is_retweet": True, "client": "Twitter Web App",
                           "retweet_of": f"o{k + 1}", "hashtag": None, "url": None,
                           "mentions": ["src"]})
    for i in (6, 7):  # u6, u7 push a hashtag and a link from an odd client
        for k in range(3):
            tweets.append({"tweetid": f"h{i}-{k}", "userid": f"u{i}", "dataset": "ds1",
                           "created_at": _t(2019, 6, 10, 1, k), "text": f"#HK link {k}",
                           "is_retweet": False, "client": HOSTILE_CLIENT, "retweet_of": None,
                           "hashtag": "hk", "url": HOSTILE_URL, "mentions": ["u1"]})
    for i in range(9, 21):
        tweets.append({"tweetid": f"p{i}", "userid": f"u{i}", "dataset": "ds1",
                       "created_at": _t(2019, 7, 1, i), "text": f"organic {i}",
                       "is_retweet": False, "client": "Twitter for Android",
                       "retweet_of": None, "hashtag": None, "url": None, "mentions": []})
    for i in (1, 2):
        tweets.append({"tweetid": f"w{i}", "userid": f"v{i}", "dataset": "ds2",
                       "created_at": _t(2019, 7, 2, i), "text": "elsewhere",
                       "is_retweet": False, "client": "Twitter for iPhone", "retweet_of": None,
                       "hashtag": None, "url": None, "mentions": []})
    ring1 = [f"u{i}" for i in range(1, 6)]
    edges = [{"a": a, "b": b, "weight": 3, "evidence": ["o1", "o2", "o3"],
              "first_at": _t(2019, 6, 3, 2), "last_at": _t(2019, 6, 5, 6, 0, 4)}
             for n, a in enumerate(ring1) for b in ring1[n + 1:]]
    edges.append({"a": "u6", "b": "u7", "weight": 3, "evidence": ["hk"],
                  "first_at": _t(2019, 6, 10, 1), "last_at": _t(2019, 6, 10, 1, 2)})
    rings = [{"ring_id": "run-b:1", "members": ring1, "size": 5, "density": 1.0,
              "score": 9.5, "p_value": 0.001},
             {"ring_id": "run-b:2", "members": ["u6", "u7"], "size": 2, "density": 1.0,
              "score": 2.0, "p_value": 0.04}]
    return {"accounts": accounts, "tweets": tweets, "edges": edges, "rings": rings}


FIXTURE_CYPHER = [
    """UNWIND [{n: 'ds1', files: ['ds1_tweets_csv_hashed.csv'], t: 33, a: 20},
               {n: 'ds2', files: ['ds2.jsonl'], t: 2, a: 2}] AS d
       CREATE (:Dataset {name: d.n, format: 'io-archive', files: d.files, loaded_at: $loaded,
                         rows: d.t, rejected: 0, tweets: d.t, accounts: d.a})""",
    """UNWIND $accounts AS r
       MATCH (d:Dataset {name: r.dataset})
       CREATE (a:Account {userid: r.userid, screen_name: r.screen_name,
               display_name: r.display_name, followers: r.followers, following: r.following,
               created_at: r.created_at, hashed: false, language: 'zh-cn'})-[:IN_DATASET]->(d)
       FOREACH (_ IN CASE WHEN r.disclosed THEN [1] ELSE [] END | SET a:Disclosed)""",
    """CREATE (s:Account {userid: 'src', screen_name: 'source_account'})
       WITH s UNWIND ['o1', 'o2', 'o3'] AS id
       CREATE (s)-[:POSTED]->(:Tweet {tweetid: id,
               text: CASE id WHEN 'o1' THEN 'the amplified original' END})""",
    """UNWIND $tweets AS r
       MATCH (a:Account {userid: r.userid})
       CREATE (a)-[:POSTED]->(t:Tweet {tweetid: r.tweetid, text: r.text,
               created_at: r.created_at, time_source: 'snowflake', is_retweet: r.is_retweet,
               dataset: r.dataset, language: 'zh'})
       MERGE (c:Client {name: r.client}) CREATE (t)-[:POSTED_VIA]->(c)
       FOREACH (id IN CASE WHEN r.retweet_of IS NULL THEN [] ELSE [r.retweet_of] END |
         MERGE (o:Tweet {tweetid: id}) CREATE (t)-[:RETWEET_OF]->(o))
       FOREACH (h IN CASE WHEN r.hashtag IS NULL THEN [] ELSE [r.hashtag] END |
         MERGE (x:Hashtag {name: h}) ON CREATE SET x.display = 'HK' CREATE (t)-[:HAS_HASHTAG]->(x))
       FOREACH (u IN CASE WHEN r.url IS NULL THEN [] ELSE [r.url] END |
         MERGE (x:Url {url: u}) ON CREATE SET x.raw = u, x.is_shortener = false
         MERGE (d:Domain {name: 'evil.example'}) MERGE (x)-[:ON_DOMAIN]->(d)
         CREATE (t)-[:LINKS_TO]->(x))
       FOREACH (m IN r.mentions | MERGE (x:Account {userid: m}) CREATE (t)-[:MENTIONS]->(x))""",
    """CREATE (:DetectionRun {run_id: 'run-a', kind: 'co-link', params: '{"window_s": 30}',
               created_at: datetime('2019-08-19T00:00:00Z'), code_version: '0.1.0',
               edges: 0, rings: 0})
       CREATE (:DetectionRun {run_id: 'run-b', kind: 'co-retweet',
               params: '{"min_weight": 2, "window_s": 60}',
               created_at: datetime('2019-08-20T00:00:00Z'), code_version: '0.1.0',
               edges: 11, rings: 2})""",
    """UNWIND $edges AS e
       MATCH (a:Account {userid: e.a}), (b:Account {userid: e.b})
       CREATE (a)-[:COORDINATED {run_id: 'run-b', kind: 'co-retweet', weight: e.weight,
               window_s: 60, first_at: e.first_at, last_at: e.last_at, evidence: e.evidence,
               evidence_total: size(e.evidence), p_value: 0.01}]->(b)""",
    """MATCH (run:DetectionRun {run_id: 'run-b'})
       UNWIND $rings AS r
       CREATE (g:Ring {ring_id: r.ring_id, run_id: 'run-b', kind: 'co-retweet', size: r.size,
               density: r.density, score: r.score, p_value: r.p_value})-[:FOUND_BY]->(run)
       WITH g, r UNWIND r.members AS m
       MATCH (a:Account {userid: m}) CREATE (a)-[:MEMBER_OF]->(g)""",
]


def make_fixture(graph: Graph) -> None:
    """A small graph with two datasets, a retweet ring, a hashtag pair, two runs, and
    hostile names, texts, URLs and client names."""
    rows = fixture_rows()
    for query in FIXTURE_CYPHER:
        graph.write(query, loaded=_t(2019, 8, 20), **rows)


@pytest.fixture
def fixture_graph(graph: Graph) -> Graph:
    make_fixture(graph)
    return graph


# -- pure helpers ----------------------------------------------------------------------

def test_bursts_flag_only_outliers() -> None:
    assert stats.bursts([1, 2, 1, 1, 2, 40, 1, 0, 0]) == {5}
    assert stats.bursts([1, 1, 1, 8, 1, 2]) == {3}  # MAD 0: 3x the median and >= 5
    assert stats.bursts([3, 4, 3, 4]) == set()
    assert stats.bursts([0, 0, 9]) == set()  # too few buckets to call anything unusual


def test_buckets_fill_gaps_and_pick_a_unit() -> None:
    unit, out = stats.buckets([(date(2019, 1, 1), 2), (date(2019, 1, 4), 3)])
    assert unit == "day"
    assert [b.count for b in out] == [2, 0, 0, 3]
    unit, out = stats.buckets([(date(2018, 1, 31), 1), (date(2019, 12, 2), 1)])
    assert unit == "week" and out[0].start == date(2018, 1, 29) and len(out) == 97
    unit, out = stats.buckets([(date(2010, 1, 31), 1), (date(2019, 12, 2), 1)])
    assert unit == "month" and out[0].label == "2010-01" and out[-1].label == "2019-12"



def test_bursts_use_the_mad_when_there_is_spread() -> None:
    assert stats.bursts([10, 12, 9, 11, 10, 30, 8]) == {5}


def test_busiest_hours_find_a_working_day() -> None:
    grid = [[0] * 24 for _ in range(7)]
    for h in range(9, 18):
        grid[0][h] = 10
    grid[3][2] = 1
    assert stats.busiest_hours(grid) == list(range(9, 17))


# -- the report from the fixture graph --------------------------------------------------

def _kpi(page: str, name: str) -> str:
    match = re.search(r'<div class="v">([^<]*)</div><div class="k">' + re.escape(name), page)
    assert match, name
    return match.group(1)


def test_collect_counts_the_fixture(fixture_graph: Graph) -> None:
    data = collect(fixture_graph, ReportOptions(tz="Asia/Shanghai"))
    assert data.totals["accounts"] == 22  # 'src' is in no dataset
    assert data.totals["disclosed"] == 14
    assert (data.totals["tweets"], data.totals["retweets"]) == (35, 15)
    utc = stats.week_hour_grid(data.week_hour_utc)
    local = stats.week_hour_grid(data.week_hour_local)
    assert utc[0][2] == 5 and local[0][10] == 5  # Monday 02:00 UTC is 10:00 in Shanghai
    assert sum(map(sum, local)) == 35
    assert data.top["clients"][0] == {"label": "Twitter Web App", "tweets": 15, "accounts": 5}
    assert data.top["hashtags"][0]["label"] == "#HK"
    assert data.top["domains"][0] == {"label": "evil.example", "tweets": 6, "accounts": 2,
                                      "urls": 1}
    assert data.run is not None and data.run["run_id"] == "run-b"  # the newest
    assert [r.info["ring_id"] for r in data.rings] == ["run-b:1", "run-b:2"]
    ring1, ring2 = data.rings
    assert sorted(m["userid"] for m in ring1.members) == ["u1", "u2", "u3", "u4", "u5"]
    assert len(ring1.edges) == 10 and ring1.targets == [("o1", 10), ("o2", 10), ("o3", 10)]
    assert len(ring1.evidence) == 15
    assert {e["target"] for e in ring2.evidence} == {"hk"} and len(ring2.evidence) == 6
    assert data.target_tweets["o1"]["text"] == "the amplified original"
    assert data.target_tweets["o1"]["screen_name"] == "source_account"


def test_report_page(fixture_graph: Graph, tmp_path: Path) -> None:
    result = build_report(fixture_graph, tmp_path / "report.html",
                          ReportOptions(tz="Asia/Shanghai"))
    page = result.path.read_text(encoding="utf-8")
    assert result.run_id == "run-b" and result.rings == 2 and result.bytes == len(page.encode())
    assert _kpi(page, "tweets") == "35" and _kpi(page, "accounts in the datasets") == "22"
    # Hostile strings arrive escaped, never as markup; the page's only script is its own.
    assert page.count("<script") == 1 and "<iframe" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=&quot;http://example.invalid/pixel.gif&quot;" in page
    # The burst week is drawn as a burst; rings appear by score with their pictures.
    assert re.search(r'class="bar mark"[^>]*><title>week of 2019-01-14: 8 accounts \(burst\)',
                     page)
    assert page.index(">run-b:1</a>") < page.index(">run-b:2</a>")
    assert page.count('<svg class="net"') == 2
    assert "the amplified original" in page
    # Every query is printed with its parameters, and the footer names the version.
    for name in ("TOTALS", "TWEETS_BY_WEEKDAY_HOUR", "RINGS", "RING_EDGES", "EVIDENCE_TWEETS"):
        assert f"<b>{name}</b>" in page
    assert ":param tz =&gt; &#x27;Asia/Shanghai&#x27;;" in page  # Browser keeps its type
    assert "infoops report --run run-b --tz Asia/Shanghai" in page
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\';' in page


def test_report_of_one_dataset(fixture_graph: Graph, tmp_path: Path) -> None:
    data = collect(fixture_graph, ReportOptions(dataset="ds2"))
    assert (data.totals["accounts"], data.totals["tweets"]) == (2, 2)
    assert [d["name"] for d in data.datasets] == ["ds2"]
    assert [r["label"] for r in data.top["clients"]] == ["Twitter for iPhone"]


def test_report_of_an_empty_graph(graph: Graph, tmp_path: Path) -> None:
    result = build_report(graph, tmp_path / "empty.html")
    page = result.path.read_text(encoding="utf-8")
    assert result.run_id is None and result.rings == 0
    assert "No detection run in the database" in page and "No tweets with a time." in page


@pytest.mark.parametrize(("options", "name", "fragment"), [
    (ReportOptions(tz="Mars/Olympus"), "tz", "Asia/Shanghai"),
    (ReportOptions(run_id="nope"), "run", "run-a"),
    (ReportOptions(dataset="nope"), "dataset", "ds1, ds2"),
    (ReportOptions(top=0), "top", "below the minimum 1"),
])
def test_report_rejects_bad_options(fixture_graph: Graph, tmp_path: Path,
                                    options: ReportOptions, name: str, fragment: str) -> None:
    with pytest.raises(BadParameter) as info:
        build_report(fixture_graph, tmp_path / "r.html", options)
    assert info.value.name == name and fragment in str(info.value)
    assert not (tmp_path / "r.html").exists()


def test_public_uri_drops_credentials() -> None:
    assert public_uri("neo4j+s://neo4j:secret@db.example:7687/x") == "neo4j+s://db.example:7687/x"


def test_report_command(fixture_graph: Graph, cli_env: dict[str, str], tmp_path: Path) -> None:
    from toolkit.cli.report import report
    from toolkit.cli.state import state

    app = typer.Typer()
    app.command()(report)
    app.command("unused")(lambda: None)  # two commands, so `report` is a subcommand
    out = tmp_path / "cli.html"
    try:
        ok = CliRunner().invoke(app, ["report", "--tz", "Asia/Shanghai", "--out", str(out)],
                                env=cli_env)
        bad = CliRunner().invoke(app, ["report", "--tz", "Nowhere/City", "--out", str(out)],
                                 env=cli_env)
    finally:
        state.close()
    assert ok.exit_code == 0, ok.output
    assert f"report written to {out}" in ok.output and out.stat().st_size > 10_000
    assert isinstance(bad.exception, BadParameter) and "Nowhere/City" in str(bad.exception)


# -- in a real browser, offline -----------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("INFOOPS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"INFOOPS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing "
                    "(apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.mark.browser
def test_report_renders_offline_in_chromium(fixture_graph: Graph, tmp_path: Path) -> None:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    result = build_report(fixture_graph, tmp_path / "report.html",
                          ReportOptions(tz="Asia/Shanghai"))
    url = result.path.as_uri()
    foreign: list[str] = []
    errors: list[str] = []

    def block(route) -> None:  # every request but the file itself is recorded and refused
        if route.request.url == url:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        try:
            context.route("**/*", block)
            page = context.new_page()
            page.on("request", lambda r: None if r.url == url else foreign.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            assert page.title() == "infoops report"
            assert page.locator("svg.chart").count() >= 6
            assert page.locator("svg.chart rect.bar").count() > 20
            assert page.locator("svg.chart rect.bar.mark").count() == 1
            assert page.locator("svg.net").count() == 2
            assert page.locator("svg.net circle").count() == 7
            ranking = page.locator("#rings table.ranking").locator("tbody tr")
            assert ranking.count() == 2
            assert "run-b:1" in ranking.first.inner_text()
            # The hostile account name shows as text; nothing it carried became markup.
            assert page.get_by_text(HOSTILE_NAME).count() >= 1
            assert page.evaluate("document.scripts.length") == 1
            assert page.locator("img, iframe").count() == 0
            # Sortable: ascending score puts the weaker ring first.
            page.locator("#rings table.ranking").locator("th", has_text="score").click()
            assert "run-b:2" in ranking.first.inner_text()
            # Evidence opens and lists the members' retweets.
            evidence = page.locator("#ring-1 details")
            evidence.locator("summary").click()
            assert evidence.locator("tbody tr").count() == 15
            # Chinese, Japanese, Korean and Arabic are drawn with fonts that have their
            # glyphs (CI installs fonts-noto-cjk), not as boxes.
            for lang, (name, text) in SCRIPTS.items():
                for shown in (name, text):
                    cell = page.get_by_text(shown, exact=True).first
                    fonts = rendered_fonts(cell)
                    drawn = {f: n for f, n in fonts.items() if n}
                    assert drawn, (lang, shown, fonts)
                    if lang != "ar":
                        assert any("CJK" in f for f in drawn), (lang, shown, fonts)
                    assert "Last Resort" not in " ".join(drawn), (lang, shown, fonts)
            page.evaluate("window.scrollTo(0, 0)")  # the sticky nav belongs at the top
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
            print(f"screenshot: {shot}")
            assert foreign == [] and errors == []
            # Control: the same recorder does see a page that calls out.
            probe = context.new_page()
            probe.set_content('<img src="http://example.invalid/probe.png">')
            probe.wait_for_timeout(300)
            assert "http://example.invalid/probe.png" in foreign
        finally:
            context.close()


def test_report_of_a_generated_sample(graph: Graph, tmp_path: Path) -> None:
    """End to end: a small synthetic campaign, loaded, co-retweet detection, the report."""
    from toolkit.detect.events import Kind
    from toolkit.detect.runs import DetectParams, detect
    from toolkit.load.loader import load_files
    from toolkit.sample import SampleParams, generate

    sample = generate(tmp_path / "sample", SampleParams(accounts=400, days=7, seed=7))
    load_files(graph, sorted(sample.files.values()), dataset="sample")
    run = detect(graph, DetectParams(kind=Kind.CO_RETWEET, window_s=60, null_reps=20))
    assert len(run.rings) >= 1
    result = build_report(graph, tmp_path / "sample.html", ReportOptions(tz="Asia/Shanghai"))
    page = result.path.read_text(encoding="utf-8")
    written = int(run.selection.rings.sum())
    assert result.run_id == run.run_id and result.rings == min(written, 10)
    assert (f"The run wrote {written} of the {len(run.rings)} rings and "
            f"{int(run.selection.edges.sum())} of the {len(run.edges)} edges") in page
    assert _kpi(page, "tweets") == f"{sample.tweets:,}"
    assert page.count('<svg class="net"') == result.rings
    assert page.count('<p class="summary">') == result.rings
    data = collect(graph, ReportOptions(rings=1))
    best = data.rings[0]
    assert best.info["summary"].startswith(f"{best.info['size']} accounts linked by ")
    assert f'<p class="summary">{best.info["summary"].split(" (density")[0]}' in page
    assert {m["role"] for m in best.members} <= {"leader", "amplifier", "peripheral"}
    assert all(m["episodes"] >= m["leads"] >= 0 for m in best.members)
    assert best.targets and best.evidence  # the members' retweets behind the top ring
    assert {e["userid"] for e in best.evidence} <= {m["userid"] for m in best.members}

    # Account changes: the repurposed accounts, each changed in language, client and
    # office hours of Asia/Shanghai, with the sale or hand-over tweets quoted.
    truth = json.loads(sample.ground_truth.read_text(encoding="utf-8"))
    repurposed = next(o for o in truth["operations"] if o["kind"] == "repurposed")
    changed = [r for r in data.changes if r["language_switch"] and r["client_switch"]
               and r["office_hours_shift"]]
    assert {r["userid"] for r in changed} == set(repurposed["members"])
    assert all(str(r["language_since"]) == repurposed["switch_date"] for r in changed)
    quoted = {h["tweetid"] for r in changed for h in r["handover_tweets"]}
    assert quoted == set(repurposed["handover"])
    assert "Account changes" in page and "test new owner" in page
    assert "share in office hours (Asia/Shanghai)" in page
