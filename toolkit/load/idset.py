"""`IdSet`: a set of tweet ids at ~8 bytes an id, for the bulk converter.

The converter remembers every tweet id it has written (a later row with the same id is
merged online, see `bulk_csv`) and every referenced original (the stubs are those never
written). As Python sets of str that is ~100 bytes an id, 1 GB at 10M rows, held by the
converter processes and again by the process that merges them; as a sorted uint64 array it
is 8 bytes. Ids that are not a canonical decimal below 2**64 (a leading zero, which would meet
another id as a number, or any other key) stay strings.

Ids come and are looked up a batch at a time (`add_all`, `found`), so every operation is a
vectorized one over arrays.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_LIMIT = 1 << 64


def _number(key: str) -> int | None:
    """The id as a number, if the number gives the string back."""
    if key.isascii() and key.isdecimal() and (key[0] != "0" or key == "0"):
        number = int(key)
        if number < _LIMIT:
            return number
    return None


def _split(keys: Iterable[str]) -> tuple[np.ndarray, set[str]]:
    """Sorted distinct numbers, and the keys that are not numbers."""
    numbers: list[int] = []
    others: set[str] = set()
    for key in keys:
        number = _number(key)
        if number is None:
            others.add(key)
        else:
            numbers.append(number)
    return np.unique(np.array(numbers, dtype=np.uint64)), others


def _within(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """For each needle, whether the sorted `haystack` holds it."""
    if not len(haystack):
        return np.zeros(len(needles), dtype=bool)
    at = np.minimum(np.searchsorted(haystack, needles), len(haystack) - 1)
    return haystack[at] == needles


class IdSet:
    """Sorted uint64 `numbers` and a set of `others`; picklable, compared by content."""

    __slots__ = ("numbers", "others")

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.numbers, self.others = _split(keys)

    def __len__(self) -> int:
        return len(self.numbers) + len(self.others)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, IdSet) and self.others == other.others
                and np.array_equal(self.numbers, other.numbers))

    def __getstate__(self) -> tuple[np.ndarray, set[str]]:
        return self.numbers, self.others

    def __setstate__(self, state: tuple[np.ndarray, set[str]]) -> None:
        self.numbers, self.others = state

    def add_all(self, keys: Iterable[str]) -> None:
        """Add a batch of keys: one merge of sorted arrays (a copy, no sort of the whole)."""
        numbers, others = _split(keys)
        numbers = numbers[~_within(self.numbers, numbers)]
        self.numbers = np.insert(self.numbers, np.searchsorted(self.numbers, numbers), numbers)
        self.others |= others

    def found(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` that are in the set (a number spells its key back, see
        `_number`)."""
        numbers, others = _split(keys)
        hits = numbers[_within(self.numbers, numbers)]
        return {str(n) for n in hits.tolist()} | (others & self.others)

    def update(self, other: IdSet) -> None:
        self.numbers = np.union1d(self.numbers, other.numbers)
        self.others |= other.others

    def isdisjoint(self, other: IdSet) -> bool:
        return (self.others.isdisjoint(other.others)
                and not _within(self.numbers, other.numbers).any())

    def difference(self, other: IdSet) -> list[str]:
        """The keys of this set that are not in `other`: numbers in ascending order, then
        the other keys sorted."""
        numbers = np.setdiff1d(self.numbers, other.numbers, assume_unique=True)
        return [str(n) for n in numbers.tolist()] + sorted(self.others - other.others)
