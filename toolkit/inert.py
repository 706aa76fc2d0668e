"""Text from the data made inert where it lands: a terminal, a spreadsheet cell, an HTML
page, a file name.

infoops reads data made by the operations it investigates, so a screen name may hold an
escape sequence that recolours or clears the terminal, a "tweet" may start with `=` so a
spreadsheet runs it as a formula, and a display name may hold a right-to-left override
that makes the text after it read backwards. Each output turns such text into something
that only shows: the functions here are the one place each rule lives.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

# Explicit bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI):
# they reorder the text that follows them. The marks (LRM, RLM, ALM) only act on their
# neighbours and are part of ordinary right-to-left writing, so they stay.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_C0 = [chr(c) for c in range(0x20)]
_C1 = [chr(c) for c in range(0x7f, 0xa0)]  # DEL and the C1 controls (CSI is \x9b)
_LINE_BREAKS = ["\u2028", "\u2029"]


def _shown(chars: list[str] | frozenset[str]) -> dict[int, str]:
    """A translation table writing each character as its escape: `\\x1b`, `\\u202e`."""
    return {ord(c): (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
            for c in chars}


_TERMINAL = _shown([*_C0, *_C1, *_LINE_BREAKS, *BIDI_CONTROLS])
# HTML collapses tabs and line breaks into spaces on its own; every other control shows.
_HTML = _shown([c for c in _C0 if c not in "\t\n\r"] + _C1 + [*BIDI_CONTROLS])


def terminal_text(value: object) -> str:
    """`value` as text a terminal only displays: control characters (escape sequences,
    carriage returns, line breaks) and bidi controls are written out as `\\x1b`,
    `\\u202e`, so a value always prints on its own line, as it is."""
    text = str(value)
    return text if text.isprintable() else text.translate(_TERMINAL)


def html_text(value: object) -> str:
    """`value` escaped for HTML text or attributes, with bidi and other controls shown
    as `\\u202e` (an override in a name must not turn the rest of the line around)."""
    text = str(value)
    return escape(text if text.isprintable() else text.translate(_HTML))


# The OWASP rule for CSV injection: a cell starting with one of these is a formula (or
# becomes one) in Excel, LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: prefixed with `'` when it begins like a
    formula (hashed ids beginning with `+` are common in real releases). JSON, JSON Lines
    and Parquet outputs keep the raw value."""
    return "'" + text if text.startswith(_FORMULA_START) else text


_UNSAFE_IN_NAME = re.compile(r"[^\w.-]+")
MAX_STEM = 60  # characters: at most 240 bytes of UTF-8, under every file system's 255


def file_stem(name: str, fallback: str = "dataset") -> str:
    """A name from the data (a dataset) as one file-name component: letters, digits, `_`,
    `-` and `.` (any script), nothing that can climb out of a folder (`/`, `..`, a
    leading dot), at most 60 characters; `fallback` when nothing is left."""
    stem = _UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFKC", name))
    stem = stem.lstrip("._-")[:MAX_STEM].rstrip(".")
    return stem or fallback
