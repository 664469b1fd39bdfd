"""The phrase-pattern language of indicator content, and a fast matcher over a `Haystack`.

A pattern is written for people, not for regex engines:

- words separated by spaces; case, accents and punctuation do not matter (``cliënte`` and
  ``cliente`` are the same word; ``auto's`` is the two words ``auto s``);
- ``(a|b|c)`` one of several words or phrases at this place; an empty choice ``(haar|)``
  makes the place optional;
- ``*`` at the start of the first word or the end of the last word of a part: any beginning or
  ending (``*advertentie`` also finds ``seksadvertentie``, ``blauwe plek*`` finds ``plekken``);
- ``...`` up to `GAP` other words in between, within one sentence (separable verbs:
  ``(geeft|gaf) ... af``).

Compilation expands the choices of each part into *keys*: normalised strings with a space on the
side of every whole-word edge. One Aho-Corasick automaton finds the keys of every first part in a
single pass; later parts are checked with `str.find` in the few words after a hit.
"""

from __future__ import annotations

import functools
import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from ketenwijs.signals.text import Haystack, normalise_phrase

GAP = 6  # words allowed for `...`
MAX_VARIANTS = 10000  # per part; a pattern that expands further is a content mistake


class PatternError(ValueError):
    """A pattern is malformed; the message tells the author what to change."""


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One pattern: its parts (each a tuple of keys) and the owner it reports."""

    source: str
    parts: tuple[tuple[str, ...], ...]
    owner: int  # index into the caller's list of owners (indicator, trigger, exclusion…)


def _parse(pattern: str) -> list[list[list[str]] | None]:
    """Parse a pattern into positions: alternatives (each a word list), or None for a gap."""
    positions: list[list[list[str]] | None] = []
    i = 0
    text = pattern.replace("…", " ... ")
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            close = text.find(")", i)
            if close == -1:
                raise PatternError(f"'(' without ')' in pattern '{pattern}'")
            inner = text[i + 1 : close]
            if "(" in inner:
                raise PatternError(f"brackets cannot be nested in pattern '{pattern}'")
            positions.append([alt.split() for alt in inner.split("|")])
            i = close + 1
        elif char in ")|":
            raise PatternError(f"'{char}' outside a (…|…) choice in pattern '{pattern}'")
        else:
            end = i
            while end < len(text) and not text[end].isspace() and text[end] not in "()|":
                end += 1
            word = text[i:end]
            positions.append(None if word == "..." else [[word]])
            i = end
    return positions


def _key(words: Sequence[str], pattern: str) -> str | None:
    """Build the haystack key for one expanded word sequence, or None when it is empty."""
    words = [w for w in words if w]
    if not words:
        return None
    for index, word in enumerate(words):
        inner = word.strip("*")
        if "*" in inner:
            raise PatternError(f"'*' may only start or end a word in pattern '{pattern}'")
        if word.startswith("*") and index != 0:
            raise PatternError(f"'*' may only start the first word of a part in '{pattern}'")
        if word.endswith("*") and index != len(words) - 1:
            raise PatternError(f"'*' may only end the last word of a part in '{pattern}'")
    body = normalise_phrase(" ".join(w.strip("*") for w in words))
    if not body:
        return None
    left = "" if words[0].startswith("*") else " "
    right = "" if words[-1].endswith("*") else " "
    if not left and not right and " " not in body and len(body) < 4:
        raise PatternError(f"'*{body}*' is too short to search for in pattern '{pattern}'")
    return f"{left}{body}{right}"


def compile_pattern(pattern: str, owner: int) -> CompiledPattern:
    """Expand one pattern into its parts and keys; raise PatternError with the reason."""
    return CompiledPattern(pattern, expand_pattern(pattern), owner)


@functools.lru_cache(maxsize=4096)
def expand_pattern(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Return the keys of each part of a pattern (cached: load checks and compiles each once)."""
    if not pattern.strip():
        raise PatternError("empty pattern")
    positions = _parse(pattern)
    parts: list[tuple[str, ...]] = []
    current: list[list[list[str]]] = []
    groups: list[list[list[list[str]]]] = []
    for position in positions:
        if position is None:
            if not current:
                raise PatternError(f"'...' must stand between words in pattern '{pattern}'")
            groups.append(current)
            current = []
        else:
            current.append(position)
    if not current:
        raise PatternError(f"'...' must stand between words in pattern '{pattern}'")
    groups.append(current)
    for group in groups:
        count = 1
        for alternatives in group:
            count *= len(alternatives)
        if count > MAX_VARIANTS:
            raise PatternError(f"pattern '{pattern}' expands to {count} variants; split it up")
        keys: dict[str, None] = {}  # ordered set
        for combo in itertools.product(*group):
            key = _key([w for alt in combo for w in alt], pattern)
            if key is not None:
                keys[key] = None
        if not keys:
            raise PatternError(f"a part of pattern '{pattern}' has no words")
        parts.append(tuple(keys))
    return tuple(parts)


class Match(NamedTuple):
    """A pattern hit: its owner and the haystack spans [start, end) of its parts.

    A named tuple rather than a dataclass: tens are made per document, and a tuple is cheap.
    """

    owner: int
    pattern: str
    segments: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        """Return the haystack index where the match starts."""
        return self.segments[0][0]

    @property
    def end(self) -> int:
        """Return the haystack index just after the match."""
        return self.segments[-1][1]


def _token_span(hay: str, key: str, key_start: int) -> tuple[int, int]:
    """Widen a key occurrence to the whole tokens it touches: [first char, space after last)."""
    start = key_start + 1 if key[0] == " " else hay.rfind(" ", 0, key_start) + 1
    last = key_start + len(key) - 1
    end = last if key[-1] == " " else hay.find(" ", last + 1)
    return start, end


class PatternSet:
    """Many compiled patterns behind one Aho-Corasick automaton.

    The automaton holds the keys of every pattern's first part and of its later parts. One pass
    over the text yields both the first-part hits and the set of later-part keys present
    anywhere in it. A pattern in parts ("geeft ... af") is only followed up (`str.find` within
    GAP words) when every later part has a key in that set, so common first words ("moet",
    "naar", "staat") cost a set test per pattern, not a `str.find` per later key.
    """

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        self.patterns = tuple(patterns)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        by_key: dict[str, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            for key in pattern.parts[0]:
                by_key.setdefault(key, []).append(index)
        later_keys = {key for p in self.patterns for keys in p.parts[1:] for key in keys}
        for key in (*by_key, *(k for k in sorted(later_keys) if k not in by_key)):
            # (length, whole word left, whole word right, patterns it starts, key if later)
            value = (
                len(key),
                key[0] == " ",
                key[-1] == " ",
                tuple(by_key.get(key, ())),
                key if key in later_keys else None,
            )
            self._automaton.add_word(key, value)
        self._empty = not by_key
        if not self._empty:
            self._automaton.make_automaton()
        # Per pattern, its later parts: (the keys as a set, each key's rank in the part).
        self._later: tuple[tuple[tuple[frozenset[str], dict[str, int]], ...], ...] = tuple(
            tuple((frozenset(keys), {k: i for i, k in enumerate(keys)}) for keys in p.parts[1:])
            for p in self.patterns
        )

    def find(
        self,
        haystack: Haystack,
        start: int,
        end: int,
        bounds: Sequence[int] | None = None,
    ) -> list[Match]:
        """Find all matches in hay[start:end]; `bounds` are sentence starts (gaps stay inside)."""
        if self._empty:
            return []
        hay = haystack.hay
        # A later part may end one character beyond `end` (see `_follow`), so look that far.
        # The window is sliced out and its offset added back: pyahocorasick's `iter(hay, start,
        # end)` costs time in proportion to the whole string, which made one large document
        # quadratic when this runs once per sentence (issue 16).
        stop = min(end + 1, len(hay))
        if start == 0 and stop == len(hay):
            hits = list(self._automaton.iter(hay))
        else:
            hits = [(last + start, value) for last, value in self._automaton.iter(hay[start:stop])]
        matches: list[Match] = []
        patterns = self.patterns
        present: set[str] | None = None
        # Per pattern in parts: its later parts' present keys in pattern order, or None when a
        # later part has no key anywhere in the text (then no hit of its first part can match).
        followable: dict[int, tuple[tuple[str, ...], ...] | None] = {}
        for last, (length, left, right, indexes, _) in hits:
            if not indexes or last >= end:
                continue
            key_start = last - length + 1
            first = (
                key_start + 1 if left else hay.rfind(" ", 0, key_start) + 1,
                last if right else hay.find(" ", last + 1),
            )
            if bounds is not None:
                sentence = bisect_right(bounds, first[0]) - 1
                limit = bounds[sentence + 1] if sentence + 1 < len(bounds) else end
            else:
                limit = end
            for index in indexes:
                pattern = patterns[index]
                if len(pattern.parts) == 1:
                    if first[1] <= limit:
                        matches.append(Match(pattern.owner, pattern.source, (first,)))
                    continue
                if index in followable:
                    later = followable[index]
                else:
                    if present is None:
                        present = {value[4] for _, value in hits if value[4] is not None}
                    later = followable[index] = self._present_keys(index, present)
                if later is None:
                    continue
                segments = self._follow(hay, later, first, limit)
                if segments is not None and segments[-1][1] <= limit:
                    matches.append(Match(pattern.owner, pattern.source, segments))
        return matches

    def _present_keys(self, index: int, present: set[str]) -> tuple[tuple[str, ...], ...] | None:
        """Return the present keys of each later part of a pattern, or None if one has none."""
        later = self._later[index]
        for keys, _ in later:
            if keys.isdisjoint(present):
                return None
        return tuple(
            tuple(sorted(keys.intersection(present), key=rank.__getitem__)) for keys, rank in later
        )

    @staticmethod
    def _follow(
        hay: str, later: tuple[tuple[str, ...], ...], first: tuple[int, int], limit: int
    ) -> tuple[tuple[int, int], ...] | None:
        """Find the later parts of a pattern, each within GAP words of the previous one."""
        segments = [first]
        for keys in later:
            previous_end = segments[-1][1]
            best: tuple[int, int] | None = None
            for key in keys:
                found = hay.find(key, previous_end, limit + 1)
                if found == -1:
                    continue
                span = _token_span(hay, key, found)
                if hay.count(" ", previous_end + 1, span[0]) > GAP:
                    continue
                if best is None or span[0] < best[0]:
                    best = span
            if best is None:
                return None
            segments.append(best)
        return tuple(segments)
