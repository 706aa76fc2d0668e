"""Charts as inline SVG strings: no JavaScript library, nothing fetched, and every label
from the data escaped (account names and tweet texts are hostile input).

Styling lives in the page's stylesheet (classes `bar`, `mark`, `cell`, ...), so the
charts follow the page and stay small.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..inert import html_text as escape  # escaped, bidi controls shown

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(width: int, height: int, body: list[str], label: str, cls: str = "chart") -> str:
    return (f'<svg class="{cls}" viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px" preserveAspectRatio="xMinYMin meet" role="img" '
            f'aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>")


def columns(points: Sequence[tuple[str, int]], *, label: str, marks: set[int] | None = None,
            width: int = 960, height: int = 220, unit: str = "tweets") -> str:
    """A vertical bar per point (a time series); bars in `marks` are drawn as bursts."""
    marks = marks or set()
    left, right, top, bottom = 56, 8, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _, v in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    gap = 1 if step > 3 else 0
    body = []
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        body.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
                    f'y2="{y:.1f}"/><text class="tick" x="{left - 6}" y="{y + 4:.1f}" '
                    f'text-anchor="end">{peak * frac:,.{0 if peak >= 10 else 1}f}</text>')
    for i, (name, value) in enumerate(points):
        h = plot_h * value / peak
        x = left + i * step
        cls = "bar mark" if i in marks else "bar"
        note = " (burst)" if i in marks else ""
        body.append(f'<rect class="{cls}" x="{x:.2f}" y="{top + plot_h - h:.2f}" '
                    f'width="{max(step - gap, 0.5):.2f}" height="{h:.2f}"><title>'
                    f'{escape(name)}: {_num(value)} {unit}{note}</title></rect>')
    longest = max((len(_cut(n, 22)) for n, _ in points), default=1)
    ticks = min(len(points), 10, max(2, int(plot_w / (7 * longest + 16))))
    for k in range(ticks):
        i = round(k * (len(points) - 1) / max(ticks - 1, 1))
        x = left + (i + 0.5) * step
        anchor = "start" if k == 0 else "end" if k == ticks - 1 and ticks > 1 else "middle"
        x = left if anchor == "start" else width - right if anchor == "end" else x
        body.append(f'<text class="tick" x="{x:.1f}" y="{height - bottom + 16}" '
                    f'text-anchor="{anchor}">{escape(_cut(points[i][0], 22))}</text>')
    body.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
                f'y2="{top + plot_h}"/>')
    return _svg(width, height, body, label)


def hbars(rows: Sequence[tuple[str, int]], *, label: str, width: int = 460,
          unit: str = "tweets") -> str:
    """Horizontal bars for a ranked list (clients, hashtags, domains)."""
    row_h, left, right = 22, 190, 64
    height = max(len(rows), 1) * row_h + 8
    peak = max((v for _, v in rows), default=0) or 1
    plot_w = width - left - right
    body = []
    for i, (name, value) in enumerate(rows):
        y = 4 + i * row_h
        w = max(plot_w * value / peak, 1)
        body.append(
            f'<text class="lbl" x="{left - 6}" y="{y + 15}" text-anchor="end">'
            f'{escape(_cut(name, 28))}<title>{escape(name)}</title></text>'
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}">'
            f'<title>{escape(name)}: {_num(value)} {unit}</title></rect>'
            f'<text class="val" x="{left + w + 4:.1f}" y="{y + 15}">{_num(value)}</text>')
    return _svg(width, height, body, label)


def heat(grid: Sequence[Sequence[int]], *, label: str, zone: str) -> str:
    """Weekday x hour-of-day heat strips, with the hourly total as a last strip."""
    cell, left, top = 30, 44, 20
    rows = [*grid, [sum(day[h] for day in grid) for h in range(24)]]
    names = [*WEEKDAYS, "All"]
    width, height = left + 24 * cell + 8, top + len(rows) * (cell * 0.75) + 22
    body = []
    for h in range(0, 24, 3):
        body.append(f'<text class="tick" x="{left + h * cell + cell / 2}" y="{top - 6}" '
                    f'text-anchor="middle">{h:02d}h</text>')
    for r, (name, values) in enumerate(zip(names, rows, strict=True)):
        y = top + r * cell * 0.75 + (6 if r == 7 else 0)
        peak = max(values) or 1
        body.append(f'<text class="tick" x="{left - 6}" y="{y + cell * 0.5:.1f}" '
                    f'text-anchor="end">{name}</text>')
        for h, v in enumerate(values):
            level = 0.06 + 0.94 * (v / peak) ** 0.8 if v else 0
            body.append(
                f'<rect class="cell" x="{left + h * cell}" y="{y:.1f}" width="{cell - 2}" '
                f'height="{cell * 0.75 - 2:.1f}" fill-opacity="{level:.3f}"><title>{name} '
                f'{h:02d}:00-{h:02d}:59 {escape(zone)}: {_num(v)} tweets</title></rect>')
    body.append(f'<text class="tick" x="{left}" y="{height - 4:.0f}">hour of day, {escape(zone)}'
                f' (shade: share of the row\'s busiest hour)</text>')
    return _svg(width, int(height), body, label)


def network(nodes: Sequence[dict[str, object]], edges: Sequence[tuple[int, int, float]],
            coords: Sequence[tuple[float, float]], *, label: str, size: int = 420) -> str:
    """A ring drawn from precomputed coordinates: nodes sized by followers, disclosed
    accounts filled, edge width by weight. `nodes` need `name`, `disclosed`, `followers`."""
    pad = 34
    xs = [c[0] for c in coords] or [0.0]
    ys = [c[1] for c in coords] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)

    inner = size - 2 * pad
    # Scale both axes alike, centre the narrower one, and crop a flat picture's height.
    used_h = (max(ys) - min(ys)) / span * inner
    height = max(int(used_h + 2 * pad), 140)
    off_x = pad + (inner - (max(xs) - min(xs)) / span * inner) / 2
    off_y = (height - used_h) / 2

    def place(i: int) -> tuple[float, float]:
        x, y = coords[i]
        return off_x + (x - min(xs)) / span * inner, off_y + (y - min(ys)) / span * inner

    peak = max((w for _, _, w in edges), default=1) or 1
    body = []
    for a, b, w in edges:
        (x1, y1), (x2, y2) = place(a), place(b)
        body.append(f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                    f'y2="{y2:.1f}" stroke-width="{0.6 + 3.4 * w / peak:.2f}"><title>'
                    f'{escape(str(nodes[a]["name"]))} – {escape(str(nodes[b]["name"]))}: '
                    f'weight {_num(w)}</title></line>')
    show_names = len(nodes) <= 16  # beyond that labels overlap; hover shows the name
    for i, node in enumerate(nodes):
        x, y = place(i)
        followers = node.get("followers")
        count = followers if isinstance(followers, int) else 0
        r = 4 + 1.6 * math.log10(1 + count)
        cls = "node disclosed" if node.get("disclosed") else "node"
        name = str(node["name"])
        body.append(f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"><title>'
                    f'{escape(name)} ({_num(count)} followers)</title></circle>')
        if show_names:
            body.append(f'<text class="nlbl" x="{x:.1f}" y="{y - r - 3:.1f}" '
                        f'text-anchor="middle">{escape(_cut(name, 16))}</text>')
    return _svg(size, height, body, label, cls="net")
