"""Text for comparison: one script-aware normalizer and one tokenizer, used by the loader's
`text_hash` (and so co-tweet and the copy-paste-text query) and by co-similar-tweet.

`normalize_text` makes copies of a message that differ only in ways a reader does not
notice compare equal: Unicode width and compatibility forms (NFKC: full-width 'Ｈｅｌｌｏ２０１９'
is 'hello2019'), case (case folding), mentions, links and an 'RT @x:' prefix (removed),
Traditional and Simplified Chinese script (OpenCC's `t2s`: '維護穩定' is '维护稳定'), and
punctuation, emoji and symbols (each run becomes one space; format characters such as the
emoji zero-width joiner, variation selectors and Arabic tatweel are dropped). Whitespace
between two characters of a script written without spaces (Han, Kana, Thai, Lao, Khmer,
Myanmar) is dropped, so '香港 加油' and '香港，加油！' both become '香港加油'. It is for
comparison only: stored and displayed text stays as posted.

`tokens` splits a normalized text for set similarity: words for scripts written with
spaces, character n-grams (bigrams by default) for runs of Han, Kana, Hangul, Thai, Lao,
Khmer and Myanmar, both in a mixed text. A Jaccard threshold therefore means "share of
words" in English and "share of two-character pieces" in Chinese (README, detection).

Speed matters (the loaders normalize every original tweet): each character's NFKC,
case-folded, punctuation-folded form comes from a `str.translate` table filled lazily (no
scan of the Unicode tables at import; NFKC of the whole text only where characters must
re-compose), ASCII text skips the rest, and OpenCC only runs on text with a Han character.
Per text, in CPU time on a loaded machine (benchmarks/similar.py --normalizer): ASCII 4.8
µs, with Han characters 20 µs, other scripts 14 µs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

# Scripts written without spaces between words (n-grams; spaces between them dropped).
_SPACELESS = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b"  # radicals, ideographic marks
    "\u3040-\u30ff\u31f0-\u31ff\U0001b000-\U0001b16f"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0003134f\U00031350-\U000323af"  # Han extensions B-H
)
# Hangul: written with spaces between words, but a word is a run of syllables that is
# compared in n-grams as well (particles attach to the word).
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"

_HAS_HAN = re.compile(f"[{_HAN}]")
_SPACE_BETWEEN = re.compile(f"(?<=[{_SPACELESS}]) (?=[{_SPACELESS}])")
_TOKEN = re.compile(f"([{_SPACELESS}{_HANGUL}]+)|([^\\s{_SPACELESS}{_HANGUL}]+)")
# A mention as Twitter parses it; a leading 'RT ' before one (a manual retweet); links up
# to a space or a non-ASCII character (Chinese text glued to a link is kept). Each pattern
# starts with a literal, which lets the regex engine skip ahead (10x faster than a pattern
# with a look-behind or an alternation first).
_MENTION = re.compile(r"[@＠][0-9a-z_０-９ａ-ｚ＿]+")
_RT = re.compile(r"\s*[rｒ][tｔ]\s+(?=[@＠])")
_HTTP = re.compile(r"https?://[!-~]*")
_WWW = re.compile(r"www\.[!-~]*")

_DROP_CATEGORIES = frozenset({"Cf", "Me"})
_FOLD_CATEGORIES = frozenset({"Cc", "Co", "Cs", "Zl", "Zp"})
_DROP = frozenset({0x0640}  # Arabic tatweel (elongation)
                  | set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0)))  # VS1-256
_FOLD = frozenset({0x200B})  # zero-width space separates words


def _fold_char(ch: str) -> str:
    """One character of NFKC, case-folded text: a space for punctuation, symbols,
    controls and private use, nothing for format characters, else itself."""
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if cp in _DROP or (cat in _DROP_CATEGORIES and cp not in _FOLD):
        return ""
    if cp in _FOLD or cat[0] in "PS" or cat in _FOLD_CATEGORIES:
        return " "
    return ch


class _CharTable(dict[int, str]):
    """`str.translate` table of each character's comparison form: NFKC, case-folded,
    punctuation and symbols folded (`_fold_char`). Filled on first sight of a character,
    so no Unicode table is scanned at import; a text sees a few thousand distinct
    characters at most. Doing NFKC a character at a time is what makes Chinese text
    cheap; `normalize_text` re-composes across characters where that matters."""

    def __missing__(self, cp: int) -> str:
        value = chr(cp)
        for _ in range(3):  # to a fixed point: each output character maps to itself
            again = "".join(_fold_char(x) for x in unicodedata.normalize(
                "NFKC", unicodedata.normalize("NFKC", value).casefold()))
            if again == value:
                break
            value = again
        self[cp] = value
        return value


_TABLE = _CharTable()


@cache
def _t2s() -> Any:
    """OpenCC's Traditional-to-Simplified converter, made once per process."""
    import opencc  # only texts with Han characters need it

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` with Traditional Chinese characters and phrases in Simplified script.

    Converted again until nothing changes: a few of OpenCC's mappings chain ('薴' -> '苧'
    -> '苎'), and the result must be stable. Simplified text takes one pass."""
    convert = _t2s().convert
    for _ in range(3):
        again = str(convert(text))
        if again == text:
            break
        text = again
    return text


def normalize_text(text: str) -> str:
    """The comparison form of a tweet's text (see the module doc); '' when nothing is left.

    Idempotent: normalizing a normalized text changes nothing."""
    folded = _strip_entities(text.lower()).translate(_TABLE)
    if folded.isascii():
        return " ".join(folded.split())
    if not unicodedata.is_normalized("NFKC", folded):  # a base letter and its mark apart
        folded = unicodedata.normalize("NFKC", folded)
    folded = _SPACE_BETWEEN.sub("", " ".join(folded.split()))
    return to_simplified(folded) if _HAS_HAN.search(folded) else folded


def _strip_entities(text: str) -> str:
    """Links, then mentions (a link may hold an '@'), and a leading 'rt' before a mention,
    removed from a lower-cased text."""
    if "http" in text:
        text = _HTTP.sub(" ", text)
    if "www." in text:
        text = _WWW.sub(" ", text)
    if "@" in text or "＠" in text:
        text = _MENTION.sub(" ", _RT.sub(" ", text, count=1) if _RT.match(text) else text)
    return text


def tokens(normalized: str, n: int = 2) -> list[str]:
    """Tokens of a `normalize_text` result: each word of a spaced script, and the
    character n-grams of each run of Han, Kana, Hangul, Thai, Lao, Khmer or Myanmar (a
    run shorter than `n` is one token). In order, with repeats."""
    if normalized.isascii():  # words only, already one space apart
        return normalized.split(" ") if normalized else []
    out: list[str] = []
    for run, word in _TOKEN.findall(normalized):
        if word:
            out.append(word)
        elif len(run) <= n:
            out.append(run)
        else:
            out.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return out
