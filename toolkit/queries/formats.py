"""Writers for query results: each takes DataFrame chunks as they arrive, so CSV, JSON,
JSON Lines and Parquet stream to their file; the rich table gathers rows to size columns.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from ..errors import BadParameter
from .options import Format


def write_frames(frames: Iterable[pd.DataFrame], fmt: Format, out: Path | None,
                 *, title: str | None = None, width: int | None = None) -> int:
    """Write every chunk to `out` (None or '-' is stdout); return the number of rows."""
    if fmt is Format.PARQUET and (out is None or str(out) == "-"):
        raise BadParameter("--out", "parquet is binary: give --out FILE.parquet")
    if out is None or str(out) == "-":
        return _write(frames, fmt, sys.stdout, None, title, width)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt is Format.PARQUET:
        return _write_parquet(frames, out)
    with open(out, "w", encoding="utf-8", newline="") as stream:
        return _write(frames, fmt, stream, out, title, width)


def _write(frames: Iterable[pd.DataFrame], fmt: Format, stream: IO[str], out: Path | None,
           title: str | None, width: int | None) -> int:
    if fmt is Format.TABLE:
        chunks = list(frames)
        whole = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
        console = Console(file=stream, width=width or (None if out is None else 200))
        console.print(rich_table(whole, title))
        return len(whole)
    rows = 0
    if fmt is Format.JSON:
        stream.write("[")
    for index, chunk in enumerate(frames):
        if fmt is Format.CSV:
            (chunk.map(_cell_text) if len(chunk) else chunk).to_csv(
                stream, index=False, header=index == 0)
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


def rich_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    """A DataFrame as a rich table; nested values print as compact JSON."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in frame.columns:
        numeric = len(frame) > 0 and all(
            isinstance(v, int | float) and not isinstance(v, bool)
            for v in frame[column] if v is not None)
        table.add_column(str(column), justify="right" if numeric else "left",
                         overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell_text(v) for v in row))
    table.caption = f"{len(frame):,} row{'s' if len(frame) != 1 else ''}"
    return table


def _write_parquet(frames: Iterable[pd.DataFrame], out: Path) -> int:
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
