"""Records -> `neo4j-admin database import` CSV files that make the online loader's graph.

The per-record rules are the online loader's own: records go into a `Batch`
(`toolkit.load.batches`), so dedup, `text_hash`, stub references and "last non-None value
wins" are the same code. A full batch is flushed: its tweets and tweet relationships are
appended to this part's CSV files, while the small, mergeable sets (accounts, hashtags,
URLs, clients, stub references) stay in memory until every part is read and
`write_shared` writes them once.

A tweet whose id an earlier batch already flushed cannot be merged into a CSV row that is
already written; it goes to `Part.late`, which the bulk loader writes through the online
writer after the import (MERGE then gives exactly the online result). Written tweet ids
are kept as an `IdSet` (8 bytes an id) and a batch is checked against them when it is
flushed.

Files are `<name>-<part>.csv` without a header; `HEADERS` are written once per file group.
Empty cells are nulls (no property), as a None is for the online loader.

One big file would keep conversion on one core, so a plain IO-archive CSV can be cut into
`Slice`s at row boundaries (`row_boundaries`: a newline with an even number of quotes before
it ends a row in any CSV the csv module writes), each read with the file's header in front.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from ..sources import READERS, InputMember, ReadStats, iter_records
from ..sources import files as source_files
from ..sources.records import Account, FileStats, Record, Reject, Tweet
from .batches import Batch, account_caption
from .idset import IdSet

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ACCOUNT_COLUMNS = ("screen_name", "display_name", "description", "location", "profile_url",
                   "followers", "following", "created_at", "language", "hashed")
TWEET_COLUMNS = ("text", "ms", "time_source", "language", "is_retweet", "like_count",
                 "retweet_count", "reply_count", "quote_count", "text_hash")

# File group -> (label or relationship type, header). Property types follow what the online
# loader's parameters become: int -> long, date -> date, epoch ms -> datetime (UTC).
NODE_FILES: dict[str, tuple[str, str]] = {
    "accounts": ("Account", "userid:ID(Account),screen_name,display_name,description,"
                 "location,profile_url,followers:long,following:long,created_at:date,"
                 "language,hashed:boolean,caption,:LABEL"),
    "tweets": ("Tweet", "tweetid:ID(Tweet),text,created_at:datetime,time_source,language,"
               "is_retweet:boolean,like_count:long,retweet_count:long,reply_count:long,"
               "quote_count:long,text_hash,dataset"),
    "stubs": ("Tweet", "tweetid:ID(Tweet)"),
    "hashtags": ("Hashtag", "name:ID(Hashtag),display"),
    "urls": ("Url", "url:ID(Url),raw,is_shortener:boolean"),
    "domains": ("Domain", "name:ID(Domain)"),
    "clients": ("Client", "name:ID(Client)"),
    "dataset": ("Dataset", "name:ID(Dataset),loaded_at:datetime"),
}
REL_FILES: dict[str, tuple[str, str]] = {
    "posted": ("POSTED", ":START_ID(Account),:END_ID(Tweet)"),
    "retweet_of": ("RETWEET_OF", ":START_ID(Tweet),:END_ID(Tweet)"),
    "reply_to": ("REPLY_TO", ":START_ID(Tweet),:END_ID(Tweet)"),
    "quotes": ("QUOTES", ":START_ID(Tweet),:END_ID(Tweet)"),
    "mentions": ("MENTIONS", ":START_ID(Tweet),:END_ID(Account)"),
    "has_hashtag": ("HAS_HASHTAG", ":START_ID(Tweet),:END_ID(Hashtag)"),
    "links_to": ("LINKS_TO", ":START_ID(Tweet),:END_ID(Url)"),
    "posted_via": ("POSTED_VIA", ":START_ID(Tweet),:END_ID(Client)"),
    "on_domain": ("ON_DOMAIN", ":START_ID(Url),:END_ID(Domain)"),
    "profile_links_to": ("PROFILE_LINKS_TO", ":START_ID(Account),:END_ID(Url)"),
    "in_dataset": ("IN_DATASET", ":START_ID(Account),:END_ID(Dataset)"),
}
MULTILINE = "tweets_ml"  # tweets whose text spans lines: the only slow-to-parse group
_SCAN = 1 << 24  # bytes per read when looking for row boundaries


@dataclass(frozen=True)
class Slice:
    """Bytes [start, end) of a plain IO-archive CSV; `start` is 0 or a row boundary, and
    `first_line` the physical line there (reject lines are made the file's own)."""

    member: InputMember
    start: int
    end: int
    first_line: int = 2


Input = InputMember | Slice


def splittable(member: InputMember) -> bool:
    """A plain (not zipped, not gzipped) IO-archive file: one that can be read by range."""
    if member.format != "io-archive" or member.member is not None:
        return False
    with open(member.path, "rb") as f:
        return f.read(2) != b"\x1f\x8b"


def row_boundaries(path: Path, offsets: Sequence[int]) -> list[tuple[int, int]]:
    """For each offset (ascending), the first row boundary after the header at or after it,
    as (byte offset, physical line number there), in one pass over the file. A boundary is
    just after a `\\n` preceded by an even number of quote characters. Offsets with no row
    after them are left out."""
    found: list[tuple[int, int]] = []
    targets = [0, *offsets]  # 0: the end of the header, which is not itself returned
    quotes = lines = pos = 0
    after_cr = False  # the previous read ended with \r (a \r\n split across reads)
    with open(path, "rb") as f:
        while targets and (chunk := f.read(_SCAN)):
            cut = 0
            while targets:
                if found and targets[0] <= found[-1][0]:  # no boundary in between
                    found.append(found[-1])
                    targets.pop(0)
                    continue
                at = max(targets[0] - pos - 1, cut)  # boundaries follow newlines
                newline = _even_newline(chunk, at, quotes + chunk.count(b'"', cut, at))
                if newline < 0:
                    break
                quotes += chunk.count(b'"', cut, newline + 1)
                lines += _line_ends(chunk, cut, newline + 1, after_cr)
                cut = newline + 1
                found.append((pos + cut, lines + 1))
                targets.pop(0)
            quotes += chunk.count(b'"', cut)
            lines += _line_ends(chunk, cut, len(chunk), after_cr)
            after_cr = chunk.endswith(b"\r")
            pos += len(chunk)
        size = path.stat().st_size
    return [(offset, line) for offset, line in found[1:] if offset < size]


def header_end(path: Path) -> int:
    """Bytes of the header line (with its line end): the prefix every slice is read with."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    newline = _even_newline(head, 0, 0)
    return newline + 1 if newline >= 0 else len(head)


def _even_newline(chunk: bytes, at: int, quotes: int) -> int:
    """The first `\\n` at or after `at` with an even quote count before it, or -1."""
    while (newline := chunk.find(b"\n", at)) >= 0:
        quotes += chunk.count(b'"', at, newline)
        if quotes % 2 == 0:
            return newline
        at = newline + 1
    return -1


def _line_ends(chunk: bytes, lo: int, hi: int, after_cr: bool) -> int:
    """Line ends in chunk[lo:hi] as a text stream with `newline=''` counts them (\\n, \\r\\n,
    a lone \\r); a \\n right after a read that ended in \\r belongs to that \\r."""
    n = chunk.count(b"\n", lo, hi) + chunk.count(b"\r", lo, hi) - chunk.count(b"\r\n", lo, hi)
    return n - 1 if after_cr and lo == 0 and chunk.startswith(b"\n") else n


@dataclass
class Part:
    """What one converter wrote and what it leaves to `write_shared`, picklable."""

    index: int
    rows: dict[str, int] = field(default_factory=dict)  # CSV rows per file group
    stats: list[FileStats] = field(default_factory=list)
    tweets: int = 0
    rejects: list[Reject] = field(default_factory=list)
    late: list[Tweet] = field(default_factory=list)
    tweetids: IdSet = field(default_factory=IdSet)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    account_keys: set[str] = field(default_factory=set)
    disclosed: set[str] = field(default_factory=set)
    in_dataset: set[str] = field(default_factory=set)
    referenced: IdSet = field(default_factory=IdSet)
    stub_authors: dict[str, str] = field(default_factory=dict)
    hashtags: dict[str, str] = field(default_factory=dict)
    urls: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    on_domain: dict[str, str] = field(default_factory=dict)
    profile_links: set[tuple[str, str]] = field(default_factory=set)
    clients: set[str] = field(default_factory=set)
    edge_rejects: bool = False  # a slice's first or last row was rejected

    def merge(self, later: Part) -> None:
        """Fold a part that read later inputs into this one, with the online rules:
        account properties: last non-None wins; hashtag/URL spelling and stub author: first
        wins; everything else accumulates."""
        for key, n in later.rows.items():
            self.rows[key] = self.rows.get(key, 0) + n
        self.stats += later.stats
        self.tweets += later.tweets
        self.rejects += later.rejects
        self.late += later.late
        self.tweetids.update(later.tweetids)
        self.referenced.update(later.referenced)
        _merge_accounts(self.accounts, later.accounts.values())
        for name in ("account_keys", "disclosed", "in_dataset", "profile_links", "clients"):
            getattr(self, name).update(getattr(later, name))
        for name in ("stub_authors", "hashtags", "urls"):
            mine = getattr(self, name)
            for key, value in getattr(later, name).items():
                mine.setdefault(key, value)
        self.on_domain.update(later.on_domain)
        self.edge_rejects |= later.edge_rejects


class PartWriter:
    """Appends rows to one part's files, opened on first use."""

    def __init__(self, out_dir: Path, part: str):
        self.out_dir = out_dir
        self.part = part
        self.rows: dict[str, int] = {}
        self._files: dict[str, tuple[IO[str], Any]] = {}

    def path(self, group: str) -> Path:
        return self.out_dir / f"{group}-{self.part}.csv"

    def write(self, group: str, rows: Iterable[Sequence[Any]]) -> None:
        if group not in self._files:
            handle = open(self.path(group), "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._files[group] = (handle, csv.writer(handle, lineterminator="\n"))
        before = self.rows.get(group, 0)
        count = 0
        writerow = self._files[group][1].writerow
        for row in rows:
            writerow(row)
            count += 1
        self.rows[group] = before + count

    def close(self) -> None:
        for handle, _ in self._files.values():
            handle.close()
        self._files.clear()


def convert(inputs: Sequence[Input], out_dir: Path, index: int, dataset: str,
            batch_rows: int, stop_at_reject: bool,
            progress: Callable[[int], None] | None = None) -> Part:
    """Read `inputs` into part `index`'s CSV files; return what is left to merge.
    With `stop_at_reject` it stops at the first reject (the caller raises it)."""
    part = Part(index)
    writer = PartWriter(out_dir, str(index))
    stats = ReadStats()
    batch = Batch()
    records: list[Tweet | Account] = []  # the batch's, in case some of its tweets are late
    with _cycle_collector_paused(), closing(writer):
        for seen, record in enumerate(_records(inputs, stats, part), 1):
            if isinstance(record, Tweet):
                part.tweets += 1
                batch.add_tweet(record)
                records.append(record)
            elif isinstance(record, Account):
                batch.add_account(record)
                records.append(record)
            else:
                part.rejects.append(record)
                if stop_at_reject:
                    break
            if len(batch) >= batch_rows:
                _flush(_without_late(batch, records, part), part, writer, dataset)
                batch, records = Batch(), []
            if progress is not None and seen % 10_000 == 0:
                progress(10_000)
        _flush(_without_late(batch, records, part), part, writer, dataset)
    part.rows = writer.rows
    part.stats = stats.files
    return part


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Conversion makes millions of long-lived container objects (a batch's records, the
    part's dicts) and no reference cycles: the collector's full passes find nothing and
    cost 12% of the CPU time on 1M rows, more as the part grows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _records(inputs: Sequence[Input], stats: ReadStats, part: Part) -> Iterator[Record]:
    """The records of whole members (`iter_records`) and slices, in order. Notes in `part`
    whether a slice's first or last row was rejected: a cut that split a row would show so."""
    for item in inputs:
        if isinstance(item, InputMember):
            yield from iter_records([item], stats)
            continue
        file_stats = FileStats(file=item.member.name, format=item.member.format)
        stats.files.append(file_stats)
        before = source_files.decode_errors()
        last: Record | None = None
        with _slice_text(item) as stream:
            for record in READERS[item.member.format](stream, item.member.name, file_stats):
                if isinstance(record, Reject):
                    record.line += item.first_line - 2  # the stream's line 2 is first_line
                    if last is None and item.start:
                        part.edge_rejects = True
                last = record
                yield record
        file_stats.decode_errors = source_files.decode_errors() - before
        if isinstance(last, Reject) and item.end < item.member.path.stat().st_size:
            part.edge_rejects = True


class _RangeReader(io.RawIOBase):
    """`prefix`, then bytes [start, end) of a file."""

    def __init__(self, path: Path, prefix: bytes, start: int, end: int):
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 (closed in close())
        self._file.seek(start)
        self._prefix = prefix
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n], self._prefix = self._prefix[:n], self._prefix[n:]
            return n
        data = self._file.read(min(len(view), self._left))
        view[:len(data)] = data
        self._left -= len(data)
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def _slice_text(item: Slice) -> io.TextIOWrapper:
    """The slice as the text stream `open_text` would give for the whole file: UTF-8 with
    BOM, bad bytes replaced and counted, NULs watched; the header line in front."""
    prefix = b""
    if item.start:
        with open(item.member.path, "rb") as f:
            prefix = f.read(header_end(item.member.path))
    raw = io.BufferedReader(_RangeReader(item.member.path, prefix, item.start, item.end))
    return io.TextIOWrapper(source_files.ByteWatch(raw), encoding="utf-8-sig",
                            errors=source_files._ERRORS, newline="")  # its counting handler


def _without_late(batch: Batch, records: list[Tweet | Account], part: Part) -> Batch:
    """`batch`, or, when an earlier batch already wrote some of its tweets (rare), the
    batch again without them: those go to `part.late`, in reading order."""
    late = part.tweetids.found(batch.tweets)
    if not late:
        return batch
    again = Batch()
    for record in records:
        if isinstance(record, Account):
            again.add_account(record)
        elif record.tweetid in late:
            part.late.append(record)
        else:
            again.add_tweet(record)
    return again


def _flush(batch: Batch, part: Part, writer: PartWriter, dataset: str) -> None:
    """Tweets and their relationships to the CSV files; the rest into `part`."""
    single, multi = [], []
    for tweetid, row in batch.tweets.items():
        cells = _tweet_cells(tweetid, row, dataset)
        text = row.get("text")
        (multi if text and ("\n" in text or "\r" in text) else single).append(cells)
    writer.write("tweets", single)
    writer.write(MULTILINE, multi)
    part.tweetids.add_all(batch.tweets)
    posted = []
    for tweetid, userid in batch.posted.items():
        if tweetid in batch.tweets:
            posted.append((userid, tweetid))
        else:  # a referenced original: its author counts only if it stays a stub
            part.stub_authors.setdefault(tweetid, userid)
    writer.write("posted", posted)
    for group in ("retweet_of", "reply_to", "quotes", "mentions", "has_hashtag", "links_to",
                  "posted_via"):
        writer.write(group, getattr(batch, group))
    part.referenced.add_all(batch.tweet_keys)
    _merge_accounts(part.accounts, batch.accounts.values())
    part.account_keys |= batch.account_keys
    part.disclosed |= batch.disclosed
    part.in_dataset |= batch.in_dataset
    for name, display in batch.hashtags.items():
        part.hashtags.setdefault(name, display)
    for url, fields in batch.urls.items():
        part.urls.setdefault(url, fields)
    part.on_domain.update(batch.on_domain)
    part.profile_links.update(batch.profile_links)
    part.clients |= batch.clients


def write_shared(part: Part, writer: PartWriter, dataset: str, loaded_at: datetime) -> None:
    """The node files only the merged whole can write, and their relationships."""
    accounts = part.accounts
    writer.write("accounts", (
        _account_cells(userid, accounts.get(userid), userid in part.disclosed)
        for userid in sorted(accounts.keys() | part.account_keys)
    ))
    stubs = part.referenced.difference(part.tweetids)
    writer.write("stubs", ((s,) for s in stubs))
    writer.write("posted", ((part.stub_authors[s], s) for s in stubs if s in part.stub_authors))
    writer.write("hashtags", sorted(part.hashtags.items()))
    writer.write("urls", ((u, raw, _bool(short)) for u, raw, short in part.urls.values()))
    writer.write("domains", ((d,) for d in sorted(set(part.on_domain.values()))))
    writer.write("clients", ((c,) for c in sorted(part.clients)))
    writer.write("dataset", [(dataset, loaded_at.isoformat(timespec="milliseconds"))])
    writer.write("on_domain", part.on_domain.items())
    writer.write("profile_links_to", sorted(part.profile_links))
    writer.write("in_dataset", ((u, dataset) for u in sorted(part.in_dataset)))


def _merge_accounts(into: dict[str, dict[str, Any]], rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        known = into.get(row["userid"])
        if known is None:
            into[row["userid"]] = dict(row)
        else:
            known.update(row)


def _account_cells(userid: str, row: dict[str, Any] | None, disclosed: bool) -> list[Any]:
    label = "Account;Disclosed" if disclosed else "Account"
    if row is None:
        return [userid, *([None] * len(ACCOUNT_COLUMNS)), account_caption(userid, None), label]
    return [userid, *(_cell(row.get(c)) for c in ACCOUNT_COLUMNS),
            account_caption(userid, row.get("screen_name")), label]


def _tweet_cells(tweetid: str, row: dict[str, Any], dataset: str) -> list[Any]:
    ms = row.get("ms")
    return [tweetid, row.get("text"),
            None if ms is None else (_EPOCH + timedelta(milliseconds=ms)).isoformat(
                timespec="milliseconds"),
            row.get("time_source"), row.get("language"), _bool(row.get("is_retweet")),
            row.get("like_count"), row.get("retweet_count"), row.get("reply_count"),
            row.get("quote_count"), row.get("text_hash"), dataset]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return _bool(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _bool(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")
