"""Neo4j Browser as the investigator's workbench: a guide of the catalogue (one slide per
query, runnable with parameters that start from the data), a GraSS stylesheet (captions,
colours), the catalogue as importable favorites, and a tiny loopback web server that
serves them with the CORS headers Browser needs.

The start page: a server whose config sets `browser.post_connect_cmd` to `start_commands`
(neo4j.conf.template, docker-compose.yml) applies the style and opens the guide in
Browser's sidebar on connect, from `infoops browser serve`. Browser fetches remote guides
and styles only from hosts in `browser.remote_content_hostname_whitelist`, matched by
scheme and host name, never port (by default `guides.neo4j.com, localhost`), so the
server listens on 127.0.0.1 but names itself `localhost` in its URLs.
"""

from __future__ import annotations

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

from ..queries.catalog import Catalog, Query, inline_params
from .templates import render

GUIDE_FILE = "infoops.html"
STYLE_FILE = "infoops.grass"
FAVORITES_FILE = "infoops-favorites.zip"
DEFAULT_PORT = 7480
GUIDE_TEMPLATE = "browser-guide.html"


def base_url(port: int = DEFAULT_PORT) -> str:
    """Where `infoops browser serve` publishes the bundle (the host Browser allows)."""
    return f"http://localhost:{port}"


def start_commands(base: str) -> str:
    """The value of `browser.post_connect_cmd` for a bundle served at `base`: apply the
    style, then open the guide in the sidebar, where it stays while results come and go
    (a `:play` frame scrolls away: Browser keeps 15 frames)."""
    return f"style {base}/{STYLE_FILE}; guide {base}/{GUIDE_FILE}"


# The questions of the guide's first slide, each answered by the queries of a category.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("What is in the data?", "overview"),
    ("Who amplifies whom?", "amplification"),
    ("What infrastructure do they share?", "infrastructure"),
    ("Who is this account, and what connects two accounts?", "accounts"),
    ("What rings were found?", "rings"),
)

# Where a parameter without a default starts in the guide: a value taken from the data by
# the server when the `:param` line runs (so `:params` shows it, ready to edit) rather
# than null. The queries that fall back on the data themselves use the same rules.
_FIRST_MEMBER = ("COLLECT { MATCH (g:Ring) WITH g ORDER BY g.p_value, g.score DESC, "
                 "g.ring_id LIMIT 1 MATCH (a:Account)-[:MEMBER_OF]->(g) RETURN a.userid "
                 "ORDER BY a.userid }[0]")
DATA_STARTS: dict[str, str] = {  # whole literals: Cypher is never assembled from pieces
    "ring_id": "head(COLLECT { MATCH (g:Ring) WITH g ORDER BY g.p_value, g.score DESC, "
               "g.ring_id LIMIT 1 RETURN g.ring_id })",
    "run_id": "head(COLLECT { MATCH (r:DetectionRun) RETURN r.run_id "
              "ORDER BY r.created_at DESC })",
    "userid": _FIRST_MEMBER,
    "userid_1": _FIRST_MEMBER,
    "userid_2": "COLLECT { MATCH (g:Ring) WITH g ORDER BY g.p_value, g.score DESC, "
                "g.ring_id LIMIT 1 MATCH (a:Account)-[:MEMBER_OF]->(g) RETURN a.userid "
                "ORDER BY a.userid }[1]",
}

# Colours chosen to stay distinct for common colour-blindness types; captions name the
# thing an investigator reads first: an account's `caption` (screen name, else short id,
# written by the loaders), a ring's (kind, number, size, p), a tweet's text (Browser cuts
# it to the circle), a coordination edge's weight.
STYLE: tuple[tuple[str, dict[str, str]], ...] = (
    ("node", {"diameter": "50px", "color": "#A5ABB6", "border-color": "#9AA1AC",
              "border-width": "2px", "text-color-internal": "#FFFFFF",
              "font-size": "10px"}),
    ("relationship", {"color": "#A5ABB6", "shaft-width": "1px", "font-size": "8px",
                      "padding": "3px", "text-color-external": "#000000",
                      "text-color-internal": "#FFFFFF", "caption": "'<type>'"}),
    ("node.Account", {"color": "#4C8EDA", "border-color": "#2870C2",
                      "text-color-internal": "#FFFFFF", "caption": "'{caption}'"}),
    ("node.Disclosed", {"color": "#D62728", "border-color": "#A11D1E", "diameter": "60px",
                        "text-color-internal": "#FFFFFF", "caption": "'{caption}'"}),
    ("node.Ring", {"color": "#9467BD", "border-color": "#6F4A8E", "diameter": "80px",
                   "text-color-internal": "#FFFFFF", "caption": "'{caption}'"}),
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
                                  "caption": "'{caption}'"}),
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
    """The `:param NAME => VALUE;` lines that set a query's parameters in Browser: its
    defaults, and for a parameter without one a start taken from the data (DATA_STARTS).

    `=>` has the server evaluate VALUE as Cypher, so 50 stays an integer, dates are dates
    and a subquery picks a value. (The map form `:params {limit: 50}` sends 50.0; the
    queries coerce with `toInteger`, so it works too.)"""
    return "\n".join(f":param {spec.name} => {_start(spec.name, spec.default)};"
                      for spec in query.params)


def _start(name: str, default: Any) -> str:
    if default is None and name in DATA_STARTS:
        return DATA_STARTS[name]
    return cypher_literal(default)


def param_lines(values: Mapping[str, Any]) -> str:
    """`:param NAME => VALUE;` per value (server-evaluated, so integers stay integers)."""
    return "\n".join(f":param {name} => {cypher_literal(v)};" for name, v in values.items())


def guide_order(catalog: Catalog) -> list[tuple[str, list[Query]]]:
    """The guide's questions in order, each with its queries (a user's own categories
    last): the order of the slides and of the numbered favorites."""
    asked = [category for _, category in QUESTIONS]
    known = catalog.categories()
    return ([(question, catalog.in_category(category))
             for question, category in QUESTIONS if category in known]
            + [(f"Your own queries: {category}", catalog.in_category(category))
               for category in known if category not in asked])


def guide_html(catalog: Catalog, base: str = base_url()) -> str:
    """The Browser guide: an index slide (the investigator's questions, each linking to its
    queries' slides, and how to use the guide), then one slide per query. `base` is where
    the guide is served, for the links between slides."""
    questions = guide_order(catalog)
    queries = [query for _, chosen in questions for query in chosen]
    number = {q.name: i for i, q in enumerate(queries, start=1)}  # slide 0 is the index
    slides = [{
        "query": query,
        "number": number[query.name],
        "paragraphs": [p for p in query.description.split("\n") if p.strip()],
        "params": param_script(query),
    } for query in queries]
    return render(GUIDE_TEMPLATE, questions=questions, slides=slides, number=number,
                  total=len(queries), guide_url=f"{base}/{GUIDE_FILE}")


def grass() -> str:
    """The GraSS stylesheet: Disclosed accounts, rings, tweets, hashtags, URLs... in
    distinct colours with readable captions."""
    return "".join(
        selector + " {\n" + "".join(f"  {k}: {v};\n" for k, v in rules.items()) + "}\n\n"
        for selector, rules in STYLE)


def favorites_zip(catalog: Catalog) -> bytes:
    """Browser 5 imports this zip (dragged onto its window) into Favorites: a folder per
    category, a script per query numbered as its slide in the guide, each runnable alone:
    its parameters are written into the text as their defaults (a parameter without one
    is null, which the query reads as "start from the data" or "no filter"), so nothing
    has to be set first. Edit a value where it stands."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        queries = [query for _, chosen in guide_order(catalog) for query in chosen]
        for number, query in enumerate(queries, start=1):
            defaults = {s.name: cypher_literal(s.default) for s in query.params}
            header = f"// {number:02d} {query.name}: {query.title}\n"
            if defaults:
                header += ("// parameters written in as defaults: "
                           + ", ".join(f"{k} = {v}" for k, v in defaults.items()) + "\n")
            archive.writestr(f"{query.category}/{number:02d} {query.name}.cypher",
                             header + inline_params(query.text, defaults) + "\n")
    return buffer.getvalue()


def write_bundle(catalog: Catalog, directory: Path, base: str = base_url()) -> list[Path]:
    """Guide, style and favorites into `directory` (what `serve` publishes at `base`)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = [directory / GUIDE_FILE, directory / STYLE_FILE, directory / FAVORITES_FILE]
    files[0].write_text(guide_html(catalog, base), encoding="utf-8")
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
    yields the base URL, on `localhost`, the host Browser's allowlist names."""
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 partial(_Handler, directory=str(directory)))
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
