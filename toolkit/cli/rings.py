"""`infoops rings`: list the rings of detection runs, show one with its evidence."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..inert import terminal_text
from .state import err, out, state

app = typer.Typer(help="Rings found by `infoops detect`: list, show with evidence.",
                  no_args_is_help=True)


@app.command("list")
def list_cmd(
    run: Annotated[str | None, typer.Option(help="Only this run_id.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. co-retweet.")] = None,
    max_p: Annotated[float | None, typer.Option(help="Only rings with p-value <= this.")] =
        None,
    limit: Annotated[int, typer.Option(help="At most this many rings.")] = 100,
) -> None:
    """Rings of all runs, newest run first.

    Example: infoops rings list --kind co-retweet --max-p 0.01
    """
    import pandas as pd

    from ..detect.results import check_listing, list_rings, run_counts
    from ..detect.select import left_out_text
    from ..queries.formats import print_table

    check_listing(max_p, limit)  # before connecting
    rows = list_rings(state.graph(), run, kind, max_p, limit)
    fused = any(r["signals"] for r in rows)
    print_table(out, pd.DataFrame(
        [[r["ring_id"], r["kind"], r["size"], f"{r['density']:.2f}", f"{r['score']:.2f}",
          _num(r["p_value"], "{:.4f}"), _num(r["z"], "{:.1f}"),
          *([" ".join(r["signals"] or [])] if fused else [])] for r in rows],
        columns=["ring_id", "kind", "size", "density", "score", "p_value", "z",
                 *(["signals"] if fused else [])]))
    err.print(f"{len(rows)} rings")
    for run_row in run_counts(state.graph(), sorted({r["run_id"] for r in rows})):
        if run_row["rings_found"] is None:
            continue
        err.print(f"  {run_row['run_id']}: {run_row['rings']:,} of {run_row['rings_found']:,} "
                  f"rings written; left out: " + left_out_text(
                      run_row["rings_left_out"], run_row["edges_left_out"])
                  + (f"; {run_row['hyperactive']:,} hyperactive accounts damped"
                     if run_row["hyperactive"] else ""), highlight=False)


@app.command("runs")
def runs_cmd() -> None:
    """Detection runs with their parameters.

    Example: infoops rings runs
    """
    import pandas as pd

    from ..detect.results import list_runs
    from ..queries.formats import print_table

    print_table(out, pd.DataFrame(
        list_runs(state.graph()),
        columns=["run_id", "kind", "created_at", "edges", "rings", "params"]))


@app.command("show")
def show_cmd(
    ring_id: Annotated[str, typer.Argument(help="A ring_id from `infoops rings list`.")],
    evidence: Annotated[bool, typer.Option(
        "--evidence", help="Also list the tweets behind the ring.")] = False,
) -> None:
    """A ring: its numbers, signals and summary, the run's parameters, members with their
    roles, edges (and tweets).

    Example: infoops rings show co-retweet-20190819T120000-ab12cd-r1 --evidence
    """
    import pandas as pd

    from ..detect.results import show_ring
    from ..queries.formats import print_table

    report = show_ring(state.graph(), ring_id, evidence)
    ring = report.ring
    out.print(terminal_text(
        f"ring {ring['ring_id']}  kind {ring['kind']}  size {ring['size']}  "
        f"density {ring['density']:.2f}  score {ring['score']:.2f}  "
        f"p_value {_num(ring.get('p_value'), '{:.4f}')}"))
    if ring.get("signals"):
        out.print(terminal_text("signals: " + ", ".join(
            f"{s} {share:.0%}" for s, share in zip(ring["signals"], ring["signal_shares"],
                                                    strict=True))))
    if ring.get("summary"):
        out.print(terminal_text(f"summary: {ring['summary']}"))
    out.print(terminal_text(f"run params: {json.dumps(report.params, sort_keys=True)}"))
    print_table(out, pd.DataFrame(
        [[m["userid"], m.get("screen_name") or "", m.get("role") or "-",
          _num(m.get("episodes"), "{:d}"), _num(m.get("leads"), "{:d}"),
          _num(m.get("median_lag_s"), "{:.1f}")] for m in report.members],
        columns=["userid", "screen_name", "role", "episodes", "leads", "median_lag_s"]),
        ids=("userid",))
    if report.params.get("roles_rule"):
        err.print(terminal_text(f"roles: {report.params['roles_rule']}"))
    edges = report.edges
    fused = "signals" in edges.columns and edges["signals"].notna().any()
    print_table(out, pd.DataFrame(
        [[e.a, e.b, f"{e.weight:.2f}", *([" ".join(e.signals)] if fused else []),
          e.first_at, e.last_at, _num(e.p_value, "{:.4f}"), " ".join(e.evidence)]
         for e in edges.itertuples(index=False)],
        columns=["a", "b", "weight", *(["signals"] if fused else []), "first_at", "last_at",
                 "p_value", "evidence"]),
        ids=("a", "b"))
    if report.tweets is not None:
        print_table(out, pd.DataFrame(
            [[t.target, t.created_at, t.account, t.tweetid, t.text or ""]
             for t in report.tweets.itertuples(index=False)],
            columns=["target", "created_at", "account", "tweetid", "text"]),
            ids=("account", "tweetid"))
        err.print(f"{len(report.tweets)} evidence tweets")


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None or value != value else fmt.format(value)
