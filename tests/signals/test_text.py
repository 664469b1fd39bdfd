"""Normalisation, offsets back to the original text, sentence splitting and the pattern language."""

from __future__ import annotations

import re

import pytest

from ketenwijs.signals.patterns import PatternError, PatternSet, compile_pattern
from ketenwijs.signals.text import Haystack, normalise, split_sentences


def test_normalise_keeps_length_and_folds_accents() -> None:
    text = "Cliënte zégt: géén 'geweld'!"
    assert len(normalise(text)) == len(text)
    assert normalise(text).split() == ["cliente", "zegt", "geen", "geweld"]


def test_haystack_maps_every_token_back_to_the_original() -> None:
    text = "Ze,   zei:  (geen)  blauwe\tplekken…  ok"
    haystack = Haystack.build(text)
    assert haystack.hay == " ze zei geen blauwe plekken ok "
    position = 1
    for token in haystack.hay.split():
        start = haystack.hay.index(token, position)
        position = start + len(token)
        first, last = haystack.span_to_original(start, position)
        assert normalise(text[first:last]) == token


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Dhr. Jansen belde. Ze was bang.", 2),
        ("Ze zegt o.a. dat hij belt. Daarna niets.", 2),
        ("Wordt ze opgehaald? Ja! Door wie; onbekend", 4),
        ("Lijst:\n- spijbelt\n- draagt dure kleding", 3),
        ("Een regel die\ndoorloopt op de volgende regel.", 1),
        ("", 0),
    ],
)
def test_split_sentences(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count


def _find(pattern: str, text: str) -> list[str]:
    haystack = Haystack.build(text)
    found = PatternSet([compile_pattern(pattern, 0)]).find(haystack, 0, len(haystack.hay))
    return [text[slice(*haystack.span_to_original(m.start, m.end))] for m in found]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("(geeft|gaf) ... af", "Ze gaf al haar geld af.", ["gaf al haar geld af"]),
        ("(geeft|gaf) ... af", "Ze gaf haar geld aan hem en ging toen weg af.", []),
        ("blauwe plek*", "Blauwe plekjes op haar arm.", ["Blauwe plekjes"]),
        ("*advertentie", "Een escortadvertentie.", ["escortadvertentie"]),
        # The raw matcher reports every way a pattern fits; the engine keeps the longest.
        (
            "(haar|) paspoort",
            "Zijn paspoort, haar paspoort.",
            ["paspoort", "haar paspoort", "paspoort"],
        ),
        ("id", "Geen ID-kaart; wel idee.", ["ID"]),
        ("auto's", "Drie auto's voor de deur.", ["auto's"]),
    ],
)
def test_pattern_language(pattern: str, text: str, expected: list[str]) -> None:
    assert _find(pattern, text) == expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a|b", "'(' without ')'"),
        ("a ) b", "')' outside"),
        ("((a|b)|c)", "cannot be nested"),
        ("... af", "'...' must stand between words"),
        ("geeft ...", "'...' must stand between words"),
        ("bl*auw", "'*' may only start or end a word"),
        ("*ab*", "too short"),
        ("", "empty pattern"),
        ("(|)", "has no words"),
    ],
)
def test_malformed_patterns_are_rejected(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=re.escape(message)):
        compile_pattern(pattern, 0)
