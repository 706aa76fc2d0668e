"""Neo4j Browser integration: the guide, stylesheet and favorites as served by
`infoops browser serve`, and a real headless Chromium (Debian's, driven by Playwright;
nothing is downloaded) that opens Browser from the test server: the start page (connect,
and the style and guide appear without typing; a ring drawn from the guide, captioned),
and a packaged query played from the guide with its result table and the styled graph."""

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

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CATALOG = load_catalog(use_env=False)
QUERIES = [q for _, chosen in browser.guide_order(CATALOG) for q in chosen]  # slide order
WAIT_MS = 60_000  # a waiting limit for a shared, noisy machine, not a speed assertion
GUIDE_TITLE = "infoops: the investigator's workbench"
ACCOUNT_FILLS = {"#4C8EDA", "#D62728"}  # Account, Disclosed in the stylesheet


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """What `infoops browser serve` publishes, on a free loopback port."""
    directory = tmp_path_factory.mktemp("browser-bundle")
    with browser.serving(directory, 0) as url:
        browser.write_bundle(CATALOG, directory, url)
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


def test_start_page_settings_of_the_shipped_configs() -> None:
    """neo4j.conf.template (with its guide port) and docker-compose.yml (the default port)
    set the start page `start_commands` describes, and allow only http://localhost."""
    template = (ROOT / "neo4j" / "neo4j.conf.template").read_text(encoding="utf-8")
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert (f"browser.post_connect_cmd={browser.start_commands(browser.base_url(0))}\n"
            .replace(":0/", ":$guide_port/")) in template
    assert f'NEO4J_browser_post__connect__cmd: "{browser.start_commands(browser.base_url())}"' \
        in compose
    assert "browser.remote_content_hostname_whitelist=http://localhost\n" in template
    assert 'NEO4J_browser_remote__content__hostname__whitelist: "http://localhost"' in compose
    assert "client.allow_telemetry=false\n" in template
    assert 'NEO4J_client_allow__telemetry: "false"' in compose


def test_guide_has_a_slide_per_query_with_typed_defaults() -> None:
    """Defaults are set with `:param NAME => VALUE` (evaluated by the server, so 50 is an
    integer, and a parameter without a default starts from the data); the query runs as
    its own block so Browser shows its result; the index links every slide."""
    guide = browser.guide_html(CATALOG)
    assert guide.count("<slide ") == len(QUERIES) + 1
    assert ":params" not in guide.replace("<code>:params</code>", "")
    assert ":param limit =&gt; 100;" in guide
    assert ":param ring_id =&gt; head(COLLECT { MATCH (g:Ring)" in guide
    for number, query in enumerate(QUERIES, start=1):
        assert f'data-query="{query.name}"' in guide
        assert (f'data-params="{query.name}"' in guide) == bool(query.params)
        assert f'infoops.html#slide-{number}">{query.name}' in guide


def test_guide_text_from_query_headers_is_inert(tmp_path: Path) -> None:
    """A user's query folder joins the guide; markup in its header or Cypher is shown as
    text by the autoescaping template, never run by Browser."""
    hostile = '<img src=x onerror="alert(1)">'
    (tmp_path / "mine.cypher").write_text(
        f"// ---\n// name: mine\n// title: Mine {hostile}\n// category: custom\n"
        f"// description: {hostile} and </pre><script>alert(2)</script>\n// ---\n"
        "RETURN '<b>' AS x\n", encoding="utf-8")
    guide = browser.guide_html(load_catalog([tmp_path], use_env=False))
    assert "<img" not in guide and "<script" not in guide and "'<b>'" not in guide
    assert "Mine &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in guide
    assert "RETURN &#39;&lt;b&gt;&#39; AS x" in guide
    assert "Your own queries: custom" in guide


def test_favorites_zip_holds_each_query_runnable_alone() -> None:
    """One favorite per query, numbered as its slide, its parameters written in as the
    defaults so it runs with nothing set first."""
    with zipfile.ZipFile(io.BytesIO(browser.favorites_zip(CATALOG))) as archive:
        names = archive.namelist()
        number = next(i for i, q in enumerate(QUERIES, start=1) if q.name == "co-retweet-pairs")
        script = archive.read(f"amplification/{number:02d} co-retweet-pairs.cypher").decode()
    assert names == [f"{q.category}/{i:02d} {q.name}.cypher"
                     for i, q in enumerate(QUERIES, start=1)]
    assert script.startswith(f"// {number:02d} co-retweet-pairs: ")
    assert "// parameters written in as defaults: window_s = 60," in script
    assert "LIMIT toInteger(100)" in script and "$" not in script.split("\n", 2)[2]


def test_favorites_run_alone(graph_session: Graph, demo_sample: GeneratedSample) -> None:
    """Run as Browser would run a favorite: no parameters at all (no ParameterMissing)."""
    load_demo(graph_session, demo_sample)
    with zipfile.ZipFile(io.BytesIO(browser.favorites_zip(CATALOG))) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode()
            graph_session.driver.execute_query("EXPLAIN " + text, {}, routing_="r")


# -- the real thing ---------------------------------------------------------------------

def connect(page: Page, browser_url: str, settings: Settings) -> None:
    page.goto(browser_url)
    page.get_by_test_id("boltaddress").fill(settings.uri)
    page.get_by_test_id("username").fill(settings.user)
    page.get_by_test_id("password").fill(settings.password or "")
    page.get_by_test_id("connect").click()
    expect(page.get_by_text(re.compile("connected as user"))).to_be_visible()


def start_page_port(graph: Graph) -> int:
    """The port of `infoops browser serve` that the server's start page loads from."""
    rows = graph.read("SHOW SETTINGS YIELD name, value "
                      "WHERE name = 'browser.post_connect_cmd' RETURN value")
    found = re.search(r"guide http://localhost:(\d+)/" + re.escape(browser.GUIDE_FILE),
                      rows[0]["value"] if rows else "")
    if found is None:
        pytest.fail(f"the test server has no infoops start page: {rows}")
    port = int(found.group(1))
    assert rows[0]["value"] == browser.start_commands(browser.base_url(port))
    return port


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
            connect(page, browser_url, neo4j_settings)

            # The guide renders: its index slide, then one slide per query.
            run_in_editor(page, f":play {served}/{browser.GUIDE_FILE}")
            carousel = page.get_by_test_id("carousel")
            expect(carousel).to_contain_text(f"1 / {len(QUERIES) + 1}")
            expect(carousel.locator("h3")).to_have_text(GUIDE_TITLE)
            expect(carousel).to_contain_text("Who amplifies whom?")
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
            carousels = page.get_by_test_id("carousel")
            before = carousels.count()
            run_in_editor(page, f":play {served}/{browser.GUIDE_FILE}")
            expect(carousels).to_have_count(before + 1)  # else .first is still the old one
            carousel = carousels.first  # the newest frame is on top
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


@pytest.mark.browser
def test_start_page_opens_the_guide_and_draws_the_strongest_ring(
        graph_session: Graph, demo_with_ring: str, neo4j_settings: Settings,
        browser_url: str, chromium_path: str, tmp_path: Path) -> None:
    """Connect, and nothing typed: the style is applied, the guide opens in the sidebar,
    no usage-data banner. From the guide's index, ring-graph: the graph view shows the
    ring and its members, every account captioned, joined by COORDINATED edges."""
    drawn = run(graph_session, CATALOG.get("ring-graph"))
    members = {row[end]["userid"] for _, row in drawn.iterrows()
               for end in ("account_1", "account_2")}
    directory = tmp_path / "bundle"
    expect.set_options(timeout=WAIT_MS)
    with browser.serving(directory, start_page_port(graph_session)) as url, \
            sync_playwright() as playwright:
        browser.write_bundle(CATALOG, directory, url)
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True)
        page = chromium.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        try:
            connect(page, browser_url, neo4j_settings)
            drawer = page.get_by_test_id("guidesDrawer")
            expect(drawer.locator("h3")).to_have_text(GUIDE_TITLE)
            expect(page.get_by_test_id("frame").filter(has_text="node.Disclosed {")
                   ).to_have_count(1)
            expect(page.get_by_text("To help make Neo4j Browser better")).to_have_count(0)
            page.screenshot(path=str(tmp_path / "browser-start-page.png"))

            drawer.get_by_text("ring-graph (graph)", exact=True).click()
            expect(drawer.locator("h3")).to_have_text(CATALOG.get("ring-graph").title)
            drawer.locator('[data-params="ring-graph"]').click()
            page.get_by_test_id("editor-Run").click()
            done = page.locator('[data-testid="multi-statement-list-icon"]'
                                '[title="Status: success"]')
            expect(done).to_have_count(len(CATALOG.get("ring-graph").params))
            drawer.locator('[data-query="ring-graph"]').click()
            page.get_by_test_id("editor-Run").click()

            frame = page.get_by_test_id("frame").first
            nodes = frame.locator("g.node")
            expect(nodes).to_have_count(len(members) + 1)  # and the ring
            expect(frame.get_by_test_id(
                "property-details-overview-relationship-type-COORDINATED")).to_be_visible()
            shown = [(node.locator("circle.b-outline").get_attribute("fill"),
                      "".join(node.locator("text.caption").all_text_contents()).strip())
                     for node in nodes.all()]
            accounts = [caption for fill, caption in shown if fill in ACCOUNT_FILLS]
            assert len(accounts) == len(members) and all(accounts), shown
            assert any(caption.startswith("co-retweet r1") for _, caption in shown)
            weights = [t for t in frame.locator("g.relationship text").all_text_contents()
                       if re.fullmatch(r"\d+\.\d{1,2}", t)]
            assert weights  # COORDINATED edges captioned with their weight
            page.screenshot(path=str(tmp_path / "browser-ring-graph.png"))
        except Exception:
            page.screenshot(path=str(tmp_path / "browser-failure.png"))
            raise
        finally:
            chromium.close()
    for shot in ("browser-start-page.png", "browser-ring-graph.png"):
        assert (tmp_path / shot).stat().st_size > 10_000, tmp_path / shot
