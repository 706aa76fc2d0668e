"""Declared query parameters: the `params:` block of a header, and checking values
against it before they reach Cypher (always as parameters, never as query text).

The block is a tiny YAML subset, one flow map per parameter:
`window_s: {type: int, default: 60, min: 1, description: "seconds"}`. Parsing it here
keeps PyYAML out of the dependencies and lets every error name the key at fault.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from ..errors import BadParameter
from ..numbers import check_number


class ParamType(StrEnum):
    INT = "int"
    FLOAT = "float"
    STR = "str"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    LIST_STR = "list[str]"


SPEC_KEYS = frozenset({"type", "default", "min", "max", "choices", "required", "description"})
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


class SpecError(ValueError):
    """A malformed parameter declaration; the catalog adds the file and line."""


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One declared parameter. `default is None` and not `required` means the query
    receives null and treats the filter as off."""

    name: str
    type: ParamType
    default: Any = None
    min: Any = None
    max: Any = None
    choices: tuple[Any, ...] = ()
    required: bool = False
    description: str = ""

    def coerce(self, value: Any) -> Any:
        """A CLI string or a native value (TOML, Python) as this parameter's type, checked
        against min/max/choices. Raises `BadParameter` naming the parameter."""
        try:
            typed = _convert(self.type, value)
        except (TypeError, ValueError) as e:
            raise BadParameter(self.name, f"{value!r} is not a valid {self.type}: {e}") from None
        for item in typed if isinstance(typed, list) else [typed]:
            self._check_range(item)
        return typed

    def _check_range(self, item: Any) -> None:
        if self.choices and item not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise BadParameter(self.name, f"{item!r} is not one of {allowed}")
        if self.type in (ParamType.INT, ParamType.FLOAT):  # finite, and ints fit Cypher's
            check_number(self.name, item, minimum=self.min, maximum=self.max,
                         integer=self.type is ParamType.INT)
            return
        if self.min is not None and item < self.min:
            raise BadParameter(self.name, f"{item} is below the minimum {self.min}")
        if self.max is not None and item > self.max:
            raise BadParameter(self.name, f"{item} is above the maximum {self.max}")

    def describe(self) -> str:
        """One line for `query show` and docs: type, default and limits."""
        parts = [str(self.type)]
        if self.required:
            parts.append("required")
        elif self.default is not None:
            parts.append(f"default {format_value(self.default)}")
        else:
            parts.append("optional")
        if self.min is not None:
            parts.append(f"min {format_value(self.min)}")
        if self.max is not None:
            parts.append(f"max {format_value(self.max)}")
        if self.choices:
            parts.append("one of " + "|".join(str(c) for c in self.choices))
        return ", ".join(parts)


def bind(specs: tuple[ParamSpec, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    """The full parameter map for a run: given values coerced, defaults filled in.
    Unknown and missing-required names raise `BadParameter`."""
    by_name = {s.name: s for s in specs}
    for name in given:
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise BadParameter(name, f"this query has no such parameter (it takes: {known})")
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.name in given:
            values[spec.name] = spec.coerce(given[spec.name])
        elif spec.required:
            raise BadParameter(spec.name, f"is required ({spec.describe()}); "
                               f"pass -p {spec.name}=VALUE")
        else:
            values[spec.name] = spec.default
    return values


def parse_assignments(items: list[str]) -> dict[str, str]:
    """`key=value` strings from `-p` options, values kept as text for `bind` to type."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not NAME.match(key):
            raise BadParameter(item, "expected -p NAME=VALUE")
        if key in out:
            raise BadParameter(key, "given twice")
        out[key] = value
    return out


def parse_spec(name: str, text: str) -> ParamSpec:
    """`{type: int, default: 60, min: 1}` as a checked `ParamSpec`; raises `SpecError`."""
    if not NAME.match(name):
        raise SpecError(f"{name!r} is not a valid parameter name")
    fields = _FlowParser(text).parse_map()
    unknown = set(fields) - SPEC_KEYS
    if unknown:
        raise SpecError(f"parameter {name!r}: unknown key(s) {', '.join(sorted(unknown))} "
                        f"(allowed: {', '.join(sorted(SPEC_KEYS))})")
    try:
        kind = ParamType(str(fields.get("type")))
    except ValueError:
        allowed = ", ".join(t.value for t in ParamType)
        raise SpecError(f"parameter {name!r}: type {fields.get('type')!r} is not one of "
                        f"{allowed}") from None
    required = fields.get("required", False)
    if not isinstance(required, bool):
        raise SpecError(f"parameter {name!r}: required must be true or false")
    if required and "default" in fields:
        raise SpecError(f"parameter {name!r}: a required parameter cannot have a default")
    item_type = ParamType.STR if kind is ParamType.LIST_STR else kind
    try:
        bounds = {k: _convert(item_type, fields[k]) for k in ("min", "max") if k in fields}
        choices = tuple(_convert(item_type, c) for c in _as_list(fields.get("choices", [])))
    except (TypeError, ValueError) as e:
        raise SpecError(f"parameter {name!r}: {e}") from None
    if bounds and item_type in (ParamType.STR, ParamType.BOOL):
        raise SpecError(f"parameter {name!r}: min/max do not apply to {kind}")
    spec = ParamSpec(name, kind, None, bounds.get("min"), bounds.get("max"), choices,
                     required, str(fields.get("description", "")))
    if fields.get("default") is None:
        return spec
    try:
        default = spec.coerce(fields["default"])
    except BadParameter as e:
        raise SpecError(f"default of {e}") from None
    return ParamSpec(name, kind, default, spec.min, spec.max, choices, required,
                     spec.description)


def format_value(value: Any) -> str:
    """A value as a user would type it after `-p name=`."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _as_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("choices must be a list like [a, b]")
    return value


def _convert(kind: ParamType, value: Any) -> Any:
    """Raise TypeError/ValueError with a short reason when `value` does not fit."""
    if kind is ParamType.BOOL:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError("use true or false")
    if isinstance(value, bool):
        raise TypeError("a boolean is not allowed here")
    if kind is ParamType.INT:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("not a whole number")
        return int(value.strip()) if isinstance(value, str) else int(value)
    if kind is ParamType.FLOAT:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        return number
    if kind is ParamType.STR:
        if not isinstance(value, str | int | float):
            raise TypeError("expected text")
        return str(value)
    if kind is ParamType.DATE:
        if isinstance(value, datetime):
            raise TypeError("expected a date like 2019-08-19, not a date-time")
        return value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    if kind is ParamType.DATETIME:
        if not isinstance(value, datetime):
            if isinstance(value, date):
                value = datetime(value.year, value.month, value.day)
            else:
                value = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    # list[str]: a JSON array, or comma-separated text.
    if isinstance(value, str):
        text = value.strip()
        items = json.loads(text) if text.startswith("[") else text.split(",")
    else:
        items = value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise TypeError("expected a list of strings")
    return [i.strip() for i in items if i.strip()]


class _FlowParser:
    """Recursive descent over a YAML flow map: `{k: v, ...}` with scalars, quoted strings
    and `[a, b]` lists. Bare scalars become bool/null/int/float when they look like one."""

    def __init__(self, text: str):
        self.text, self.pos = text.strip(), 0

    def parse_map(self) -> dict[str, Any]:
        result = self._map()
        self._space()
        if self.pos != len(self.text):
            raise SpecError(f"unexpected text after the map: {self.text[self.pos:]!r}")
        return result

    def _map(self) -> dict[str, Any]:
        self._expect("{")
        result: dict[str, Any] = {}
        while not self._peek("}"):
            key = self._scalar(stop=":")
            self._expect(":")
            if not isinstance(key, str) or key in result:
                raise SpecError(f"duplicate or invalid key {key!r}")
            result[key] = self._value(stop=",}")
            if not self._peek("}"):
                self._expect(",")
        self._expect("}")
        return result

    def _list(self) -> list[Any]:
        self._expect("[")
        items: list[Any] = []
        while not self._peek("]"):
            items.append(self._value(stop=",]"))
            if not self._peek("]"):
                self._expect(",")
        self._expect("]")
        return items

    def _value(self, stop: str) -> Any:
        if self._peek("["):
            return self._list()
        if self._peek("{"):
            raise SpecError("nested maps are not supported")
        return self._scalar(stop)

    def _scalar(self, stop: str) -> Any:
        self._space()
        if self.pos < len(self.text) and self.text[self.pos] in "\"'":
            return self._quoted()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stop:
            self.pos += 1
        raw = self.text[start:self.pos].strip()
        if not raw:
            raise SpecError(f"missing value at column {start + 1}")
        return _plain_scalar(raw)

    def _quoted(self) -> str:
        quote = self.text[self.pos]
        end = self.text.find(quote, self.pos + 1)
        if end < 0:
            raise SpecError("unterminated quoted string")
        value = self.text[self.pos + 1:end]
        self.pos = end + 1
        return value

    def _space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _peek(self, char: str) -> bool:
        self._space()
        if self.pos >= len(self.text):
            raise SpecError("unexpected end of the map (missing '}' or ']'?)")
        return self.text[self.pos] == char

    def _expect(self, char: str) -> None:
        if not self._peek(char):
            raise SpecError(f"expected {char!r} at column {self.pos + 1} of "
                            f"{self.text!r}")
        self.pos += 1


def _plain_scalar(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~"):
        return None
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw
