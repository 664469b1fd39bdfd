"""The YAML scenario tests (the same files `ketenwijs share rules test` runs), one test each."""

from __future__ import annotations

import pytest

from ketenwijs.sharing import Scenario, load_rulebook, load_scenarios, run_scenario

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
