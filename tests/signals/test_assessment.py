"""Summaries, the ILO combination view, prompts, next steps and the Delen hand-off."""

from __future__ import annotations

import json

import pytest

from ketenwijs.signals import (
    ILO_DIMENSIONS,
    UnknownIndicatorError,
    evaluate_checklist,
    ilo_clause,
    scan_text,
)

NOTE = (
    "Cliënte (16) werd via Snapchat benaderd. Ze moet van haar vriend seks hebben met zijn "
    "vrienden en al het geld afgeven. Hij houdt haar paspoort. Er zijn geen blauwe plekken."
)


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "clause"),
    [
        (2, 0, 0, "a"),
        (1, 1, 0, "b"),
        (1, 0, 1, "b"),
        (0, 3, 0, "c"),
        (0, 2, 1, "d"),
        (1, 0, 0, None),
        (0, 2, 0, None),
        (0, 0, 5, None),
    ],
)
def test_ilo_dimension_rule(strong: int, medium: int, weak: int, clause: str | None) -> None:
    assert ilo_clause(strong, medium, weak) == clause


def test_scan_output_has_the_fixed_fields_of_spec_4_2() -> None:
    data = scan_text(NOTE, doc_id="n1").to_dict()
    assert data["id"] == "n1"
    for finding in data["findings"]:
        assert {"indicator", "dimension", "strength", "start", "end", "text", "context"} <= set(
            finding
        )
        assert NOTE[finding["start"] : finding["end"]] == finding["text"]
    assert set(data["summary"]) == set(ILO_DIMENSIONS)
    json.dumps(data)  # serialisable as is


def test_only_affirmed_findings_count_in_the_summary() -> None:
    result = scan_text(NOTE)
    negated = [f for f in result.findings if f.context == "negated"]
    assert [f.indicator for f in negated] == ["physical_injuries"]
    coercion = result.assessment.summary()["coercion"]
    assert "physical_injuries" not in coercion["indicators"]  # type: ignore[operator]
    assert "documents_taken" in coercion["indicators"]  # type: ignore[operator]


def test_minor_is_read_from_the_text_when_not_given() -> None:
    assessment = scan_text(NOTE).assessment
    assert (assessment.minor, assessment.minor_source) == (True, "text")
    assert scan_text(NOTE, minor=False).assessment.minor_source == "option"


def test_minor_with_exploitation_signal_gets_the_same_day_step() -> None:
    steps = [s["id"] for s in scan_text(NOTE).assessment.next_steps()]
    assert steps[:2] == ["minor_act_now", "acute_danger"]  # act now comes first for a child
    assert "minor_exploitation_same_day" in steps
    adult = [s["id"] for s in scan_text(NOTE, minor=False).assessment.next_steps()]
    assert "minor_exploitation_same_day" not in adult
    assert "adult_several_dimensions" in adult


def test_combination_view_is_guidance_and_differs_for_minors() -> None:
    checklist = ["online_stranger_contact", "intimate_images_obtained", "sex_with_others_arranged"]
    checklist += ["earnings_handed_over"]
    minor = evaluate_checklist(checklist, minor=True).combination()
    adult = evaluate_checklist(checklist, minor=False).combination()
    assert minor["pattern_met"] is False  # recruitment dimensions stay below the rule
    checklist += ["deceptive_job_offer", "false_love_relationship"]
    minor = evaluate_checklist(checklist, minor=True).combination()
    adult = evaluate_checklist(checklist, minor=False).combination()
    assert minor["pattern_met"] is True
    assert adult["pattern_met"] is False  # adults also need coercion or dependency
    guidance = minor["guidance"]
    assert isinstance(guidance, dict)
    assert "geen oordeel" in guidance["nl"]
    assert "not a verdict" in guidance["en"]


def test_checklist_and_scan_give_the_same_assessment() -> None:
    scanned = scan_text(NOTE, minor=True).assessment
    ticked = evaluate_checklist(list(scanned.affirmed), minor=True)
    assert ticked.summary_by_category() == scanned.summary_by_category()
    assert [s["id"] for s in ticked.next_steps()] == [s["id"] for s in scanned.next_steps()]


def test_checklist_rejects_an_unknown_id_with_a_suggestion() -> None:
    with pytest.raises(UnknownIndicatorError, match="did you mean 'documents_taken'"):
        evaluate_checklist(["documents_taken", "documents_taaken"])


def test_handoff_prefills_purpose_and_special_categories() -> None:
    handoff = scan_text(NOTE).assessment.share_handoff()
    case = handoff["case"]
    assert isinstance(case, dict)
    assert case["purpose"] == "human_trafficking"
    assert case["data_subject_minor"] is True
    assert "special_sex_life" in case["data_categories"]
    quiet = evaluate_checklist(["school_absence"]).share_handoff()["case"]
    assert isinstance(quiet, dict)
    assert quiet == {
        "purpose": "victim_protection",
        "personal_data": "identifiable",
        "data_categories": ["ordinary"],
    }


def test_stereotype_prompts_follow_the_findings() -> None:
    prompts = {p["id"] for p in scan_text(NOTE).assessment.prompts()}
    assert {"other_routes_than_love", "perpetrator_any_gender"} <= prompts
    empty = {p["id"] for p in scan_text("Gesprek over stage, het gaat goed.").assessment.prompts()}
    assert empty == {"no_signals_is_not_no_problem"}
    recruiter = {p["id"] for p in evaluate_checklist(["forced_to_recruit"]).prompts()}
    assert "victim_may_recruit" in recruiter


def test_every_prompt_and_step_cites_a_source_with_a_mark() -> None:
    data = evaluate_checklist(["forced_to_recruit", "earnings_handed_over"], minor=True).to_dict()
    for item in [*data["prompts"], *data["next_steps"]]:  # type: ignore[misc]
        assert item["sources"]
        assert all(s["mark"] in "VSU" for s in item["sources"])
