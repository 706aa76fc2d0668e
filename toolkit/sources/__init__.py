"""Input readers: every supported file format in, normalized records out (no database here).

Two steps, so a bad file fails before anything is loaded:

    members = plan_inputs([Path("release.zip")])      # expand, open, sniff: BadInput if unknown
    stats = ReadStats()
    for record in iter_records(members, stats):       # streams Account/Tweet/Reject
        ...
    stats.files  # FileStats per input: format, rows, rejected, decode_errors
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from toolkit.errors import BadInput, BadParameter
from toolkit.sources import api_v1, api_v2, files, io_archive
from toolkit.sources.files import InputMember
from toolkit.sources.normalize import canonical_id, looks_scientific
from toolkit.sources.records import Account, FileStats, Link, Record, Reject, Tweet

__all__ = [
    "READERS",
    "Account",
    "FileStats",
    "InputMember",
    "Link",
    "ReadStats",
    "Record",
    "Reject",
    "Tweet",
    "iter_records",
    "plan_inputs",
    "reject_error",
]

Reader = Callable[[TextIO, str, FileStats], Iterator[Record]]
_ID_FIELDS = ("tweetid", "userid", "retweet_of", "retweet_of_userid", "reply_to",
              "reply_to_userid", "quotes", "quotes_userid")


def canonical_ids(records: Iterator[Record]) -> Iterator[Record]:
    """`records` with every numeric id written without leading zeros (`canonical_id`):
    '0123' in one file and '123' in another are one account, whatever the format. Most
    ids start with another digit, so the common case is one character test a field."""
    for record in records:
        if type(record) is Tweet:
            for name in _ID_FIELDS:
                value = getattr(record, name)
                if value and value[0] == "0":
                    setattr(record, name, canonical_id(value))
            if any(m[:1] == "0" for m in record.mentions):  # '0' is the archive's "unknown"
                record.mentions = list(dict.fromkeys(
                    m for m in map(canonical_id, record.mentions) if m != "0"))
        elif type(record) is Account and record.userid[:1] == "0":
            record.userid = canonical_id(record.userid)
        yield record


def _with_canonical_ids(read: Reader) -> Reader:
    def reader(stream: TextIO, name: str, stats: FileStats) -> Iterator[Record]:
        return canonical_ids(read(stream, name, stats))
    return reader


READERS: dict[str, Reader] = {
    "io-archive": _with_canonical_ids(io_archive.read),
    "v1": _with_canonical_ids(api_v1.read),
    "v2": _with_canonical_ids(api_v2.read),
}
"""Format name -> reader. A reader takes the open text stream, the name rejects should carry
and the FileStats to update; it yields records (ids canonical) and raises only for
whole-file problems."""

_NOT_KNOWN = "not an IO-archive/v1/v2 file"
_SNIFF_LINES = 50  # stream notices to skip before a v1 file's first tweet
_SCIENTIFIC_HINT_ROWS = 20
_BINARY_PROBE = 8192  # bytes looked at to tell text from binary
_BINARY_SHARE = 0.1  # share of NUL/control/undecodable bytes above which a file is binary
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
_DELIMITERS = (";", "\t", "|")
# Known look-alikes, named in the error so the user knows what they have.
_LOOKALIKES = (
    (frozenset(("external_author_id", "tweet_id", "publish_date")),
     "a FiveThirtyEight/Clemson IRA tweets CSV"),
    (frozenset(("id", "screen_name", "followers_count", "statuses_count")),
     "a users CSV with API v1.1 field names (like NBC News' IRA users.csv)"),
)


@dataclass(slots=True)
class ReadStats:
    """Counts for every input read so far, in reading order; filled live by `iter_records`."""

    files: list[FileStats] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)


def plan_inputs(paths: Sequence[Path], fmt: str = "auto",
                skipped: list[str] | None = None) -> list[InputMember]:
    """Every input behind `paths` with its format, sniffed up front.

    Directories expand to their files (recursively, sorted), zip archives to their members;
    gzip is opened transparently. `fmt` other than 'auto' must agree with what the file
    looks like. A file the user named in no known format raises `BadInput` with the reason,
    before anything is read for loading; one found by walking a directory (a README, a
    ground_truth.json) is left out, with its reason appended to `skipped` when given."""
    if fmt != "auto" and fmt not in READERS:
        raise BadParameter("format", f"{fmt!r} is not one of auto, {', '.join(READERS)}")
    planned = []
    for member in files.expand(paths):
        try:
            sniffed = sniff(member)
        except BadInput as e:
            if not member.in_directory:
                raise
            if skipped is not None:
                skipped.append(str(e))
            continue
        if fmt not in ("auto", sniffed):
            raise BadInput(f"looks like a {sniffed} file, not {fmt} as requested", file=member.name)
        planned.append(replace(member, format=sniffed))
    if not planned:
        raise BadInput("no input files found", file=", ".join(str(p) for p in paths))
    return planned


def iter_records(members: Sequence[InputMember], stats: ReadStats | None = None,
                 ) -> Iterator[Record]:
    """Stream the records of every member in order; memory stays flat whatever the size.

    Appends one FileStats per member to `stats` when the member starts and updates it as
    rows go by. Row problems come out as `Reject` records; a file that breaks off
    (truncated gzip, unreadable zip member) raises `BadInput`."""
    stats = stats if stats is not None else ReadStats()
    for member in members:
        file_stats = FileStats(file=member.name, format=member.format)
        stats.files.append(file_stats)
        before = files.decode_errors()
        try:
            with files.open_text(member) as stream:
                yield from READERS[member.format](stream, member.name, file_stats)
        except (OSError, EOFError) as e:
            raise BadInput(f"cannot read past row {file_stats.rows}: {e}", file=member.name) from e
        finally:
            file_stats.decode_errors = files.decode_errors() - before


def reject_error(reject: Reject) -> BadInput:
    """The error for `--on-error fail`: raise it at the first Reject."""
    return BadInput(reject.reason, file=reject.file, line=reject.line)


def sniff(member: InputMember) -> str:
    """'io-archive', 'v1' or 'v2' from the member's first bytes; `BadInput` with the reason
    for anything else."""
    try:
        _refuse_binary(member)
        with files.open_text(member) as stream:
            first = stream.readline()
            while first and not first.strip():
                first = stream.readline()
            if not first:
                raise BadInput(f"{_NOT_KNOWN}: the file is empty", file=member.name)
            head = first.lstrip()
            if head.startswith("{"):
                return _sniff_json(first, stream, member.name)
            if head.startswith("["):
                raise BadInput(f"{_NOT_KNOWN}: a JSON array, not one JSON object per line"
                               " (convert it with: jq -c '.[]')", file=member.name)
            return _sniff_csv(first, stream, member.name)
    except (OSError, EOFError) as e:
        raise BadInput(f"cannot read: {e}", file=member.name) from e


def _sniff_json(first: str, stream: TextIO, name: str) -> str:
    line = first
    for _ in range(_SNIFF_LINES):
        try:
            obj = json.loads(line)
        except RecursionError:
            raise BadInput(f"{_NOT_KNOWN}: the first line is JSON nested too deeply to be a"
                           " tweet", file=name) from None
        except ValueError as e:
            raise BadInput(f"{_NOT_KNOWN}: the first line is not valid JSON ({e})",
                           file=name) from e
        if isinstance(obj, dict) and api_v2.looks_like(obj):
            return "v2"
        if isinstance(obj, dict) and api_v1.looks_like(obj):
            if not api_v1.is_notice(obj):
                return "v1"
            line = stream.readline()
            if line.strip():
                continue
            return "v1"  # only stream notices: read as v1, each becomes a Reject
        break
    keys = ", ".join(list(obj)[:8]) if isinstance(obj, dict) else type(obj).__name__
    raise BadInput(f"{_NOT_KNOWN}: JSON with keys {keys}, neither a v1.1 tweet (id_str, user)"
                   " nor a v2 page or tweet (data, author_id)", file=name)


def _refuse_binary(member: InputMember) -> None:
    """`BadInput` for a member whose first bytes are not text (an image, a database file,
    UTF-16): naming its header would print junk to the terminal. A NUL or two in a text
    file stay row problems, rejected row by row."""
    with files.open_binary(member) as raw:
        head = raw.read(_BINARY_PROBE)
    if not head:
        return
    text = head.decode("utf-8", errors="replace")
    if len(head) == _BINARY_PROBE:  # the probe may cut a multi-byte character in two
        text = text.rstrip("\ufffd")
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if controls > _BINARY_SHARE * len(head):
        hint = " (UTF-16 text? convert it to UTF-8)" if head.count(0) > len(head) // 4 else ""
        raise BadInput(f"{_NOT_KNOWN}: binary data, not text{hint}", file=member.name)
    if controls + text.count("\ufffd") > _BINARY_SHARE * len(head):
        raise BadInput(f"{_NOT_KNOWN}: binary data or text in another encoding than UTF-8"
                       " (if it is text, re-save it as UTF-8)", file=member.name)


def _sniff_csv(first: str, stream: TextIO, name: str) -> str:
    header = next(csv.reader(io.StringIO(first)), [])
    if io_archive.header_kind(header):
        twice = io_archive.duplicated_columns(header)
        if twice:
            raise BadInput(f"column {twice[0]!r} appears more than once in the header",
                           file=name)
        return "io-archive"
    columns = {c.strip() for c in header}
    shown = ", ".join(repr(c[:40]) for c in header[:6])
    reason = f"{_NOT_KNOWN}: its columns ({shown}, ...) lack tweetid/userid"
    missing = io_archive.missing_columns(header)
    if missing:
        reason = (f"{_NOT_KNOWN}: an IO-archive {missing[0]} file needs the column"
                  f"{'s' if len(missing) > 2 else ''} {', '.join(map(repr, missing[1:]))},"
                  " which its header lacks")
    if len(header) == 1:
        for delimiter in _DELIMITERS:
            if {"tweetid", "userid"} <= {c.strip() for c in header[0].split(delimiter)}:
                reason = (f"{_NOT_KNOWN}: its columns are separated by {delimiter!r}, not"
                          " commas; IO-archive CSVs are comma-separated (re-export it as CSV)")
    for needed, what in _LOOKALIKES:
        if needed <= columns:
            reason = f"{_NOT_KNOWN}: it looks like {what}"
    example = _scientific_example(stream)
    if example:
        reason += (f"; its ids are in scientific notation (e.g. {example!r}), as written by a"
                   " spreadsheet, so the original ids are lost: use the file as first published")
    raise BadInput(reason, file=name)


def _scientific_example(stream: TextIO) -> str | None:
    """A spreadsheet-mangled id ('9.06E+17') among the first data rows, if any."""
    for number, row in enumerate(csv.reader(stream)):
        if number >= _SCIENTIFIC_HINT_ROWS:
            break
        for cell in row:
            if looks_scientific(cell):
                return cell
    return None
