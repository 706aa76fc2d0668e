"""Helpers shared by the test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def infoops(*args: str, env: dict[str, str], input: str | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would; `check` asserts exit code 0."""
    exe = Path(sys.executable).with_name("infoops")
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                            input=input, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result
