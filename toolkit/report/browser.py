"""Neo4j Browser integration: a guide of the catalogue (`:play URL`, one slide per query,
runnable with its default parameters), a GraSS stylesheet (`:style URL`), the catalogue
as importable favorites (Browser 5 "saved scripts" zip), and a tiny loopback web server
that serves them with the CORS header Browser needs to fetch them.

Browser only fetches remote guides and styles from hosts in
`browser.remote_content_hostname_whitelist`, by default `guides.neo4j.com,localhost`
(neo4j-admin's strict validation rejects `browser.*` keys in neo4j.conf, so the default
is what every server has). The server therefore listens on 127.0.0.1 but names itself
`localhost` in the URLs it prints: an `http://127.0.0.1:...` guide would be refused.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

from ..queries.catalog import Catalog, Query

GUIDE_FILE = "infoops.html"
STYLE_FILE = "infoops.grass"
FAVORITES_FILE = "infoops-favorites.zip"
DEFAULT_PORT = 7480

# Colours chosen to stay distinct for common colour-blindness types; captions name the
# thing an investigator reads first.
STYLE: tuple[tuple[str, dict[str, str]], ...] = (
    ("node", {"diameter": "50px", "color": "#A5ABB6", "border-color": "#9AA1AC",
              "border-width": "2px", "text-color-internal": "#FFFFFF",
              "font-size": "10px"}),
    ("relationship", {"color": "#A5ABB6", "shaft-width": "1px", "font-size": "8px",
                      "padding": "3px", "text-color-external": "#000000",
                      "text-color-internal": "#FFFFFF", "caption": "'<type>'"}),
    ("node.Account", {"color": "#4C8EDA", "border-color": "#2870C2",
                      "text-color-internal": "#FFFFFF", "caption": "'{screen_name}'"}),
    ("node.Disclosed", {"color": "#D62728", "border-color": "#A11D1E", "diameter": "60px",
                        "text-color-internal": "#FFFFFF", "caption": "'{screen_name}'"}),
    ("node.Ring", {"color": "#9467BD", "border-color": "#6F4A8E", "diameter": "80px",
                   "text-color-internal": "#FFFFFF", "caption": "'{ring_id}'"}),
    ("node.Tweet", {"color": "#F2C14E", "border-color": "#C99A2E", "diameter": "35px",
                    "text-color-internal": "#000000", "caption": "'{text}'"}),
    ("node.Hashtag", {"color": "#2CA02C", "border-color": "#1E7A1E", "diameter": "40px",
                      "text-color-internal": "#FFFFFF", "caption": "'{display}'"}),
    ("node.Url", {"color": "#FF7F0E", "border-color": "#C9630A", "diameter": "40px",
                  "text-color-internal": "#000000", "caption": "'{url}'"}),
    ("node.Domain", {"color": "#8C564B", "border-color": "#6B4139", "diameter": "45px",
                     "text-color-internal": "#FFFFFF", "caption": "'{name}'"}),
    ("node.Client", {"color": "#17BECF", "border-color": "#1193A1", "diameter": "45px",
                     "text-color-internal": "#000000", "caption": "'{name}'"}),
    ("node.Dataset", {"color": "#7F7F7F", "border-color": "#5E5E5E", "diameter": "65px",
                      "text-color-internal": "#FFFFFF", "caption": "'{name}'"}),
    ("node.DetectionRun", {"color": "#BCBD22", "border-color": "#8F9019",
                           "text-color-internal": "#000000", "caption": "'{kind}'"}),
    ("relationship.COORDINATED", {"color": "#D62728", "shaft-width": "3px",
                                  "caption": "'{kind}'"}),
    ("relationship.MEMBER_OF", {"color": "#9467BD", "shaft-width": "2px"}),
)


def cypher_literal(value: Any) -> str:
    """A parameter default as Cypher text for Browser's `:param NAME => VALUE` (display
    and exploration only; the toolkit itself always passes values as parameters)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"datetime({cypher_literal(value.isoformat())})"
    if isinstance(value, date):
        return f"date({cypher_literal(value.isoformat())})"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{str(k).replace('`', '``')}`: {cypher_literal(v)}"
                               for k, v in value.items()) + "}"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def param_script(query: Query) -> str:
    """The `:param NAME => VALUE;` lines that set a query's defaults in Browser.

    `=>` has the server evaluate VALUE as Cypher, so 50 stays an integer (and dates are
    dates). The map form `:params {limit: 50}` is evaluated in JavaScript and sends 50.0,
    which `LIMIT $limit` refuses."""
    return param_lines({s.name: s.default for s in query.params})


def param_lines(values: Mapping[str, Any]) -> str:
    """`:param NAME => VALUE;` per value (see `param_script` for why not `:params {...}`)."""
    return "\n".join(f":param {name} => {cypher_literal(v)};" for name, v in values.items())


def guide_html(catalog: Catalog) -> str:
    """A Browser guide: an index slide, then one slide per query."""
    queries = catalog.in_category()
    index = "".join(
        f"<li><b>{html.escape(category)}</b>: "
        + ", ".join(html.escape(q.name) for q in catalog.in_category(category)) + "</li>"
        for category in catalog.categories())
    slides = [
        "<slide class=\"row-fluid\"><div class=\"col-sm-12\">"
        "<h3>infoops: packaged queries</h3>"
        "<p>One slide per query. Click a code block to put it in the editor, then run it. "
        "The first block sets the query's default parameters with <code>:param</code> "
        "(change a value to explore); the second runs the query, read-only, and shows "
        "its result. Browser shows only a status for several statements run at once, "
        "hence two blocks.</p>"
        f"<ul>{index}</ul></div></slide>"
    ]
    for number, query in enumerate(queries, start=1):
        params = "".join(
            f"<li><code>{html.escape(p.name)}</code>: {html.escape(p.describe())}"
            + (f" — {html.escape(p.description)}" if p.description else "") + "</li>"
            for p in query.params)
        description = "".join(f"<p>{html.escape(par)}</p>"
                              for par in query.description.split("\n") if par.strip())
        slides.append(
            f"<slide class=\"row-fluid\" id=\"{html.escape(query.name)}\">"
            "<div class=\"col-sm-12\">"
            f"<h3>{html.escape(query.title)}</h3>"
            f"<p><code>{html.escape(query.name)}</code> · {html.escape(query.category)} · "
            f"{number} of {len(queries)}</p>{description}"
            + (f"<ul>{params}</ul><p>Set the defaults:</p><pre class=\"pre-scrollable "
               f"code runnable\" data-params=\"{html.escape(query.name)}\">"
               f"{html.escape(param_script(query))}</pre><p>Then run the query:</p>"
               if params else "")
            + "<pre class=\"pre-scrollable code runnable\" "
            f"data-query=\"{html.escape(query.name)}\">{html.escape(query.text)}</pre>"
            "</div></slide>")
    return ("<article class=\"guide\"><carousel class=\"deck container-fluid\">"
            + "\n".join(slides) + "</carousel></article>\n")


def grass() -> str:
    """The GraSS stylesheet: Disclosed accounts, rings, tweets, hashtags, URLs... in
    distinct colours with readable captions."""
    return "".join(
        selector + " {\n" + "".join(f"  {k}: {v};\n" for k, v in rules.items()) + "}\n\n"
        for selector, rules in STYLE)


def favorites_zip(catalog: Catalog) -> bytes:
    """Browser 5 imports this zip into Favorites: one folder per category, one script per
    query, named by its first comment line, and beside each query with parameters a
    script that sets their defaults (run it first; a favorite with both would show only
    statuses, as Browser does for several statements)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for query in catalog.in_category():
            archive.writestr(f"{query.category}/{query.name}.cypher",
                             f"// {query.name}: {query.title}\n{query.text}\n")
            if query.params:
                archive.writestr(f"{query.category}/{query.name}.defaults.cypher",
                                 f"// {query.name}: default parameters\n"
                                 f"{param_script(query)}\n")
    return buffer.getvalue()


def write_bundle(catalog: Catalog, directory: Path) -> list[Path]:
    """Guide, style and favorites into `directory` (what `serve` publishes)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = [directory / GUIDE_FILE, directory / STYLE_FILE, directory / FAVORITES_FILE]
    files[0].write_text(guide_html(catalog), encoding="utf-8")
    files[1].write_text(grass(), encoding="utf-8")
    files[2].write_bytes(favorites_zip(catalog))
    return files


class _Handler(SimpleHTTPRequestHandler):
    """Static files plus the CORS headers Browser's fetch of a guide or style needs.

    Browser fetches with custom request headers, so Chromium first sends a CORS
    preflight (OPTIONS), which the standard handler answers 501: answer it."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers",
                         self.headers.get("Access-Control-Request-Headers") or "*")
        if self.headers.get("Access-Control-Request-Private-Network"):
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: stderr is for talk
        return


@contextmanager
def serving(directory: Path, port: int = DEFAULT_PORT) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (never another interface) in a background thread;
    yields the base URL, on `localhost`, the host Browser's default whitelist allows."""
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 partial(_Handler, directory=str(directory)))
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
