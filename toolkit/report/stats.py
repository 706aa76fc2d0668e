"""Small pure computations on query results: time buckets, bursts, hour-of-week grids.

Kept apart from the queries and the drawing so each rule the report states in words
(how a burst is defined, how days are grouped) lives in one tested place.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Unit = Literal["day", "week", "month"]

BURST_Z = 3.5
"""A bucket is a burst when its robust z-score (median and MAD) reaches this..."""
BURST_MIN = 5
"""...and it holds at least this many items (a handful is never a burst)."""


@dataclass(frozen=True)
class Bucket:
    start: date
    count: int
    label: str


def unit_for(first: date, last: date) -> Unit:
    """Days for up to ~4 months, weeks up to ~3 years, months beyond: keeps bars legible."""
    span = (last - first).days
    if span <= 120:
        return "day"
    return "week" if span <= 3 * 366 else "month"


def _start_of(day: date, unit: Unit) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: date, unit: Unit) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _label(start: date, unit: Unit) -> str:
    if unit == "month":
        return start.strftime("%Y-%m")
    return start.isoformat() if unit == "day" else f"week of {start.isoformat()}"


def buckets(counts: Iterable[tuple[date, int]], unit: Unit | None = None
            ) -> tuple[Unit, list[Bucket]]:
    """Per-day counts grouped into contiguous buckets (empty ones included, so gaps show)."""
    per_day = [(d, n) for d, n in counts if d is not None]
    if not per_day:
        return unit or "day", []
    first = min(d for d, _ in per_day)
    last = max(d for d, _ in per_day)
    unit = unit or unit_for(first, last)
    totals: dict[date, int] = {}
    for day, n in per_day:
        key = _start_of(day, unit)
        totals[key] = totals.get(key, 0) + n
    out: list[Bucket] = []
    cursor, end = _start_of(first, unit), _start_of(last, unit)
    while cursor <= end:
        out.append(Bucket(cursor, totals.get(cursor, 0), _label(cursor, unit)))
        cursor = _next(cursor, unit)
    return unit, out


def bursts(values: list[int]) -> set[int]:
    """Indexes of values far above the typical non-empty bucket: robust z >= BURST_Z and
    at least BURST_MIN. With no spread (MAD 0), anything >= 3x the median and BURST_MIN."""
    nonzero = [v for v in values if v > 0]
    if len(nonzero) < 3:
        return set()
    median = statistics.median(nonzero)
    mad = statistics.median(abs(v - median) for v in nonzero)
    marked = set()
    for i, v in enumerate(values):
        if v < BURST_MIN:
            continue
        if mad == 0:
            if v >= 3 * median and v > median:
                marked.add(i)
        elif (v - median) / (1.4826 * mad) >= BURST_Z:
            marked.add(i)
    return marked


def week_hour_grid(rows: Iterable[dict[str, int]]) -> list[list[int]]:
    """7 x 24 counts (Monday first) from rows with weekday (1-7), hour (0-23), tweets."""
    grid = [[0] * 24 for _ in range(7)]
    for row in rows:
        grid[int(row["weekday"]) - 1][int(row["hour"])] += int(row["tweets"])
    return grid


def busiest_hours(grid: list[list[int]], share: float = 0.8) -> list[int]:
    """The fewest hours of the day that hold `share` of all tweets (a working-day window
    shows up as a short, contiguous list)."""
    per_hour = [sum(day[h] for day in grid) for h in range(24)]
    total = sum(per_hour)
    if total == 0:
        return []
    chosen, held = [], 0
    for hour in sorted(range(24), key=lambda h: (-per_hour[h], h)):
        if held >= share * total:
            break
        chosen.append(hour)
        held += per_hour[hour]
    return sorted(chosen)
