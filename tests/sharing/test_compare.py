"""Two reference dates side by side: per check the status on each date, and why it changed."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenwijs.sharing import Case, Rulebook, VersionError, evaluate, load_scenarios
from ketenwijs.sharing.compare import compare_dates
from tests.sharing.conftest import complete_case

BEFORE_WGS, AFTER_WGS = dt.date(2024, 6, 1), dt.date(2025, 6, 1)
BEFORE_BIBOB, AFTER_BIBOB = dt.date(2021, 6, 1), dt.date(2023, 3, 1)


def riec_case() -> Case:
    """A municipality shares in an RIEC case without a covenant (partnerships.yaml)."""
    return Case.from_dict(
        complete_case(recipient="riec", purpose="organised_crime", setting="riec_case")
    )


def bibob_case() -> Case:
    """A municipality passes Bibob information to another municipality for its Bibob decision."""
    return Case.from_dict(
        complete_case(
            recipient="municipality",
            purpose="bibob_screening",
            data_categories=["bibob"],
            data_subject_informed="restriction_applies",
        )
    )


def test_wgs_case_changes_outcome_and_names_the_wgs_parameter(rulebook: Rulebook) -> None:
    comparison = compare_dates(riec_case(), rulebook, BEFORE_WGS, AFTER_WGS)
    assert (comparison.a.outcome, comparison.b.outcome) == (
        "seek_advice",
        "allowed_with_conditions",
    )
    assert comparison.outcome_changed
    assert not comparison.same_version
    assert (comparison.a.version, comparison.b.version) == ("2022-10-01", "2025-03-01")
    rows = {c.check.id: c for c in comparison.checks}
    before = rows["partnership_before_wgs"]
    assert (before.a.status, before.b.status) == ("not_met", "not_applicable")
    assert before.changed
    assert [p.parameter.name for p in before.parameters] == ["wgs_in_force"]
    change = before.parameters[0]
    assert (change.value_a, change.value_b) == (False, True)
    assert change.changed_on == (dt.date(2025, 3, 1),)
    assert "WGS Stb. 2024, 198" in {s.cite for s in change.parameter.sources}
    assert "gewijzigd per 2025-03-01" in before.why("nl")[0]
    assert "changed on 2025-03-01" in before.why("en")[0]
    assert rows["regime_wgs"].b.status == "met"
    # A check that reads no dated parameter and none of the changed checks stays the same.
    assert not rows["purpose_specified"].changed
    assert rows["purpose_specified"].why("nl") == ()


def test_bibob_2022_case_changes_the_bibob_check(rulebook: Rulebook) -> None:
    comparison = compare_dates(bibob_case(), rulebook, BEFORE_BIBOB, AFTER_BIBOB)
    assert (comparison.a.outcome, comparison.b.outcome) == (
        "not_allowed",
        "allowed_with_conditions",
    )
    changed = {c.check.id: c for c in comparison.changed}
    assert set(changed) == {"bibob_secrecy"}
    why = changed["bibob_secrecy"]
    assert (why.a.status, why.b.status) == ("not_met", "met")
    assert [p.parameter.name for p in why.parameters] == ["bibob_sharing_between_bodies"]
    assert why.parameters[0].versions[0][0] == "2022-10-01"
    assert "Kamerstuk 35 764" in why.why("nl")[0]
    # Conditions only appear on the date on which sharing is allowed.
    assert comparison.conditions_only_in("a") == ()
    assert comparison.conditions_only_in("b")


def test_dates_in_any_order_give_the_mirror_image(rulebook: Rulebook) -> None:
    forward = compare_dates(bibob_case(), rulebook, BEFORE_BIBOB, AFTER_BIBOB)
    backward = compare_dates(bibob_case(), rulebook, AFTER_BIBOB, BEFORE_BIBOB)
    assert backward.a.outcome == forward.b.outcome
    assert backward.b.outcome == forward.a.outcome
    assert backward.parameters[0].changed_on == forward.parameters[0].changed_on


def test_nothing_changes_for_a_case_no_dated_rule_touches(rulebook: Rulebook) -> None:
    """Base case (municipality -> police) across all three versions: same outcome, no change."""
    case = Case.from_dict(complete_case())
    comparison = compare_dates(case, rulebook, BEFORE_BIBOB, AFTER_WGS)
    assert not comparison.same_version
    assert {p.parameter.name for p in comparison.parameters} == {
        "wgs_in_force",
        "bibob_sharing_between_bodies",
    }
    assert not comparison.outcome_changed
    assert comparison.changed == ()
    assert comparison.to_dict()["checks"][0]["why"]["text"] == {"nl": [], "en": []}
    text = comparison.to_text("nl")
    assert "De uitkomst is gelijk." in text
    assert "Toetsen die veranderden:\n  - Geen." in text


def test_two_dates_in_one_version_cannot_differ(rulebook: Rulebook) -> None:
    comparison = compare_dates(riec_case(), rulebook, dt.date(2025, 3, 1), AFTER_WGS)
    assert comparison.same_version
    assert comparison.parameters == ()
    assert comparison.changed == ()
    assert "dezelfde regelversie" in comparison.to_text("nl")
    assert "same rule-set version" in comparison.to_text("en")


def test_each_side_equals_a_plain_assessment_on_that_date(rulebook: Rulebook) -> None:
    case = riec_case()
    comparison = compare_dates(case, rulebook, BEFORE_WGS, AFTER_WGS)
    for side, day in ((comparison.a, BEFORE_WGS), (comparison.b, AFTER_WGS)):
        assert side.to_dict() == evaluate(Case(case.facts, day), rulebook).to_dict()
    data = comparison.to_dict()
    assert data["a"]["reference_date"] == "2024-06-01"
    assert data["assessments"]["b"]["outcome"] == "allowed_with_conditions"
    row = next(r for r in data["checks"] if r["id"] == "partnership_before_wgs")
    assert row["why"]["parameters"] == ["wgs_in_force"]
    assert row["why"]["text"]["en"]
    assert row["explanation"]["a"]["nl"] != row["explanation"]["b"]["nl"]


def test_a_date_before_the_rules_is_refused(rulebook: Rulebook) -> None:
    with pytest.raises(VersionError, match="no rule-set version covers 2010-01-01"):
        compare_dates(riec_case(), rulebook, dt.date(2010, 1, 1), AFTER_WGS)


def test_every_changed_check_in_every_scenario_has_a_reason(rulebook: Rulebook) -> None:
    """The explanation is complete: a status can only change through a parameter or a check."""
    starts = [v.version.valid_from for v in rulebook.versions]
    seen_change = 0
    for scenario in load_scenarios(rulebook):
        for day in starts:
            comparison = compare_dates(scenario.case, rulebook, starts[0], day)
            for row in comparison.changed:
                seen_change += 1
                assert row.parameters or row.via, (scenario.name, row.check.id)
                assert len(row.why("nl")) == len(row.why("en")) >= 1
    assert seen_change > 0
