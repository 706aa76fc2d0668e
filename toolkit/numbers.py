"""Numbers a user gives (command options, query parameters, batch files), checked in one
place before anything runs: finite, whole where a count is meant, and inside a range that
means something and that Cypher, numpy and the driver can hold. `nan` slips through
`value < minimum` checks (every comparison with it is false) and `inf` or a 30-digit
integer overflows deep inside a library, so each gets its one-line error here instead."""

from __future__ import annotations

import math

from .errors import BadParameter

CYPHER_INT_MAX = 2**63 - 1  # Cypher integers are 64-bit
CYPHER_INT_MIN = -(2**63)
SEED_MAX = 2**32 - 1  # numpy and igraph seeds
TIMEOUT_MAX = 7 * 86_400.0  # seconds: a query that needs more than a week is a mistake
ROW_LIMIT_MAX = 10_000_000  # rows a listing may ask for


def check_number(name: str, value: float | int, *, minimum: float | None = None,
                 maximum: float | None = None, integer: bool = False) -> float | int:
    """`value` if it is a finite number (a whole one with `integer`) within
    [minimum, maximum]; `BadParameter` naming `name` otherwise. Integers are held to
    Cypher's 64-bit range whatever the bounds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadParameter(name, f"{value!r} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadParameter(name, f"{value} is not a finite number")
    if integer and not (isinstance(value, int) or value.is_integer()):
        raise BadParameter(name, f"{value} is not a whole number")
    low = CYPHER_INT_MIN if integer and minimum is None else minimum
    high = CYPHER_INT_MAX if integer and maximum is None else maximum
    if low is not None and value < low:
        raise BadParameter(name, f"{value} is below the minimum {low}")
    if high is not None and value > high:
        raise BadParameter(name, f"{value} is above the maximum {high}")
    return int(value) if integer else value


def parse_timeout(value: object, name: str = "timeout") -> float:
    """A query timeout in seconds (a number or its text), from 1 ms to a week."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise BadParameter(name, f"{value!r} is not a number of seconds") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadParameter(name, f"{value!r} is not a number of seconds")
    return float(check_number(name, value, minimum=0.001, maximum=TIMEOUT_MAX))

