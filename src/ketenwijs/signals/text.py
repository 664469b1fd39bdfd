"""Dutch text preparation: length-preserving normalisation, a token haystack and sentence spans.

The matcher works on a *haystack*: the text lower-cased, diacritics folded, every non-word
character turned into a space, runs of spaces collapsed, one space added at both ends. Every
token is then surrounded by spaces, so a phrase key such as `" blauwe plekken "` only matches
whole words. The haystack keeps a sparse map back to the original text, so findings carry
offsets into the text the user gave us, not into a normalised copy.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, repeat

_NON_WORD = re.compile(r"[\W_]")
_SPACE_RUNS = re.compile("(  +)")
_ONE = 1
_MINUS_ONE = -1


def _fold_table() -> dict[int, str]:
    """Build a one-to-one table that strips diacritics from Latin letters (é→e, ï→i)."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base.lower()
    return table


_FOLD = _fold_table()
_NON_ASCII = re.compile("[^\x00-\x7f]")
# ASCII characters: upper case to lower case, every non-word character (and '_') to a space.
_ASCII_TABLE = str.maketrans(
    {chr(i): (" " if _NON_WORD.match(chr(i)) else chr(i).lower()) for i in range(128)}
)


class _NonAsciiMap(dict[str, str]):
    """What a lower-cased non-ASCII character becomes: a space, its folded letter, or itself."""

    def __missing__(self, char: str) -> str:
        value = " " if _NON_WORD.match(char) else _FOLD.get(ord(char), char)
        if len(self) < 4096:  # bounded: a text in another script must not grow it without end
            self[char] = value
        return value


_NON_ASCII_MAP = _NonAsciiMap()


def _non_ascii(match: re.Match[str]) -> str:
    return _NON_ASCII_MAP[match.group()]


def normalise(text: str) -> str:
    """Lower-case, fold diacritics and blank out punctuation, keeping every offset in place.

    Same result as lower-casing, replacing every `[\\W_]` character by a space and folding the
    Latin letters of `_FOLD`, but ASCII text goes through one `str.translate` and only the few
    non-ASCII characters through a (cached) per-character step.
    """
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. 'İ') grow when lower-cased
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return _NON_ASCII.sub(_non_ascii, lowered).translate(_ASCII_TABLE)


def normalise_phrase(phrase: str) -> str:
    """Normalise a pattern phrase the way the haystack is normalised, words single-spaced."""
    return " ".join(normalise(phrase).split())


# A victim quoted or chatting writes "ik", "me", "mij", "mijn"; notes about a client say "ze",
# "haar", "hem". In the haystack the first person is read as the subject, word for word of the
# same length, so every pattern, frame and context rule also fits "hij verkoopt mij", "mijn
# paspoort", "ik moet opnemen" while offsets into the original stay exact.
_FIRST_PERSON = ((" ik ", " ze "), (" me ", " ze "), (" mij ", " hem "), (" mijn ", " haar "))


def _third_person(hay: str) -> str:
    for first, third in _FIRST_PERSON:
        if first in hay:
            # Twice: neighbours share a space ("ik ik"), which one pass leaves alone.
            hay = hay.replace(first, third).replace(first, third)
    return hay


@dataclass(frozen=True, slots=True)
class Haystack:
    """A normalised, space-delimited copy of a text with a map back to the original offsets."""

    text: str
    hay: str
    # Breakpoints where collapsed spaces were removed: from hay index `_hay_at[i]` onwards the
    # original offset is the hay offset plus `_shift[i]` (hay index 0 is the added leading space).
    _hay_at: tuple[int, ...]
    _orig_at: tuple[int, ...]
    _shift: tuple[int, ...]

    @classmethod
    def build(cls, text: str) -> Haystack:
        """Normalise `text` and record where runs of spaces were collapsed."""
        norm = normalise(text)
        # Split around the runs of two or more spaces: even pieces are text, odd pieces runs.
        pieces = _SPACE_RUNS.split(norm)
        if len(pieces) == 1:
            return cls(text, _third_person(f" {norm} "), (), (), ())
        # Each run becomes one space; the character after it sits `removed` further in the
        # original than in the collapsed text (`removed` counts the spaces dropped so far).
        ends = list(accumulate(map(len, pieces)))
        orig_at = tuple(ends[1::2])
        shift = tuple(accumulate(map(_ONE.__rsub__, map(len, pieces[1::2]))))
        hay_at = tuple(map(_ONE.__add__, map(int.__sub__, orig_at, shift)))
        return cls(text, _third_person(f" {' '.join(pieces[::2])} "), hay_at, orig_at, shift)

    def to_original(self, hay_index: int) -> int:
        """Map a haystack index of a character to the original text offset of that character."""
        i = bisect_right(self._hay_at, hay_index) - 1
        offset = hay_index - 1 + (self._shift[i] if i >= 0 else 0)
        return min(max(offset, 0), len(self.text))

    def to_hay(self, original: int) -> int:
        """Map an original text offset to the haystack index of the same (or nearest) character."""
        i = bisect_right(self._orig_at, original) - 1
        return original + 1 - (self._shift[i] if i >= 0 else 0)

    def to_hay_many(self, originals: Iterable[int]) -> list[int]:
        """Map many original offsets at once (same as `to_hay` on each)."""
        offsets = list(originals)
        shift = (0, *self._shift)  # shift[i + 1] applies from breakpoint i on
        where = map(bisect_right, repeat(self._orig_at), offsets)
        return list(map(int.__sub__, map(_ONE.__add__, offsets), map(shift.__getitem__, where)))

    def to_original_many(self, hay_indexes: Iterable[int]) -> list[int]:
        """Map many haystack indexes at once (same as `to_original` on each)."""
        indexes = list(hay_indexes)
        shift = (0, *self._shift)  # shift[i + 1] applies from breakpoint i on
        where = map(bisect_right, repeat(self._hay_at), indexes)
        offsets = map(int.__add__, map(_MINUS_ONE.__add__, indexes), map(shift.__getitem__, where))
        return list(map(min, map(max, offsets, repeat(0)), repeat(len(self.text))))

    def span_to_original(self, hay_start: int, hay_end: int) -> tuple[int, int]:
        """Map a haystack span [start, end) of whole tokens to an original span [start, end)."""
        return self.to_original(hay_start), self.to_original(hay_end - 1) + 1

    def tokens_between(self, hay_start: int, hay_end: int) -> int:
        """Count the tokens that lie completely between two haystack indexes."""
        if hay_end <= hay_start:
            return 0
        return max(self.hay.count(" ", hay_start, hay_end) - 1, 0)


# Words that end in a full stop without ending the sentence (lower-case, without the dot).
_ABBREVIATION_WORDS = """
    dhr mevr mw mr dr drs ir ing prof st bijv bv ca evt ev zgn incl excl ivm mbv tav tgv vs nr
    tel jl jr resp mog ong vnl ovv dwz nl ggz vgl enz etc
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())

_BOUNDARY = re.compile(
    # end punctuation, then space or end of text. Only from the start of a run of punctuation,
    # and possessive: every offset inside a run stops at the same character, so 40,000 dots
    # before a letter were quadratic (each offset scanned to the end of the run).
    "(?<![.!?;])[.!?;]++[\"')\\]\u201d\u2019]*+(?=\\s|$)"
    r"|\n[ \t]*\n"  # a blank line
    # a new line that starts an item or a sentence
    "|\\n(?=[ \\t]*(?:[-*\u2022\u2013\u00b7]|\\d+[.)]\\s|[A-Z\u00c0-\u00dd]))"
)
_LAST_WORD = re.compile(r"(\w+)$")


def _boundary_candidates(text: str) -> list[int]:
    """Return, in order, every offset where a boundary can start: a `.!?;` or a new line."""
    found: list[int] = []
    for char in ".!?;\n":
        if char in text:
            # The offsets of `char` from the lengths of the pieces between them (all in C).
            pieces = text.split(char)
            pieces.pop()
            found.extend(map(_ONE.__rsub__, accumulate(map(_ONE.__add__, map(len, pieces)))))
    found.sort()
    return found


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split Dutch text into sentence spans, skipping abbreviations such as 'bijv.' and initials.

    Same spans as running `_BOUNDARY.finditer` over the text, but the regex is only tried at the
    few offsets where a boundary can start (found with `str.split`), which is much faster.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    scanned = 0  # like finditer: a boundary cannot start inside the previous one
    boundary = _BOUNDARY.match
    length = len(text)
    for at in _boundary_candidates(text):
        if at < scanned:
            continue
        char = text[at]
        if char == "." and at + 1 < length and text[at + 1] == " ":
            end = scanned = at + 1  # what the regex gives for a full stop before a space
        else:
            match = boundary(text, at)
            if match is None:
                continue
            end = scanned = match.end()
        if char == "." and end == at + 1 and not (at >= 5 and text[at - 5 : at].isalnum()):
            # A single full stop, not after a word of five or more characters: an abbreviation?
            word = _LAST_WORD.search(text, max(0, at - 8), at)
            if word is not None and word.end() == at:
                token = word.group(1)
                if token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
        # A boundary of punctuation makes its span non-blank; only a new line needs the check.
        if char != "\n" or text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
