"""The CLI's `Progress` on stderr, chosen once per command: a rich live bar on a terminal,
`LogLines` (a line at least every 10 s) when stderr is a file or a pipe, nothing with
--quiet. stdout never sees it."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from ..progress import LogLines, Progress
from .state import err, state


class LiveBar(Progress):
    """A one-line rich bar: label and counts, bar, rate, ETA, elapsed time."""

    def __init__(self, task: str, bar: RichProgress) -> None:
        super().__init__(task)
        self._bar = bar
        self._id = bar.add_task(task, total=None, status="")

    def changed(self, new_label: bool) -> None:
        self._bar.update(self._id, completed=self.done or 0, total=self.total,
                         status=self.status())


@contextmanager
def progress(task: str, steps: Sequence[str] = ()) -> Iterator[Progress | None]:
    """The command's progress for `task` (with its named `steps`, if any), or None when
    --quiet."""
    if state.quiet:
        yield None
    elif err.is_terminal:
        columns = (TextColumn(f"{task}:"), BarColumn(), TextColumn("{task.fields[status]}"),
                   TimeElapsedColumn())
        with RichProgress(*columns, console=err, transient=True) as bar:
            yield LiveBar(task, bar).expect(steps)
    else:
        with LogLines(task, sys.stderr) as lines:
            yield lines.expect(steps)
