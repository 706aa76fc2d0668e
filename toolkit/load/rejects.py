"""The rejects report: every row that was not loaded, as CSV (file, line, reason, raw)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from ..errors import BadInput
from ..sources.records import Reject

COLUMNS = ("file", "line", "reason", "raw")


class RejectsReport:
    """Appends rejects to `path`, creating it only when the first reject arrives, so a clean
    load leaves no empty report behind."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._file: IO[str] | None = None
        self._writer: Any = None

    def add(self, reject: Reject) -> None:
        if self._writer is None:
            try:
                self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as e:
                raise BadInput(f"cannot write the rejects report: {e.strerror}",
                               file=str(self.path)) from e
            self._writer = csv.writer(self._file)
            self._writer.writerow(COLUMNS)
        self._writer.writerow((reject.file, reject.line, reject.reason, reject.raw))
        self.count += 1

    @property
    def written(self) -> Path | None:
        """The report's path if any reject was written."""
        return self.path if self.count else None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
