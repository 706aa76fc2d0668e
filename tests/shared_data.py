"""Where the tests find the real files that may not be copied into the repository (no
license: IO-archive samples, NBC, FiveThirtyEight): `../shared/data/real` next to the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data(path: str) -> Path:
    """The shared real-data file `path`; skips the test only when the folder is absent."""
    if not SHARED_REAL.is_dir():
        pytest.skip(f"shared real data not available at {SHARED_REAL}")
    return SHARED_REAL / path


def fixture(name: str) -> Path:
    """A copied, MIT-licensed fixture (see fixtures/ATTRIBUTION.md)."""
    return FIXTURES / name
