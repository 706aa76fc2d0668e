"""`IdSet` behaves as a set of strings for every operation the bulk converter uses, whatever
the ids look like: numbers near 2**64, leading zeros (which must not meet the number they
spell), hashes."""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.load.idset import IdSet

IDS = st.one_of(
    st.integers(0, (1 << 64) - 1).map(str),  # canonical numbers, up to the largest uint64
    st.integers(1 << 64, 10**20 - 1).map(str),  # 20 digits past uint64: kept as strings
    st.integers(0, 10**6).map(lambda n: f"0{n}"),  # a leading zero: not the number
    st.sampled_from(["0", "00", "1", "01", "a" * 43, "f" * 64, "١٢٣"]),  # hashes, digits
)


@settings(max_examples=300, deadline=None)
@given(st.sets(IDS, max_size=40), st.sets(IDS, max_size=40))
def test_idset_operations_equal_set_operations(a: set[str], b: set[str]) -> None:
    left, right = IdSet(a), IdSet(b)
    assert len(left) == len(a)
    assert left.found(b) == a & b
    grown = IdSet(a)
    grown.add_all(b)
    assert grown == IdSet(a | b) and len(grown) == len(a | b)
    assert sorted(left.difference(right)) == sorted(a - b)
    assert left.isdisjoint(right) == a.isdisjoint(b)
    left.update(right)
    assert left == IdSet(a | b)
    assert pickle.loads(pickle.dumps(left)) == left


def test_numbers_are_packed_and_look_alikes_are_kept_apart() -> None:
    ids = IdSet(["18446744073709551615", "0123", "123", "18446744073709551616"])
    assert ids.numbers.dtype == np.uint64 and ids.numbers.tolist() == [123, 2**64 - 1]
    assert ids.others == {"0123", "18446744073709551616"}
    assert IdSet(["123"]).difference(IdSet(["0123"])) == ["123"]
    assert not IdSet(["0123"]).isdisjoint(IdSet(["0123", "5"]))
