"""What a load did: rows read and rejected, and what it created, per label and type."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

NODE_LABELS = ("Account", "Tweet", "Hashtag", "Url", "Domain", "Client", "Dataset")
REL_TYPES = ("POSTED", "RETWEET_OF", "REPLY_TO", "QUOTES", "MENTIONS", "HAS_HASHTAG",
             "LINKS_TO", "ON_DOMAIN", "POSTED_VIA", "PROFILE_LINKS_TO", "IN_DATASET")


@dataclass
class LoadSummary:
    """Returned by `load_files`. `nodes`/`relationships` count what this run created (zero
    on a re-run: MERGE found everything); `disclosed` counts `Disclosed` labels added."""

    dataset: str
    format: str
    files: list[str]
    skipped: list[str] = field(default_factory=list)  # directory files in no known format
    rows: int = 0
    rejected: int = 0
    tweets: int = 0  # tweet records loaded (the input's count, duplicates included)
    accounts: int = 0  # distinct accounts IN_DATASET after the load
    decode_errors: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    disclosed: int = 0
    rejects_path: Path | None = None
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0
