"""Finding and opening inputs: plain files, gzip (recognized by its magic bytes, whatever the
name), zip archives (every member) and directories (every file, recursively, sorted).

Text is decoded as UTF-8 with an optional BOM. Invalid byte sequences are replaced by U+FFFD
rather than rejecting the row: ids are ASCII, so a bad byte can only damage free text, and
losing the tweet would be worse. Each replacement is counted (`decode_errors`) so the loader
can report it.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TextIO

from toolkit.errors import BadInput

_GZIP_MAGIC = b"\x1f\x8b"
_ERRORS = "infoops.replace"


class _ReplacementCounter:
    """Codec error handler: replace an invalid sequence by U+FFFD and count it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):
            raise error
        self.count += 1
        return "\ufffd", error.end


_REPLACED = _ReplacementCounter()
codecs.register_error(_ERRORS, _REPLACED)


def decode_errors() -> int:
    """Invalid UTF-8 sequences replaced so far in this process (take differences per file)."""
    return _REPLACED.count


class ByteWatch(io.BufferedIOBase):
    """Passes a binary stream through and notes whether any chunk held a NUL byte, so the
    readers can check rows for NULs only in a file that has some (one memchr per chunk)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.nul = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.raw.read(-1 if size is None else size)
        if b"\x00" in data:
            self.nul = True
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)


def byte_watch(stream: TextIO) -> ByteWatch:
    """The `ByteWatch` under a stream from `open_text` (a fresh, silent one for any other)."""
    buffer = getattr(stream, "buffer", None)
    return buffer if isinstance(buffer, ByteWatch) else ByteWatch(io.BytesIO())


@dataclass(frozen=True, slots=True)
class InputMember:
    """One readable input: a file, or a member of a zip archive, with its sniffed format."""

    path: Path
    member: str | None = None
    format: str = ""
    in_directory: bool = False  # found by walking a directory rather than named by the user

    @property
    def name(self) -> str:
        """How rejects and errors name this input: 'dir/x.csv' or 'dump.zip!x.csv'."""
        return str(self.path) if self.member is None else f"{self.path}!{self.member}"


def expand(paths: Sequence[Path]) -> list[InputMember]:
    """Every input behind `paths`: directories recursively (sorted, dot-files skipped) and
    zip archives member by member, each once (a file named twice, or also found in a named
    directory, is read the first time only). Raises `BadInput` for a path that does not
    exist."""
    members: list[InputMember] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(x.startswith(".") for x in p.relative_to(path).parts)
            )
            for file in files:
                members.extend(replace(m, in_directory=True) for m in _expand_file(file))
        elif path.is_file():
            members.extend(_expand_file(path))
        else:
            raise BadInput("no such file or directory", file=str(path))
    seen: set[tuple[Path, str | None]] = set()
    unique = []
    for m in members:
        key = (m.path.resolve(), m.member)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


def _expand_file(path: Path) -> list[InputMember]:
    if not zipfile.is_zipfile(path):
        return [InputMember(path)]
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(
                info.filename for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and not info.filename.rsplit("/", 1)[-1].startswith(".")
            )
    except (zipfile.BadZipFile, OSError) as e:
        raise BadInput(f"cannot read zip archive: {e}", file=str(path)) from e
    return [InputMember(path, name) for name in names]


@contextmanager
def open_binary(member: InputMember) -> Iterator[IO[bytes]]:
    """The member's bytes, gunzipped when they start with the gzip magic."""
    with ExitStack() as stack:
        try:
            raw: IO[bytes]
            if member.member is None:
                raw = stack.enter_context(open(member.path, "rb"))
            else:
                archive = stack.enter_context(zipfile.ZipFile(member.path))
                raw = stack.enter_context(archive.open(member.member))
            magic = raw.read(2)
            raw.seek(0)
            if magic == _GZIP_MAGIC:
                raw = stack.enter_context(gzip.GzipFile(fileobj=raw))
        except (OSError, zipfile.BadZipFile) as e:
            raise BadInput(f"cannot open: {e}", file=member.name) from e
        yield raw


@contextmanager
def open_text(member: InputMember) -> Iterator[TextIO]:
    """The member as text: UTF-8, BOM dropped, invalid bytes replaced and counted, line ends
    untranslated (the csv module needs `newline=''`)."""
    with open_binary(member) as binary, io.TextIOWrapper(
        ByteWatch(binary), encoding="utf-8-sig", errors=_ERRORS, newline=""
    ) as text:
        yield text
