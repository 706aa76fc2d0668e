"""The output formats of query results, in a module that imports nothing heavy: the CLI
builds its `--format` option from them at start-up, before pandas or pyarrow is needed."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    PARQUET = "parquet"

    @property
    def suffix(self) -> str:
        return ".txt" if self is Format.TABLE else f".{self.value}"
