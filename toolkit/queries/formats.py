"""Writers for query results: each takes DataFrame chunks as they arrive, so CSV, JSON,
JSON Lines and Parquet stream to their file; the rich table gathers rows to size columns.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Collection, Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import BadParameter
from ..inert import csv_cell, terminal_text
from ..outfile import replaced
from .options import Format


def write_frames(frames: Iterable[pd.DataFrame], fmt: Format, out: Path | None,
                 *, title: str | None = None, width: int | None = None) -> int:
    """Write every chunk to `out` (None or '-' is stdout); return the number of rows.
    A file is written beside `out` and renamed over it once complete (`outfile`)."""
    if fmt is Format.PARQUET and (out is None or str(out) == "-"):
        raise BadParameter("--out", "parquet is binary: give --out FILE.parquet")
    if out is None or str(out) == "-":
        return _write(frames, fmt, sys.stdout, None, title, width)
    if fmt is Format.PARQUET:
        with replaced(out, "wb") as binary:
            return _write_parquet(frames, binary)
    with replaced(out, "w", encoding="utf-8", newline="") as stream:
        return _write(frames, fmt, stream, out, title, width)


def _write(frames: Iterable[pd.DataFrame], fmt: Format, stream: IO[str], out: Path | None,
           title: str | None, width: int | None) -> int:
    if fmt is Format.TABLE:
        chunks = list(frames)
        whole = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
        console = Console(file=stream, width=width or (None if out is None else 200),
                          markup=False, emoji=False, highlight=False)
        print_table(console, whole, title)
        return len(whole)
    rows = 0
    if fmt is Format.JSON:
        stream.write("[")
    for index, chunk in enumerate(frames):
        if fmt is Format.CSV:
            cells = chunk.map(_csv_text) if len(chunk) else chunk.copy()
            cells.columns = [csv_cell(str(c)) for c in chunk.columns]
            cells.to_csv(stream, index=False, header=index == 0)
            rows += len(chunk)
            continue
        for record in chunk.to_dict(orient="records"):
            line = json.dumps(record, default=_json_default, ensure_ascii=False)
            if fmt is Format.JSON:
                stream.write(("\n  " if rows == 0 else ",\n  ") + line)
            else:
                stream.write(line + "\n")
            rows += 1
    if fmt is Format.JSON:
        stream.write("\n]\n" if rows else "]\n")
    return rows


# Columns holding ids (userid, tweetid, ring_id, userid_1, ...): never cut in a table.
ID_COLUMN = re.compile(r"(?:^|_)[a-z]*id(?:_\d+)?$", re.IGNORECASE)
_NARROWEST = 12  # a text folded narrower than this is unreadable: show records instead


def print_table(console: Console, frame: pd.DataFrame, title: str | None = None,
                ids: Collection[str] | None = None) -> None:
    """Print `frame` as a table when it fits `console`'s width with every id column whole
    (`ids`, default: the columns named like ids) and the others at least 12 characters,
    folding long values; otherwise as records, one `column  value` line per field, so ids
    are never cut. Every value is shown inert (`terminal_text`); markup is never read."""
    names = [terminal_text(c) for c in frame.columns]
    keep = {n for n in names if (n in ids if ids is not None else ID_COLUMN.search(n))}
    cells = [[terminal_text(_cell_text(v)) for v in frame.iloc[:, i]]
             for i in range(len(names))]
    widest = [max([cell_len(n), *(cell_len(v) for v in column)])
              for n, column in zip(names, cells, strict=True)]
    needed = sum((w if n in keep else min(w, _NARROWEST)) + 3
                 for n, w in zip(names, widest, strict=True)) + 1
    count = f"{len(frame):,} row{'s' if len(frame) != 1 else ''}"
    if needed > console.width:
        _print_records(console, names, cells, title, count)
        return
    table = Table(title=None if title is None else Text(terminal_text(title)),
                  header_style="bold", caption=count)
    for index, (name, width) in enumerate(zip(names, widest, strict=True)):
        numeric = len(frame) > 0 and all(
            isinstance(v, int | float) and not isinstance(v, bool)
            for v in frame.iloc[:, index] if v is not None)
        table.add_column(Text(name), justify="right" if numeric else "left",
                         no_wrap=name in keep, min_width=width if name in keep else None,
                         overflow="fold")
    for row in zip(*cells, strict=True):
        table.add_row(*(Text(v) for v in row))
    console.print(table)


def _print_records(console: Console, names: list[str], cells: list[list[str]],
                   title: str | None, count: str) -> None:
    """The vertical view of a table too wide for the terminal (psql's \\x): long values
    fold under their column, never cut."""
    if title:
        console.print(Text(terminal_text(title), style="bold"))
    for number, row in enumerate(zip(*cells, strict=True), 1):
        console.print(Text(f"-[ record {number} ]", style="dim"))
        record = Table.grid(padding=(0, 2))
        record.add_column(style="bold", no_wrap=True)
        record.add_column(overflow="fold")
        for name, value in zip(names, row, strict=True):
            record.add_row(Text(name), Text(value))
        console.print(record)
    console.print(Text(count, style="dim"))


def _write_parquet(frames: Iterable[pd.DataFrame], out: IO[bytes]) -> int:
    writer: pq.ParquetWriter | None = None
    rows = 0
    try:
        for chunk in frames:
            table = _arrow(chunk)
            if writer is None:
                schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type)
                                    else f for f in table.schema])
                writer = pq.ParquetWriter(out, schema)
            writer.write_table(_fit(table, writer.schema))
            rows += len(chunk)
    finally:
        if writer is not None:
            writer.close()
    return rows


def _arrow(chunk: pd.DataFrame) -> pa.Table:
    """Columns pyarrow can type as they are; nested maps or mixed values become JSON text."""
    arrays = {}
    for column in chunk.columns:
        values = list(chunk[column])
        try:
            if any(isinstance(v, dict) for v in values):
                raise pa.ArrowInvalid("maps are stored as JSON")
            arrays[str(column)] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[str(column)] = pa.array(
                [None if v is None else _cell_text(v) for v in values], pa.string())
    return pa.table(arrays)


def _fit(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Cast a later chunk to the schema of the first; text where the types drifted."""
    columns = []
    for field in schema:
        column = table.column(field.name)
        try:
            columns.append(column.cast(field.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            columns.append(pa.array([None if v is None else _cell_text(v)
                                     for v in column.to_pylist()], field.type))
    return pa.table(columns, schema=schema)


def _csv_text(value: Any) -> str:
    """A CSV cell: text from the data made safe for spreadsheets (`csv_cell`); numbers,
    times and JSON of nested values cannot start like a formula that runs."""
    text = _cell_text(value)
    return csv_cell(text) if isinstance(value, str) else text


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and pd.isna(value):
        return None
    return str(value)
