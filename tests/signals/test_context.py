"""Context cases for every category: negated, hypothetical, historical, other person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ketenwijs.signals import find_indicators

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "context_cases.yaml").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['category']}-{c['indicator']}-{c['context']}" for c in CASES]
)
def test_context_case(case: dict[str, Any]) -> None:
    found = [f for f in find_indicators(case["text"]) if f.indicator == case["indicator"]]
    assert found, f"{case['indicator']} not found in {case['text']!r}"
    assert {f.context for f in found} == {case["context"]}, found


def test_every_category_has_all_four_non_affirmed_contexts() -> None:
    by_category: dict[str, set[str]] = {}
    for case in CASES:
        by_category.setdefault(case["category"], set()).add(case["context"])
    for category in "ABCDEFGHIJK":
        assert by_category[category] >= {"negated", "hypothetical", "historical", "other_person"}


def test_trigger_is_reported_with_offsets_into_the_original_text() -> None:
    text = "Cliënte:  GEEN   blauwe\n  plekken,  géén   bedreigingen!"
    found = find_indicators(text)
    assert [(f.indicator, f.context) for f in found] == [
        ("physical_injuries", "negated"),
        ("threats_of_violence", "negated"),
    ]
    for finding in found:
        assert text[finding.start : finding.end] == finding.text
        assert finding.trigger is not None
        assert text[finding.trigger.start : finding.trigger.end] == finding.trigger.text
    assert found[0].text == "blauwe\n  plekken"
    assert found[1].trigger is not None
    assert found[1].trigger.text == "géén"


def test_question_makes_a_finding_hypothetical() -> None:
    (finding,) = find_indicators("Wordt ze opgewacht bij school?")
    assert finding.context == "hypothetical"
    assert finding.trigger is not None
    assert finding.trigger.text == "?"


def test_trigger_inside_the_phrase_does_not_negate_it() -> None:
    (finding,) = find_indicators("Ze heeft geen sleutel van de woning.")
    assert (finding.indicator, finding.context) == ("confinement", "affirmed")


def test_negation_inside_a_separable_gap_applies() -> None:
    found = find_indicators("Haar paspoort is niet ingenomen.")
    assert [(f.indicator, f.context) for f in found] == [("documents_taken", "negated")]
