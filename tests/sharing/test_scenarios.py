"""The YAML scenario tests (the same files `ketenwijs share rules test` runs), one test each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketenwijs.sharing import (
    ContentError,
    Scenario,
    load_rulebook,
    load_scenarios,
    run_scenario,
)
from ketenwijs.sharing.schema import OriginDef
from tests.sharing.conftest import complete_case

RULEBOOK = load_rulebook()
SCENARIOS = load_scenarios(RULEBOOK)


def test_there_are_at_least_forty_scenarios_over_both_versions() -> None:
    assert len(SCENARIOS) >= 40
    dates = {s.case.reference_date.isoformat()[:4] for s in SCENARIOS if s.case.reference_date}
    assert {"2023", "2024", "2025"} <= dates


def test_scenarios_cover_all_four_outcomes() -> None:
    outcomes = {s.definition.expect.outcome for s in SCENARIOS}
    assert outcomes == {"allowed", "allowed_with_conditions", "not_allowed", "seek_advice"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario(scenario: Scenario) -> None:
    result = run_scenario(scenario, RULEBOOK)
    assert result.passed, "\n".join(result.problems)


def _write(tmp_path: Path, origin: str) -> Path:
    path = tmp_path / "origin.yaml"
    path.write_text(
        "scenarios:\n  - name: Municipality to police with an origin\n"
        f"    origin: {origin}\n"
        f"    case: {json.dumps(complete_case())}\n"
        "    expect: {outcome: allowed_with_conditions, cites: [AVG 5(2)]}\n"
    )
    return path


@pytest.mark.parametrize(
    ("origin", "shown"),
    [
        (
            "{kind: ecli, reference: 'ECLI:NL:RBOVE:2018:2496'}",
            "ecli: ECLI:NL:RBOVE:2018:2496",
        ),
        (
            "{kind: kamerstuk, reference: 'Kamerstukken II 2020/21, 35 447, nr. 6', "
            "url: 'https://zoek.officielebekendmakingen.nl/kst-35447-6.html'}",
            "kamerstuk: Kamerstukken II 2020/21, 35 447, nr. 6 "
            "<https://zoek.officielebekendmakingen.nl/kst-35447-6.html>",
        ),
        ("{kind: legal_review, reference: 'issue 12'}", "legal_review: issue 12"),
        ("'issue 12 (free text, as in the first scenario files)'", "issue 12 (free text"),
    ],
)
def test_origin_is_loaded_and_described(tmp_path: Path, origin: str, shown: str) -> None:
    (scenario,) = load_scenarios(RULEBOOK, _write(tmp_path, origin))
    assert scenario.origin is not None
    assert scenario.origin.startswith(shown)


@pytest.mark.parametrize(
    ("origin", "message"),
    [
        ("{kind: ecli, reference: 'HR 20 mei 2014'}", "must be the ECLI itself"),
        ("{kind: ecli, reference: 'ECLI:NL:HR:2014'}", "must be the ECLI itself"),
        ("{kind: kamerstuk, reference: 'memorie van toelichting'}", "dossier number"),
        ("{kind: ap_decision, reference: 'AP boete FSV'}", "give its url"),
        ("{kind: court, reference: 'ECLI:NL:RBOVE:2018:2496'}", "kind: Input should be"),
        ("{kind: ecli, reference: 'ECLI:NL:RBOVE:2018:2496', url: 'http://x.nl'}", "url"),
        (
            "{kind: ecli, reference: 'ECLI:NL:RBOVE:2018:2496', year: 2018}",
            "unknown key 'year'; allowed: kind, reference, url",
        ),
        ("'  '", "at least 3 characters"),
        ("[1, 2]", "a text or a mapping with kind, reference and url"),
    ],
)
def test_bad_origin_is_refused_at_load_naming_the_file(
    tmp_path: Path, origin: str, message: str
) -> None:
    with pytest.raises(ContentError, match=message) as info:
        load_scenarios(RULEBOOK, _write(tmp_path, origin))
    assert "origin.yaml" in str(info.value)


def test_every_structured_origin_in_the_packaged_scenarios_is_checked() -> None:
    structured = [
        s.definition.origin for s in SCENARIOS if isinstance(s.definition.origin, OriginDef)
    ]
    assert {o.kind for o in structured} >= {"ecli", "kamerstuk"}
    for origin in structured:
        assert OriginDef.model_validate(origin.model_dump()) == origin
