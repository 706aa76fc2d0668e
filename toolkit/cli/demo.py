"""`infoops demo` (what `make demo` runs): start the local Neo4j unless a server is given,
then the whole job on the bundled sample campaign, ending with what was found."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..db import server as srv
from ..demo import DEMO_PARAMS, SIGNIFICANT_P, DemoResult, run_demo
from ..report.browser import DEFAULT_PORT, GUIDE_FILE, STYLE_FILE
from .state import err, out, state


def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the sample, reports "
                                          "and exports.")] = Path("out"),
    accounts: Annotated[int, typer.Option(help="Accounts in the sample.", min=100)] = (
        DEMO_PARAMS.accounts),
    days: Annotated[int, typer.Option(help="Days the sample covers.", min=2)] = DEMO_PARAMS.days,
) -> None:
    """Run infoops end to end on a generated campaign with a known answer.

    Starts the local Neo4j (unless --uri/NEO4J_URI name a server), generates the sample
    campaign, loads it, detects co-retweet, co-tweet, co-similar-tweet (the Chinese-language
    operation's edited copies), co-link and co-hashtag rings, writes reports and Gephi
    files, and scores each run against the planted operations.

    Example: infoops demo --out out
    """
    browser_url = None
    if state.uri is None:
        with err.status("starting Neo4j (the first start fetches ~200 MB of jars)…"):
            started = srv.LocalServer().start(srv.ServerConfig())
        browser_url = started.config.browser_url
    out_dir.mkdir(parents=True, exist_ok=True)
    params = replace(DEMO_PARAMS, accounts=accounts, days=days)
    with err.status("demo") as status:
        result = run_demo(state.graph(), out_dir, params,
                          say=None if state.quiet else lambda s: status.update(s + "…"))
    _print_summary(result, browser_url)


def _print_summary(result: DemoResult, browser_url: str | None) -> None:
    """The findings table on stdout; where things are, and what to do next, on stderr."""
    load = result.load
    err.print(f"loaded {load.rows:,} rows ({load.rejected:,} rejected) into dataset "
              f"{load.dataset} in {load.seconds:.1f} s", highlight=False)
    table = Table(title="Rings found, and the best ring scored against the planted operation",
                  title_justify="left", caption=f"p<.01: rings with p < {SIGNIFICANT_P}; size, "
                  "prec(ision), recall and p of the best-matching ring", caption_justify="left")
    for column in ("detector", "rings", "p<.01", "planted", "size", "prec", "recall", "p"):
        named = column in ("detector", "planted")  # names may wrap in a narrow terminal,
        table.add_column(column, no_wrap=not named,  # numbers are never cut
                         overflow="fold", justify="left" if named else "right")
    for f in result.findings:
        s = f.score
        table.add_row(f.kind.value, str(f.rings), str(f.significant_rings), f.operation,
                      str(s.size), f"{s.precision:.2f}", f"{s.recall:.2f}",
                      "-" if s.p_value is None else f"{s.p_value:.4f}")
    out.print(table)
    err.print(f"files in {result.out_dir}/:", highlight=False)
    for path in result.files:
        err.print(f"  {os.path.relpath(path, result.out_dir)}", highlight=False)
    if browser_url:
        err.print(f"Neo4j Browser: {browser_url}  (user {srv.DEFAULT_USER}, password: "
                  "infoops db password)", highlight=False)
    err.print("Query guide in Browser: run `infoops browser serve`; Browser opens it when you "
              "connect (on another server type\n"
              f"  :style http://localhost:{DEFAULT_PORT}/{STYLE_FILE}\n"
              f"  :guide http://localhost:{DEFAULT_PORT}/{GUIDE_FILE} )", highlight=False)
    err.print("Rings with their evidence: infoops rings list; infoops rings show RING_ID "
              "--evidence", highlight=False)
