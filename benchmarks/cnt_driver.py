"""coordination-network-toolkit driven the same way by every benchmark: its CLI preprocesses
a CSV into its SQLite database, then computes one network; each step is timed apart."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

CNT = Path(sys.executable).with_name("compute_networks")


def compute_network(db: Path, src: Path, kind: str, *options: str
                    ) -> tuple[float, float, list[tuple[str, str, int]]]:
    """(preprocess seconds, compute seconds, directed network rows without self-loops) of
    `compute_networks DB compute KIND OPTIONS` on the CSV `src`."""
    began = time.perf_counter()
    subprocess.run([str(CNT), str(db), "preprocess", "--format", "csv", str(src)],
                   check=True, capture_output=True)
    preprocess_s = time.perf_counter() - began
    began = time.perf_counter()
    subprocess.run([str(CNT), str(db), "compute", kind, *options], check=True,
                   capture_output=True)
    compute_s = time.perf_counter() - began
    with sqlite3.connect(db) as con:
        rows = con.execute(f"select user_1, user_2, weight from {kind}_network "
                           "where user_1 != user_2").fetchall()
    return preprocess_s, compute_s, [(str(a), str(b), int(w)) for a, b, w in rows]
