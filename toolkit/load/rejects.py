"""The rejects report: every row that was not loaded, as CSV (file, line, reason, raw).

Its cells come from the data (a raw row may begin with `=` or a hashed id with `+`), so
they are written spreadsheet-safe (`csv_cell`)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from ..errors import CannotWrite
from ..inert import csv_cell
from ..outfile import probe_writable
from ..sources.records import Reject

COLUMNS = ("file", "line", "reason", "raw")


class RejectsReport:
    """Appends rejects to `path`, creating it only when the first reject arrives, so a clean
    load leaves no empty report behind."""

    def __init__(self, path: Path):
        """Checks at once that `path` can be written (its folder is made if missing), so
        a load never fails on its report after writing to the graph."""
        self.path = path
        self.count = 0
        self._file: IO[str] | None = None
        self._writer: Any = None
        probe_writable(path, "--rejects")

    def add(self, reject: Reject) -> None:
        try:
            if self._writer is None:
                self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                self._writer = csv.writer(self._file)
                self._writer.writerow(COLUMNS)
            self._writer.writerow((csv_cell(reject.file), reject.line,
                                   csv_cell(reject.reason), csv_cell(reject.raw)))
        except OSError as e:
            raise CannotWrite(f"cannot write the rejects report {self.path}: "
                              f"{e.strerror or e}") from e
        self.count += 1

    @property
    def written(self) -> Path | None:
        """The report's path if any reject was written."""
        return self.path if self.count else None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
