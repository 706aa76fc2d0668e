"""`Progress`: how long work says how far it has come, one type for the whole product.

Long work (a load and its phases, detection's read, pairs and null model, the report's and
the export's steps, the demo) takes a `Progress | None` and tells it:
- `update(label, done, total, unit)`: what runs now and, when known, how much of it is done
  (absolute counts: a retried or repeated call does no harm);
- `progress(text)`: a sentence, for work that speaks in sentences (detection, the demo). A
  text ending in a count, "null model: 7/100 replicates", counts as
  `update("null model", 7, 100, "replicates")`; a text that names one of the steps declared
  with `expect` ("top") counts as that step of them.

The base class keeps the state and shows nothing. `LogLines` is for a log file, a pipe or
CI: a line when the label changes, then one at least every `interval` seconds from a
heartbeat thread, so a phase that reports nothing for minutes (neo4j-admin's import, one
long server query) still shows it is alive. The CLI's live bar for a terminal is
`toolkit.cli.progress`. Rate and ETA are measured over a series of counts with the same
unit and total, so a step count carries its ETA across the steps' labels.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from typing import TextIO

# "label: 7/100 unit" (thousands separators allowed); the label and unit are optional.
_COUNTED = re.compile(r"^(?P<label>.*?)[:\s]*(?P<done>\d[\d,]*)/(?P<total>\d[\d,]*)"
                      r"(?:\s+(?P<unit>[^\W\d][\w-]*))?\s*$")
DEFAULT_INTERVAL = 10.0


class Progress:
    """The state of one task (`task`, e.g. 'load'); thread-safe; prints nothing."""

    def __init__(self, task: str) -> None:
        self.task = task
        self.label = ""
        self.done: int | None = None
        self.total: int | None = None
        self.unit = ""
        self.started = time.monotonic()
        self._steps: tuple[str, ...] = ()
        self._series: tuple[str, int | None] = ("", None)
        self._series_start = (self.started, 0)
        self._lock = threading.Lock()

    def expect(self, steps: Sequence[str]) -> Progress:
        """Declare the task's named steps, in order: a text naming one counts as it."""
        self._steps = tuple(steps)
        return self

    def update(self, label: str, done: int | None = None, total: int | None = None,
               unit: str = "rows") -> None:
        with self._lock:
            changed = label != self.label
            now = time.monotonic()
            if (unit, total) != self._series or done is None or (
                    self.done is not None and done < self.done):
                self._series, self._series_start = (unit, total), (now, done or 0)
            self.label, self.done, self.total, self.unit = label, done, total, unit
        self.changed(changed)

    def __call__(self, text: str) -> None:
        if text in self._steps:
            self.update(text, self._steps.index(text), len(self._steps), "steps")
            return
        counted = _COUNTED.match(text)
        if counted is None:
            self.update(text, unit="")
            return
        self.update(counted["label"] or self.task, int(counted["done"].replace(",", "")),
                    int(counted["total"].replace(",", "")), counted["unit"] or "")

    def changed(self, new_label: bool) -> None:
        """Called after every update (`new_label`: the label changed); renderers show it."""

    def rate(self) -> float | None:
        """Units per second over the current series of counts."""
        since, first = self._series_start
        elapsed = time.monotonic() - since
        if self.done is None or elapsed <= 0 or self.done <= first:
            return None
        return (self.done - first) / elapsed

    def eta(self) -> float | None:
        """Seconds left at the series' rate, when the total is known."""
        rate = self.rate()
        if rate is None or self.total is None or self.done is None:
            return None
        return max(self.total - self.done, 0) / rate

    def status(self) -> str:
        """'convert 1,200,000/10,338,165 rows (11.6%), 9,812 rows/s, ETA 15m 32s'."""
        with self._lock:
            parts = [self.label]
            if self.done is not None and self.total:
                parts[0] += (f" {self.done:,}/{self.total:,} {self.unit}".rstrip()
                             + f" ({100 * self.done / self.total:.1f}%)")
            elif self.done is not None:
                parts[0] += f" {self.done:,} {self.unit}".rstrip()
            rate, eta = self.rate(), self.eta()
            if rate is not None and self.unit == "rows":
                parts.append(f"{rate:,.0f} rows/s")
            if eta is not None:
                parts.append(f"ETA {duration(eta)}")
        return ", ".join(parts)


class LogLines(Progress):
    """Progress as plain lines on `stream`: '[1m 05s] load: convert 120,000/... rows'.
    Use as a context manager (the heartbeat thread runs inside it)."""

    def __init__(self, task: str, stream: TextIO, interval: float = DEFAULT_INTERVAL) -> None:
        super().__init__(task)
        self.stream = stream
        self.interval = interval
        self._printed = 0.0
        self._shown: tuple[str, int | None] = ("", None)  # label and count last printed
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, daemon=True,
                                      name="infoops-progress")

    def __enter__(self) -> LogLines:
        self._beat.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._beat.join()
        self._finish_line()

    def update(self, label: str, done: int | None = None, total: int | None = None,
               unit: str = "rows") -> None:
        if label != self.label:
            self._finish_line()
        super().update(label, done, total, unit)

    def changed(self, new_label: bool) -> None:
        if new_label:
            self.line()

    def _finish_line(self) -> None:
        """A step's last count, when no line showed it yet: a log says where each step
        ended ('loading 5,992/5,992 rows'), not only where the heartbeat last caught it."""
        if self.label and self.done is not None and (self.label, self.done) != self._shown:
            self.line()

    def line(self) -> None:
        """Print the status now."""
        shown = (self.label, self.done)
        text = f"[{duration(time.monotonic() - self.started)}] {self.task}: {self.status()}"
        with self._lock:
            self._printed, self._shown = time.monotonic(), shown
            self.stream.write(text + "\n")
            self.stream.flush()

    def _heartbeat(self) -> None:
        while not self._stop.wait(max(0.01, self._printed + self.interval
                                      - time.monotonic())):
            if self._printed and time.monotonic() - self._printed >= self.interval:
                self.line()


def duration(seconds: float) -> str:
    """'7 s', '3m 05s', '2h 01m'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
