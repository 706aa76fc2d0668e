"""Output files (query results, reports, exports, guides): written next to their final
path and renamed over it only once complete, so a failed run (a timeout, a query error,
Ctrl-C, a full disk) never empties or half-writes a file that was there before. The folder
is created when missing; anything the system refuses is one line naming the file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import BadParameter, CannotWrite


def prepare_folder(path: Path, name: str = "--out") -> None:
    """Refuse a folder given as a file; create the file's folder if it is missing."""
    if path.is_dir():
        raise BadParameter(name, f"{path} is a folder: name a file in it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CannotWrite(f"cannot create the folder {path.parent}: "
                          f"{e.strerror or e}") from e


def probe_writable(path: Path, name: str) -> None:
    """Fail now, in one line, if `path` could not be written later (folder made if
    missing); leaves no file behind."""
    prepare_folder(path, name)
    existed = path.exists()
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as e:
        raise CannotWrite(f"cannot write {path}: {e.strerror or e}") from e
    if not existed:
        path.unlink(missing_ok=True)


@contextmanager
def replaced(path: Path, mode: str = "w", name: str = "--out",
             **open_args: Any) -> Iterator[IO[Any]]:
    """An open file that becomes `path` when the block ends without an error; on an error
    the partial file is removed and `path` keeps what it held."""
    prepare_folder(path, name)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(part, mode, **open_args) as stream:
            yield stream
        os.replace(part, path)
    except OSError as e:
        part.unlink(missing_ok=True)
        raise CannotWrite(f"cannot write {path}: {e.strerror or e}") from e
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, name: str = "--out") -> None:
    """`text` (UTF-8) as the whole of `path`, replaced in one step."""
    with replaced(path, "w", name, encoding="utf-8") as stream:
        stream.write(text)


def write_bytes(path: Path, data: bytes, name: str = "--out") -> None:
    with replaced(path, "wb", name) as stream:
        stream.write(data)
