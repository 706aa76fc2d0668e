"""Where the tests find the real files that may not be copied into the repository (no
license: IO-archive samples, NBC, FiveThirtyEight): `../shared/data/real` next to the repo.

A plain clone has no such folder: its real-data tests skip, saying so, and the same
behaviour is checked on files the tests write (tests/release_files.py). CI sets
`INFOOPS_REQUIRE_SHARED_DATA=1`, under which a missing folder or file fails the test
instead, so a green run can never hide skipped real-data checks."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

SHARED_REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REQUIRE_SWITCH = "INFOOPS_REQUIRE_SHARED_DATA"


def shared_data_required() -> bool:
    return os.environ.get(REQUIRE_SWITCH, "") not in ("", "0")


def shared_data(path: str) -> Path:
    """The shared real-data file `path`: skips the test when the folder is absent, fails
    it when `INFOOPS_REQUIRE_SHARED_DATA` is set or when the folder lacks the file."""
    if not SHARED_REAL.is_dir():
        message = f"shared real data not available at {SHARED_REAL}"
        if shared_data_required():
            pytest.fail(f"{message} ({REQUIRE_SWITCH} is set)", pytrace=False)
        pytest.skip(message)
    found = SHARED_REAL / path
    if not found.is_file():
        pytest.fail(f"{found} is missing from the shared real data", pytrace=False)
    return found


def shared_data_if_present(path: str) -> Path | None:
    """For a test that checks generated files and adds the real one when it can: None, with
    a warning in the test summary, when the folder is absent and not required."""
    if not SHARED_REAL.is_dir() and not shared_data_required():
        warnings.warn(f"shared real data not available at {SHARED_REAL}: {path} left out",
                      stacklevel=2)
        return None
    return shared_data(path)


def fixture(name: str) -> Path:
    """A copied, MIT-licensed fixture (see fixtures/ATTRIBUTION.md)."""
    return FIXTURES / name
