"""Turn `ReportData` into one self-contained HTML page.

Everything from the data passes through `_cell`/`escape` on its way into markup; only
strings built here (charts, tables) travel as `Raw`. Each section ends with the queries
and parameters behind it, ready to paste into Neo4j Browser.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .. import __version__
from ..detect.select import left_out_text
from ..inert import html_text as escape  # escaped, bidi controls shown
from . import charts, stats
from .browser import param_lines
from .collect import QueryRun, ReportData, RingData, as_date
from .page import shell
from .picture import ring_picture

EVIDENCE_TWEETS_PER_TARGET = 12


@dataclass(frozen=True)
class Raw:
    """Markup made here (trusted); `sort` is the value a sortable column orders by."""

    html: str
    sort: str | None = None


@dataclass(frozen=True)
class Source:
    """Where the numbers came from, printed in the header and footer."""

    uri: str
    database: str
    server: str = ""


def public_uri(uri: str) -> str:
    """The URI without any user:password part, so the page never carries a secret."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def fmt_time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, date):
        return value.isoformat()
    return "–" if value is None else str(value)


def fmt_num(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "–"}[value]
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != 0 and abs(value) < 0.001:
            return f"{value:.1e}"
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, Raw):
        sort = "" if value.sort is None else f' data-v="{escape(value.sort)}"'
        return f"<td{sort}>{value.html}</td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="n" data-v="{value}">{fmt_num(value)}</td>'
    if isinstance(value, date | datetime):
        return f'<td class="d">{escape(fmt_time(value))}</td>'
    return f"<td>{escape(fmt_num(value))}</td>"


def table(head: Sequence[str], rows: Iterable[Sequence[Any]], *, numeric: Sequence[int] = (),
          sortable: bool = False, cls: str = "") -> str:
    """A table whose plain cells are escaped; pass `Raw` for markup made here."""
    ths = "".join(
        f'<th class="{"n " if i in numeric else ""}{"sortable" if sortable else ""}">'
        f"{escape(h)}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>"


def _code(text: Any) -> Raw:
    return Raw(f"<code>{escape(str(text))}</code>", str(text))


def _account(name: Any, disclosed: bool = False) -> Raw:
    """An account name cut to one line (hashed ids are 44 characters); hover shows it all."""
    text = escape(str(name))
    tag = ' <span class="tag">disclosed</span>' if disclosed else ""
    return Raw(f'<code class="acct" title="{text}">{text}</code>{tag}', str(name))


def _text(text: Any) -> Raw:
    return Raw(f'<div class="text" dir="auto">{escape(str(text or ""))}</div>')


def repro(runs: Sequence[QueryRun]) -> str:
    """The queries behind a section, each with its parameters as Browser `:param` lines."""
    if not runs:
        return ""
    parts = [f'<details class="repro"><summary>Queries behind this section ({len(runs)})'
             "</summary>"]
    for r in runs:
        parts.append(
            f'<div class="q"><b>{escape(r.name)}</b> · {r.rows:,} rows · {r.ms:,.0f} ms · '
            "paste both into Neo4j Browser</div>"
            f"<pre>{escape(param_lines(r.params))}</pre><pre>{escape(r.text)}</pre>")
    parts.append("</details>")
    return "".join(parts)


def _section(anchor: str, title: str, lead: str, body: str, runs: Sequence[QueryRun]) -> str:
    return (f'<section id="{anchor}"><h2>{escape(title)}</h2><p class="lead">{lead}</p>'
            f"{body}{repro(runs)}</section>")


def _kpis(items: Sequence[tuple[str, Any]]) -> str:
    cards = "".join(f'<div class="kpi"><div class="v">{escape(fmt_num(v))}</div>'
                    f'<div class="k">{escape(k)}</div></div>' for k, v in items)
    return f'<div class="kpis">{cards}</div>'


def overview(data: ReportData) -> str:
    t = data.totals
    tweets = t.get("tweets") or 0
    share = f"{100 * (t.get('retweets') or 0) / tweets:.1f}%" if tweets else "–"
    kpis = _kpis([("accounts in the datasets", t.get("accounts")),
                  ("of them disclosed", t.get("disclosed")), ("tweets", tweets),
                  ("retweets", t.get("retweets")), ("retweet share", share),
                  ("detection runs", len(data.detection_runs))])
    span = (f"Tweets from <b>{escape(fmt_time(t.get('first_tweet')))}</b> to "
            f"<b>{escape(fmt_time(t.get('last_tweet')))}</b>.")
    rows = [[_code(d["name"]), d.get("format"), ", ".join(map(str, d.get("files") or [])),
             d.get("loaded_at"), d.get("rows"), d.get("rejected"), d.get("tweets"),
             d.get("accounts")] for d in data.datasets]
    body = kpis + f"<p>{span}</p>" + table(
        ["dataset", "format", "files", "loaded at", "rows", "rejected", "tweets", "accounts"],
        rows, numeric=(4, 5, 6, 7))
    return _section("overview", "Dataset overview",
                    "What was loaded, and how much of it: accounts count only when listed "
                    "in a dataset, tweets only when loaded from one (not stub originals).",
                    body, data.queries.get("overview", []))


def activity(data: ReportData) -> str:
    days = [(as_date(r["day"]), int(r["tweets"])) for r in data.per_day]
    unit, series = stats.buckets((d, n) for d, n in days if d is not None)
    tz = data.options.tz
    if not series:
        body = '<p class="empty">No tweets with a time.</p>'
    else:
        body = charts.columns([(b.label, b.count) for b in series],
                              label=f"tweets per {unit}, UTC")
        body += f'<p class="note">Tweets per {unit} (UTC dates).</p>'
        grids = [("UTC", stats.week_hour_grid(data.week_hour_utc))]
        if tz != "UTC":
            grids.append((tz, stats.week_hour_grid(data.week_hour_local)))
        for zone, grid in grids:
            hours = stats.busiest_hours(grid)
            total = sum(map(sum, grid)) or 1
            weekend = 100 * (sum(grid[5]) + sum(grid[6])) / total
            body += f"<h3>Hour of day and weekday, {escape(zone)}</h3>"
            body += charts.heat(grid, label=f"tweets by weekday and hour, {zone}", zone=zone)
            body += (f'<p class="note">80% of tweets fall in {len(hours)} hours of the day '
                     f"({escape(_hour_ranges(hours))} {escape(zone)}); "
                     f"{weekend:.1f}% on Saturday or Sunday.</p>")
    lead = ("When the accounts tweeted. A staff working shifts shows as a block of office "
            "hours on weekdays in its own time zone; compare the UTC view with "
            f"<b>{escape(tz)}</b>.")
    return _section("activity", "Activity over time", lead, body,
                    data.queries.get("activity", []))


def _hour_ranges(hours: list[int]) -> str:
    spans: list[list[int]] = []
    for h in hours:
        if spans and spans[-1][1] == h - 1:
            spans[-1][1] = h
        else:
            spans.append([h, h])
    return ", ".join(f"{a:02d}:00–{b:02d}:59" for a, b in spans) or "–"


def accounts(data: ReportData) -> str:
    days = [(as_date(r["day"]), int(r["accounts"]), int(r["disclosed"])) for r in data.created]
    days = [(d, n, k) for d, n, k in days if d is not None]
    unit, series = stats.buckets((d, n) for d, n, _ in days)
    counts = [b.count for b in series]
    marked = stats.bursts(counts)
    if not series:
        body = '<p class="empty">No account creation dates.</p>'
    else:
        body = charts.columns([(b.label, b.count) for b in series], marks=marked,
                              label=f"accounts created per {unit}", unit="accounts")
        rows = [[series[i].label, series[i].count] for i in sorted(marked)]
        body += (f'<p class="note">Accounts created per {unit}; <b style="color:#c0392b">red'
                 f"</b> bars are bursts: a robust z-score (median, MAD) of at least "
                 f"{stats.BURST_Z} and at least {stats.BURST_MIN} accounts.</p>")
        busiest = sorted(days, key=lambda x: (-x[1], x[0]))[:10]
        body += '<div class="grid2"><div><h3>Bursts</h3>' + (
            table([unit, "accounts"], rows, numeric=(1,)) if rows
            else '<p class="empty">No burst by this rule.</p>')
        body += "</div><div><h3>Busiest creation days</h3>" + table(
            ["day", "accounts", "disclosed"], [list(x) for x in busiest], numeric=(1, 2))
        body += "</div></div>"
    return _section("accounts", "Account creation",
                    "Operations often register accounts in batches; bursts of creation "
                    "dates are a lead, not proof.", body, data.queries.get("accounts", []))


TOP_TITLES = {"clients": ("Client apps", "client"), "hashtags": ("Top hashtags", "hashtag"),
              "domains": ("Top domains", "domain"), "urls": ("Top URLs", "URL")}


def top_lists(data: ReportData) -> str:
    total = data.totals.get("tweets") or 0
    blocks = []
    for key in ("clients", "hashtags", "domains"):
        title, noun = TOP_TITLES[key]
        rows = data.top.get(key, [])
        inner = '<p class="empty">None.</p>' if not rows else charts.hbars(
            [(str(r["label"]), int(r["tweets"])) for r in rows], label=title)
        table_rows = [[_code(r["label"]), r["tweets"], r["accounts"],
                       Raw(f"{100 * r['tweets'] / total:.1f}%" if total else "–")]
                      for r in rows]
        inner += ("<details><summary>as a table</summary>" + table(
            [noun, "tweets", "accounts", "share of tweets"], table_rows, numeric=(1, 2),
            sortable=True) + "</details>") if rows else ""
        blocks.append(f"<div><h3>{title}</h3>{inner}</div>")
    urls = data.top.get("urls", [])
    url_table = table(["URL", "shortener", "tweets", "accounts"],
                      [[_code(r["label"]), r["shortener"], r["tweets"], r["accounts"]]
                       for r in urls], numeric=(2, 3), sortable=True) if urls else (
        '<p class="empty">No links.</p>')
    body = ('<div class="grid2">' + "".join(blocks) + "</div><h3>Top URLs</h3>" + url_table)
    runs = [r for k in ("clients", "hashtags", "domains", "urls")
            for r in data.queries.get(k, [])]
    return _section("content", "Client apps, hashtags, domains and URLs",
                    f"The {data.options.top} most used of each, by tweets. URLs are shown "
                    "as text, never as links.", body, runs)


def changes(data: ReportData) -> str:
    """Accounts that came back from a long silence changed: language, client app, office
    hours of `office_tz`, with the dates, and any sale or hand-over tweets."""
    zone = data.options.office_tz
    rows = [[_account(r.get("screen_name") or r["userid"], bool(r.get("disclosed"))),
             r.get("silent_days"), r.get("last_before"), r.get("first_after"),
             _change(r.get("language_before"), r.get("language_after"),
                     r.get("language_switch"), r.get("language_since")),
             _change(r.get("client_before"), r.get("client_after"), r.get("client_switch"),
                     r.get("client_since")),
             _change(_share(r.get("office_share_before")), _share(r.get("office_share_after")),
                     r.get("office_hours_shift"), r.get("office_hours_since")),
             _text("\n".join(f"{fmt_time(h.get('created_at'))}: {h.get('text')}"
                              for h in r.get("handover_tweets") or []))]
            for r in data.changes]
    body = table(["account", "silent days", "last tweet before", "first tweet after",
                  "tweet language", "client app", f"share in office hours ({zone})",
                  "sale or hand-over tweets"], rows, numeric=(1,), sortable=True) if rows else (
        '<p class="empty">No account went silent for the query\'s minimum gap.</p>')
    lead = ("Accounts silent for months that came back changed: another tweet language, "
            "another client app, or posting in the office hours (weekdays 09:00–18:00) of "
            f"<b>{escape(zone)}</b>, each with the date it first showed; tweets offering "
            "the account for sale or testing a new owner are quoted. Bought or handed-over "
            "accounts look like this; so do people who moved or changed jobs.")
    return _section("changes", "Account changes", lead, body, data.queries.get("changes", []))


def _change(before: Any, after: Any, changed: Any, since: Any) -> Raw:
    """'before → after' (marked, with its date, when it counts as a change)."""
    text = f"{fmt_num(before)} → {fmt_num(after)}"
    if not changed:
        return Raw(escape(text), text)
    return Raw(f'<b>{escape(text)}</b> <span class="tag">since {escape(fmt_time(since))}'
               "</span>", text)


def _share(value: Any) -> str | None:
    return None if value is None else f"{100 * value:.0f}%"


def rings(data: ReportData) -> str:
    runs = data.queries.get("rings", []) + data.queries.get("evidence", [])
    if data.run is None:
        body = ('<p class="empty">No detection run in the database: run '
                "<code>infoops detect co-retweet</code> (or another kind) first.</p>")
        return _section("rings", "Coordination rings", "", body, runs)
    run = data.run
    params = run.get("params")
    try:
        params_text = json.dumps(json.loads(params), indent=1, sort_keys=True)
    except (TypeError, ValueError):
        params_text = str(params)
    body = _kpis([("kind", run.get("kind")), ("edges", run.get("edges")),
                  ("rings", run.get("rings")), ("code version", run.get("code_version"))])
    body += (f"<p>Run <code>{escape(str(run['run_id']))}</code> created "
             f"{escape(fmt_time(run.get('created_at')))} with parameters:</p>"
             f"<pre>{escape(params_text)}</pre>")
    if run.get("rings_found") is not None:
        body += f"<p>{escape(_left_out(run))}</p>"
    if len(data.detection_runs) > 1:
        body += "<details><summary>other runs in the database</summary>" + table(
            ["run", "kind", "created", "edges", "rings"],
            [[_code(r["run_id"]), r.get("kind"), r.get("created_at"), r.get("edges"),
              r.get("rings")] for r in data.detection_runs], numeric=(3, 4)) + "</details>"
    if not data.rings:
        body += '<p class="empty">This run found no ring.</p>'
    else:
        body += "<h3>Rings, the most significant first</h3>" + table(
            ["rank", "ring", "kind", "members", "disclosed", "density", "score", "p-value"],
            [[i + 1, Raw(f'<a href="#ring-{i + 1}">{escape(str(r.info["ring_id"]))}</a>',
                         str(r.info["ring_id"])),
              r.info.get("kind"), r.info.get("size"), r.info.get("disclosed"),
              r.info.get("density"), r.info.get("score"), r.info.get("p_value")]
             for i, r in enumerate(data.rings)], numeric=(0, 3, 4, 5, 6, 7), sortable=True,
            cls="ranking")
        body += "".join(_ring(i + 1, r, data) for i, r in enumerate(data.rings))
    lead = ("Groups of accounts that acted together more often than chance allows, from one "
            "detection run. Each ring shows its summary, its members with their roles, its "
            "network and the tweets behind "
            "its most cited shared targets.")
    return _section("rings", "Coordination rings", lead, body, runs)


def _left_out(run: dict[str, Any]) -> str:
    """What the run found and did not write, and why."""
    left = json.loads(run.get("rings_left_out") or "{}")
    text = (f"The run wrote {run.get('rings')} of the {run.get('rings_found')} rings and "
            f"{run.get('edges')} of the {run.get('edges_found')} edges it found.")
    if left or run.get("edges_left_out"):
        text += (" Left out as chance or crowd: "
                 + left_out_text(left, int(run.get("edges_left_out") or 0))
                 + " (infoops detect --keep-all writes them).")
    return text


def _ring(rank: int, ring: RingData, data: ReportData) -> str:
    info = ring.info
    head = (f'<div class="head"><b>#{rank} · ring {escape(str(info["ring_id"]))}</b>'
            f"<span>{fmt_num(info.get('size'))} members</span>"
            f"<span>{fmt_num(info.get('disclosed'))} disclosed</span>"
            f"<span>density {fmt_num(info.get('density'))}</span>"
            f"<span>score {fmt_num(info.get('score'))}</span>"
            f"<span>p = {fmt_num(info.get('p_value'))}</span></div>")
    if info.get("signals"):
        head += '<p class="note">Held together by ' + ", ".join(
            f"{escape(str(s))} ({100 * float(x):.0f}%)"
            for s, x in zip(info["signals"], info.get("signal_shares") or [], strict=False)
        ) + " of its weight.</p>"
    if info.get("summary"):
        head += f'<p class="summary">{escape(str(info["summary"]))}</p>'

    picture = ring_picture(ring.members, ring.edges, label=f"ring {info['ring_id']}")
    legend = ('<div class="legend"><i style="background:#d35400"></i>disclosed'
              '<i style="background:#5b7fa6"></i>other · size: followers · '
              f"{len(ring.edges)} coordination edges</div>")
    members = table(
        ["account", "role", "first in", "median lag (s)", "display name", "created",
         "followers", "following", "tweets", "lang", "datasets"],
        [[_account(m.get("screen_name") or m["userid"], bool(m.get("disclosed"))),
          m.get("role"), _first_in(m), m.get("median_lag_s"), m.get("display_name"),
          m.get("created_at"), m.get("followers"), m.get("following"), m.get("tweets"),
          m.get("language"), ", ".join(m.get("datasets") or [])]
         for m in ring.members], numeric=(3, 6, 7, 8), sortable=True)
    return (f'<div class="ring" id="ring-{rank}">{head}<div class="ringbody"><div>{picture}'
            f'{legend}</div><div class="scroll">{members}</div></div>'
            f"{_evidence(ring, data)}</div>")


def _first_in(member: dict[str, Any]) -> str | None:
    """'3 of 11': the episodes a member acted first in, of those it joined."""
    if member.get("episodes") is None:
        return None
    return f"{member.get('leads')} of {member['episodes']}"


def _evidence(ring: RingData, data: ReportData) -> str:
    if not ring.targets:
        return '<p class="empty">The run recorded no evidence for this ring.</p>'
    by_target: dict[str, list[dict[str, Any]]] = {}
    for row in ring.evidence:
        by_target.setdefault(str(row["target"]), []).append(row)
    parts = [f"<details><summary>Evidence: the {len(ring.targets)} most cited shared targets "
             f"and the members' tweets behind them</summary>"]
    for target, cited in ring.targets:
        tweets = by_target.get(target, [])
        times = [r["created_at"] for r in tweets if isinstance(r.get("created_at"), datetime)]
        spread = f", spread {(max(times) - min(times)).total_seconds():,.0f} s" if times else ""
        original = data.target_tweets.get(target)
        what = ""
        if original is not None:
            author = original.get("screen_name") or original.get("userid") or "unknown"
            at = original.get("created_at")
            when = f" at {escape(fmt_time(at))}" if at is not None else ""
            said = original.get("text") or "(its text is not in the data)"
            what = (f'<div class="note">Target tweet by <code>{escape(str(author))}</code>'
                    f'{when}: <span dir="auto">{escape(str(said))}</span></div>')
        parts.append(f"<h3><code>{escape(target)}</code> · cited by {cited} edges · "
                     f"{len(tweets)} member tweets{spread}</h3>{what}")
        shown = tweets[:EVIDENCE_TWEETS_PER_TARGET]
        parts.append(table(["time (UTC)", "account", "tweet id", "text"],
                           [[r.get("created_at"), _account(r.get("screen_name") or r["userid"]),
                             _code(r["tweetid"]), _text(r.get("text"))] for r in shown]))
        if len(tweets) > len(shown):
            parts.append(f'<p class="note">…and {len(tweets) - len(shown)} more; the query '
                         "below lists them all.</p>")
    parts.append("</details>")
    return "".join(parts)


def render(data: ReportData, source: Source) -> str:
    """The report page for `data`, stamped with its source and how to regenerate it."""
    o = data.options
    scope = f"dataset {o.dataset}" if o.dataset else "all datasets"
    when = data.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    meta = (f"{escape(scope)} · database <b>{escape(source.database)}</b> at "
            f"<b>{escape(public_uri(source.uri))}</b>{escape(source.server)} · generated "
            f"<b>{escape(when)}</b> · infoops <b>{escape(__version__)}</b>")
    body = "".join([overview(data), activity(data), accounts(data), top_lists(data),
                    changes(data), rings(data), _method(data)])
    nav = [("overview", "Overview"), ("activity", "Activity"), ("accounts", "Accounts"),
           ("content", "Apps & content"), ("changes", "Account changes"), ("rings", "Rings"),
           ("method", "Reproduce")]
    footer = f"infoops {escape(__version__)} · {escape(when)} · read-only queries"
    return shell(title="infoops report", meta=meta, nav=nav, body=body, footer=footer)


def command_line(data: ReportData) -> str:
    """The command that regenerates this report from the same database."""
    o = data.options
    args = ["infoops", "report"]
    if o.dataset:
        args += ["--dataset", o.dataset]
    if data.run is not None:
        args += ["--run", str(data.run["run_id"])]
    args += ["--tz", o.tz, "--office-tz", o.office_tz, "--top", str(o.top), "--rings",
             str(o.rings), "--out", "report.html"]
    return shlex.join(args)


def _method(data: ReportData) -> str:
    count = sum(len(v) for v in data.queries.values())
    body = (f"<p>Every number above comes from one of {count} read-only Cypher queries, "
            "listed under each section with the exact parameters it ran with. To rebuild the "
            "whole report from the same database:</p>"
            f"<pre>{escape(command_line(data))}</pre>"
            "<p class=\"note\">Times are UTC unless a section names another zone. Counts "
            "depend on the data loaded when the page was generated (see the header).</p>")
    return _section("method", "Reproduce this report", "", body, [])
