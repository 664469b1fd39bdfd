"""Per-sentence tests for every failure class of issue 11 (development tests, tuned on)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ketenwijs.signals import scan_text

CASES = yaml.safe_load((Path(__file__).parent / "failure_classes.yaml").read_text("utf-8"))
TODAY = date(2026, 12, 4)


def _cases() -> list[Any]:
    return [
        pytest.param(case, id=f"{name}:{case['text'][:50]}")
        for name, cases in CASES["classes"].items()
        for case in cases
    ]


def test_every_class_has_several_cases() -> None:
    assert len(CASES["classes"]) == 12
    assert all(len(cases) >= 4 for cases in CASES["classes"].values())


@pytest.mark.parametrize("case", _cases())
def test_failure_class_case(case: dict[str, Any]) -> None:
    result = scan_text(case["text"], reference_date=TODAY)
    affirmed = {f.indicator: f for f in result.affirmed}
    explain = [(f.indicator, f.context, f.role, f.rule) for f in result.findings]
    for indicator in case.get("found", []):
        assert indicator in affirmed, explain
        finding = affirmed[indicator]
        assert finding.rule
        assert finding.source_file
        want_role = case.get("role", {}).get(indicator)
        if want_role:
            assert finding.role == want_role, explain
    for indicator in case.get("not_affirmed", []):
        assert indicator not in affirmed, explain
    for indicator, context in case.get("context", {}).items():
        assert any(f.indicator == indicator and f.context == context for f in result.findings), (
            explain
        )
    for indicator, role in case.get("role", {}).items():
        if indicator not in case.get("found", []):
            assert any(f.indicator == indicator and f.role == role for f in result.findings), (
                explain
            )
    for item in case.get("vulnerability_absent", []):
        assert item not in result.assessment.vulnerabilities
    if "minor" in case:
        assert result.assessment.minor is case["minor"], result.to_dict()["minor"]
