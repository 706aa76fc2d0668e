"""Neo4j Browser integration: the guide, stylesheet and favorites as served by
`infoops browser serve`, and a real headless Chromium (Debian's, driven by Playwright;
nothing is downloaded) that opens Browser from the test server, connects, plays the
guide, runs a packaged query from it, and sees the result table and the styled graph."""

from __future__ import annotations

import io
import os
import re
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BROWSER_URL, load_demo
from helpers import rendered_fonts
from playwright.sync_api import Page, expect, sync_playwright

from toolkit.db.connect import Graph
from toolkit.db.server import LocalServer
from toolkit.db.settings import Settings
from toolkit.queries.catalog import load_catalog
from toolkit.queries.runner import run
from toolkit.report import browser
from toolkit.sample import GeneratedSample

CHROMIUM = Path("/usr/bin/chromium")
CATALOG = load_catalog(use_env=False)
QUERIES = CATALOG.in_category()
WAIT_MS = 60_000  # a waiting limit for a shared, noisy machine, not a speed assertion


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """What `infoops browser serve` publishes, on a free loopback port."""
    directory = tmp_path_factory.mktemp("browser-bundle")
    browser.write_bundle(CATALOG, directory)
    with browser.serving(directory, 0) as url:
        yield url


@pytest.fixture(scope="module")
def browser_url(neo4j_settings: Settings) -> str:
    """Neo4j Browser of the test server: $NEO4J_HTTP_URL, the server the fixtures
    started, or the local server of `infoops db start` whose Bolt port NEO4J_URI names."""
    if os.environ.get("NEO4J_HTTP_URL"):
        return os.environ["NEO4J_HTTP_URL"].rstrip("/").removesuffix("/browser") + "/browser/"
    if "url" in BROWSER_URL:
        return BROWSER_URL["url"]
    local = LocalServer().config()
    if local is not None and neo4j_settings.uri.endswith(f":{local.bolt_port}"):
        return local.browser_url
    pytest.fail(f"no Browser URL known for {neo4j_settings.uri}: set NEO4J_HTTP_URL "
                "(e.g. http://127.0.0.1:7474/browser/)")


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    if os.environ.get("INFOOPS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and INFOOPS_REQUIRE_BROWSER=1")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); "
                "INFOOPS_REQUIRE_BROWSER=1 turns this into a failure")


# -- what is served (no browser needed) -------------------------------------------------

def test_served_files_answer_browser_cors_preflight(served: str) -> None:
    """Browser fetches a guide with custom headers, so Chromium asks first (OPTIONS);
    the standard handler's 501 made `:play` report 'No guide by that name'."""
    assert served.startswith("http://localhost:")  # the host Browser's whitelist allows
    request = urllib.request.Request(
        f"{served}/{browser.GUIDE_FILE}", method="OPTIONS",
        headers={"Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "x-ajax-browser-auth"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "x-ajax-browser-auth" in response.headers["Access-Control-Allow-Headers"]
    with urllib.request.urlopen(f"{served}/{browser.STYLE_FILE}", timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "node.Disclosed {" in response.read().decode()


def test_guide_has_a_slide_per_query_with_typed_defaults() -> None:
    """Defaults are set with `:param NAME => VALUE` (evaluated by the server, so 50 is an
    integer); the query runs as its own block so Browser shows its result."""
    guide = browser.guide_html(CATALOG)
    assert guide.count("<slide ") == len(QUERIES) + 1
    assert ":params" not in guide
    assert ":param limit =&gt; 100;" in guide
    for query in QUERIES:
        assert f'data-query="{query.name}"' in guide
        assert (f'data-params="{query.name}"' in guide) == bool(query.params)


def test_favorites_zip_holds_each_query_and_its_defaults() -> None:
    with zipfile.ZipFile(io.BytesIO(browser.favorites_zip(CATALOG))) as archive:
        names = set(archive.namelist())
        script = archive.read("amplification/co-retweet-pairs.cypher").decode()
        defaults = archive.read("amplification/co-retweet-pairs.defaults.cypher").decode()
    assert {f"{q.category}/{q.name}.cypher" for q in QUERIES} <= names
    assert len(names) == len(QUERIES) + sum(1 for q in QUERIES if q.params)
    assert script.startswith("// co-retweet-pairs: ") and "LIMIT $limit" in script
    assert ":param window_s => 60;" in defaults and ":param limit => 100;" in defaults


# -- the real thing ---------------------------------------------------------------------

def run_in_editor(page: Page, text: str) -> None:
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(text)
    page.get_by_test_id("editor-Run").click()


@pytest.mark.browser
def test_browser_plays_the_guide_and_runs_a_query(
        graph_session: Graph, demo_sample: GeneratedSample, neo4j_settings: Settings,
        browser_url: str, served: str, chromium_path: str, tmp_path: Path) -> None:
    load_demo(graph_session, demo_sample)
    name = "top-hashtags"
    expected = run(graph_session, CATALOG.get(name))
    slide = next(i for i, q in enumerate(QUERIES) if q.name == name) + 2  # 1: index slide
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        try:
            page.goto(browser_url)
            page.get_by_test_id("boltaddress").fill(neo4j_settings.uri)
            page.get_by_test_id("username").fill(neo4j_settings.user)
            page.get_by_test_id("password").fill(neo4j_settings.password or "")
            page.get_by_test_id("connect").click()
            expect(page.get_by_text(re.compile("connected as user"))).to_be_visible()

            # The guide renders: its index slide, then one slide per query.
            run_in_editor(page, f":play {served}/{browser.GUIDE_FILE}")
            carousel = page.get_by_test_id("carousel")
            expect(carousel).to_contain_text(f"1 / {len(QUERIES) + 1}")
            expect(carousel.locator("h3")).to_have_text("infoops: packaged queries")
            expect(carousel).to_contain_text("amplification: co-retweet-pairs")
            carousel.locator(f'li[aria-label="{slide}"]').click()
            expect(carousel.locator("h3")).to_have_text(CATALOG.get(name).title)

            # Run it from the guide: set the defaults, then the query itself.
            carousel.locator("pre").nth(0).click()
            page.get_by_test_id("editor-Run").click()
            params = len(CATALOG.get(name).params)
            done = page.locator('[data-testid="multi-statement-list-icon"]'
                                '[title="Status: success"]')
            expect(done).to_have_count(params)  # set on the server, before the query runs
            carousel.locator("pre").nth(1).click()
            page.get_by_test_id("editor-Run").click()
            table = page.get_by_test_id("frame").first.get_by_role("table")
            expect(table.get_by_role("row")).to_have_count(len(expected) + 1)  # + header
            headers = table.get_by_role("columnheader").all_inner_texts()
            assert [h.strip() for h in headers if h.strip()] == list(expected.columns)
            cells = [c.strip() for c in
                     table.get_by_role("row").nth(1).get_by_role("cell").all_inner_texts()]
            top = expected.iloc[0]
            assert cells[-6:-2] == [f'"{top["hashtag"]}"', str(top["tweets"]),
                                    str(top["accounts"]), str(top["tweets_per_account"])]
            page.screenshot(path=str(tmp_path / "browser-query.png"))

            # The stylesheet: Disclosed accounts in their own colour.
            run_in_editor(page, f":style {served}/{browser.STYLE_FILE}")
            expect(page.get_by_test_id("frame").first).to_contain_text("node.Disclosed {")
            run_in_editor(page, "MATCH (a:Disclosed) RETURN a LIMIT 5")
            nodes = page.get_by_test_id("frame").first.locator("g.node circle.b-outline")
            expect(nodes).to_have_count(5)
            fills = {nodes.nth(i).get_attribute("fill") for i in range(5)}
            assert fills == {"#D62728"}
            page.screenshot(path=str(tmp_path / "browser-graph.png"))

            # Chinese in the guide (a query's default phrases) and in results is drawn
            # with a CJK font (CI installs fonts-noto-cjk), not as boxes.
            run_in_editor(page, f":play {served}/{browser.GUIDE_FILE}")
            carousel = page.get_by_test_id("carousel").first  # the newest frame is on top
            slide = next(i for i, q in enumerate(QUERIES) if q.name == "repurposed-accounts")
            carousel.locator(f'li[aria-label="{slide + 2}"]').click()
            phrases = carousel.locator("pre", has_text="出售账号").first
            expect(phrases).to_be_visible()
            assert any("CJK" in f for f, n in rendered_fonts(phrases).items() if n)
            run_in_editor(page, "MATCH (t:Tweet) WHERE t.language = 'zh' "
                                "RETURN t.text AS text LIMIT 3")
            chinese = page.get_by_test_id("frame").first.get_by_role("table").get_by_text(
                re.compile("[\u4e00-\u9fff]")).first
            expect(chinese).to_be_visible()
            fonts = rendered_fonts(chinese)
            assert any("CJK" in f for f, n in fonts.items() if n), fonts
            page.screenshot(path=str(tmp_path / "browser-chinese.png"))
        except Exception:
            page.screenshot(path=str(tmp_path / "browser-failure.png"))  # what went wrong
            raise
        finally:
            chromium.close()
    for shot in ("browser-query.png", "browser-graph.png", "browser-chinese.png"):
        assert (tmp_path / shot).stat().st_size > 10_000
