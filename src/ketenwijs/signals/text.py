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
from dataclasses import dataclass

_NON_WORD = re.compile(r"[\W_]")
_SPACE_RUN = re.compile(r" {2,}")


def _fold_table() -> dict[int, str]:
    """Build a one-to-one table that strips diacritics from Latin letters (é→e, ï→i)."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base.lower()
    return table


_FOLD = _fold_table()
_ACCENTED = re.compile("[\u00c0-\u024f]")


def normalise(text: str) -> str:
    """Lower-case, fold diacritics and blank out punctuation, keeping every offset in place."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. 'İ') grow when lower-cased
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    blanked = _NON_WORD.sub(" ", lowered)
    if blanked.isascii():
        return blanked
    # Only the few accented letters need the (slow, per character) table.
    return _ACCENTED.sub(lambda m: _FOLD.get(ord(m.group()), m.group()), blanked)


def normalise_phrase(phrase: str) -> str:
    """Normalise a pattern phrase the way the haystack is normalised, words single-spaced."""
    return " ".join(normalise(phrase).split())


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
        hay_at: list[int] = []
        orig_at: list[int] = []
        shift: list[int] = []
        removed = 0
        for run in _SPACE_RUN.finditer(norm):
            length = run.end() - run.start()
            # The run becomes one space; the character after it sits `removed + length - 1`
            # further in the original than in the collapsed text.
            removed += length - 1
            collapsed_next = run.end() - removed
            hay_at.append(collapsed_next + 1)
            orig_at.append(run.end())
            shift.append(removed)
        collapsed = _SPACE_RUN.sub(" ", norm) if hay_at else norm
        return cls(text, f" {collapsed} ", tuple(hay_at), tuple(orig_at), tuple(shift))

    def to_original(self, hay_index: int) -> int:
        """Map a haystack index of a character to the original text offset of that character."""
        i = bisect_right(self._hay_at, hay_index) - 1
        offset = hay_index - 1 + (self._shift[i] if i >= 0 else 0)
        return min(max(offset, 0), len(self.text))

    def to_hay(self, original: int) -> int:
        """Map an original text offset to the haystack index of the same (or nearest) character."""
        i = bisect_right(self._orig_at, original) - 1
        return original + 1 - (self._shift[i] if i >= 0 else 0)

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
    "[.!?;]+[\"')\\]\u201d\u2019]*(?=\\s|$)"  # end punctuation, then space or end of text
    r"|\n[ \t]*\n"  # a blank line
    # a new line that starts an item or a sentence
    "|\\n(?=[ \\t]*(?:[-*\u2022\u2013\u00b7]|\\d+[.)]\\s|[A-Z\u00c0-\u00dd]))"
)
_LAST_WORD = re.compile(r"(\w+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split Dutch text into sentence spans, skipping abbreviations such as 'bijv.' and initials."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() == ".":
            word = _LAST_WORD.search(text, max(0, match.start() - 8), match.start())
            if word is not None and word.end() == match.start():
                token = word.group(1)
                if token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
