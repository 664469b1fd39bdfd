"""Safety rules (guidance.yaml `safety_rules`): a child who may be sexually exploited is never
told to wait or to focus on prevention, and always gets the act-now steps."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from ketenwijs.content import ContentError
from ketenwijs.signals import default_library, evaluate_checklist, load_library, scan_text
from ketenwijs.signals.assessment import Assessment

UNSAFE = {"wait", "prevention"}


def _sexual_exploitation_ids() -> list[str]:
    library = default_library()
    ids = [s.id for s in library.signals if s.ilo_dimension == "exploitation"]
    return [*ids, "intimate_images_obtained", "threat_to_expose", "violence_at_start"]


def _kinds(steps: list[dict[str, object]]) -> set[object]:
    return {s["kind"] for s in steps}


def test_every_next_step_has_a_kind_and_the_rules_name_real_steps() -> None:
    library = default_library()
    assert all(step.kind for step in library.guidance.next_steps)
    assert {r.id for r in library.guidance.safety_rules} >= {"minor_sexual_exploitation_acts_now"}


@pytest.mark.parametrize("indicator", _sexual_exploitation_ids())
def test_a_minor_with_any_sexual_exploitation_signal_gets_act_now_never_wait(
    indicator: str,
) -> None:
    library = default_library()
    weak = [s.id for s in library.signals if s.strength == "weak"]
    # Alone, with every weak signal, and with a vulnerability (the cases that used to say "wait").
    for extra in ([], *([w] for w in weak), ["debts"], ["youth_care_placement"]):
        steps = evaluate_checklist([indicator, *extra], minor=True).next_steps()
        ids = {s["id"] for s in steps}
        assert not _kinds(steps) & UNSAFE, (indicator, extra, ids)
        assert {"minor_act_now", "acute_danger"} <= ids, (indicator, extra, ids)


def test_pairs_of_exploitation_signals_for_minors_are_safe_too() -> None:
    for pair in combinations(_sexual_exploitation_ids(), 2):
        steps = evaluate_checklist(pair, minor=True).next_steps()
        assert not _kinds(steps) & UNSAFE, pair


def test_adults_with_only_weak_signals_still_get_the_follow_up_step() -> None:
    steps = evaluate_checklist(["school_absence"], minor=False).next_steps()
    assert "weak_signals_follow_up" in {s["id"] for s in steps}


def _copy_library(tmp_path: Path) -> Path:
    root = default_library().root
    target = tmp_path / "signals"
    (target / "indicators").mkdir(parents=True)
    for path in root.rglob("*.yaml"):
        (target / path.relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
        (target / path.relative_to(root)).write_bytes(path.read_bytes())
    return target


def test_a_rule_that_requires_a_forbidden_kind_is_a_content_error(tmp_path: Path) -> None:
    root = _copy_library(tmp_path)
    guidance = root / "guidance.yaml"
    text = guidance.read_text("utf-8")
    text = text.replace(
        "require_steps: [minor_act_now, acute_danger]",
        "require_steps: [minor_act_now, weak_signals_follow_up]",
    )
    guidance.write_text(text, "utf-8")
    with pytest.raises(ContentError, match="weak_signals_follow_up' is of kind 'wait'") as info:
        load_library(root)
    assert "guidance.yaml" in str(info.value)


def test_a_next_step_without_kind_is_a_content_error(tmp_path: Path) -> None:
    root = _copy_library(tmp_path)
    guidance = root / "guidance.yaml"
    guidance.write_text(guidance.read_text("utf-8").replace("    kind: wait\n", "", 1), "utf-8")
    with pytest.raises(ContentError, match="a next step needs a kind"):
        load_library(root)


def test_with_the_age_unknown_weak_signals_never_mean_wait() -> None:
    library = default_library()
    for signal in (s.id for s in library.signals if s.strength == "weak"):
        steps = evaluate_checklist([signal], minor=None).next_steps()
        assert "wait" not in _kinds(steps), signal
        assert "age_unknown" in {s["id"] for s in steps}


def test_the_issues_webcam_child_never_gets_wait_and_see() -> None:
    from ketenwijs.signals import scan_text

    text = "Meisje (13). Haar moeder biedt haar aan voor webcamshows. Ze is stil en moe."
    data = scan_text(text).to_dict()
    assert data["minor"]["value"] is True
    assert not {s["kind"] for s in data["next_steps"]} & UNSAFE  # type: ignore[index]
    assert "minor_act_now" in {s["id"] for s in data["next_steps"]}  # type: ignore[index]


@pytest.mark.parametrize(
    "vulnerability", [[], ["youth_care_placement"], ["debts", "unstable_home"]]
)
def test_a_minor_with_nothing_found_is_told_to_read_and_consult_not_to_focus_on_prevention(
    vulnerability: list[str],
) -> None:
    # The checker misses wordings it does not know: nothing found about a child is no all-clear.
    steps = evaluate_checklist(vulnerability, minor=True).next_steps()
    assert not _kinds(steps) & UNSAFE
    assert "minor_nothing_found" in {s["id"] for s in steps}


def test_an_adult_with_only_vulnerabilities_still_gets_the_prevention_step() -> None:
    steps = evaluate_checklist(["debts"], minor=False).next_steps()
    assert {s["id"] for s in steps} >= {"vulnerability_only"}
    assert "minor_nothing_found" not in {s["id"] for s in steps}


def test_a_minor_with_an_exploitation_signal_is_not_told_single_signals_say_little() -> None:
    # The combination view must not contradict the act-now steps (youth-care review).
    result = scan_text("Jeugdige (15) moet seks hebben met mannen voor geld.")
    guidance = result.assessment.combination()["guidance"]
    assert isinstance(guidance, dict)
    assert "losse signalen zeggen weinig" not in guidance["nl"]
    assert "genoeg om vandaag te handelen" in guidance["nl"]


def test_the_handoff_explanation_matches_the_prefilled_categories() -> None:
    ordinary = scan_text("Ze heeft sinds kort een tweede telefoon.").assessment.share_handoff()
    case = ordinary["case"]
    assert isinstance(case, dict)
    assert case["data_categories"] == ["ordinary"]
    assert "alleen gewone persoonsgegevens" in str(ordinary["explanation"])
    sexual = scan_text("Ze moet seks hebben met mannen voor geld.").assessment.share_handoff()
    assert "seksueel gedrag" in str(sexual["explanation"])


# -- youth-care review (issue 11): act-now rests on a rule, the meldcode route, help lines ------


def _model_only(ids: list[str], minor: bool | None) -> Assessment:
    """An assessment whose signals only the learned detector found (no pattern, frame or tick)."""
    library = default_library()
    return Assessment(library, dict.fromkeys(ids, 1), (), minor, "option", None, frozenset(ids))


@pytest.mark.parametrize("minor", [True, None])
@pytest.mark.parametrize("indicator", _sexual_exploitation_ids())
def test_a_model_finding_alone_never_gives_act_now_but_read_and_consult(
    indicator: str, minor: bool | None
) -> None:
    steps = _model_only([indicator], minor).next_steps()
    ids = {s["id"] for s in steps}
    act_now = {s["id"] for s in steps if s["kind"] == "act_now"}
    assert act_now <= {"acute_danger"}, (indicator, act_now)  # 112 when acute stays
    assert not _kinds(steps) & UNSAFE, (indicator, ids)
    if default_library().indicators[indicator].ilo_dimension == "exploitation":
        assert "model_finding_consult" in ids, ids


def test_a_rule_finding_beside_a_model_finding_still_acts_now() -> None:
    library = default_library()
    assessment = Assessment(
        library,
        {"sex_with_others_arranged": 1, "earnings_handed_over": 1},
        (),
        True,
        "option",
        None,
        frozenset({"earnings_handed_over"}),
    )
    ids = {s["id"] for s in assessment.next_steps()}
    assert {"minor_act_now", "minor_exploitation_same_day"} <= ids
    assert "minor_model_signal" not in str(assessment.combination()["guidance"])


def test_a_childs_model_only_signal_is_worded_read_and_consult_in_the_combination_view() -> None:
    guidance = _model_only(["sex_with_others_arranged"], True).combination()["guidance"]
    assert isinstance(guidance, dict)
    assert "lerende model" in guidance["nl"]
    assert "genoeg om vandaag te handelen" not in guidance["nl"]


def test_a_scanned_model_only_finding_gives_read_and_consult_not_act_now() -> None:
    # Only the learned detector reads this as sex with others; no pattern or frame fires.
    text = (
        "Meisje (14). Ze zegt dat ze voor die jongens dingen moet doen waar ze zich vies door "
        "voelt."
    )
    result = scan_text(text)
    assert {(f.indicator, f.rule_kind) for f in result.affirmed} == {
        ("sex_with_others_arranged", "model")
    }
    assert result.assessment.model_only == frozenset({"sex_with_others_arranged"})
    data = result.to_dict()
    steps = {s["id"]: s["kind"] for s in data["next_steps"]}  # type: ignore[union-attr]
    assert "minor_act_now" not in steps
    assert [i for i, k in steps.items() if k == "act_now"] == ["acute_danger"]
    assert "model_finding_consult" in steps
    assert "model_alone_reads_and_consults" in data["safety_rules"]  # type: ignore[operator]
    assert not set(steps.values()) & UNSAFE


@pytest.mark.parametrize("indicator", _sexual_exploitation_ids())
def test_with_the_age_unknown_an_exploitation_signal_leans_to_the_minors_steps(
    indicator: str,
) -> None:
    steps = evaluate_checklist([indicator], minor=None).next_steps()
    ids = {s["id"] for s in steps}
    assert not _kinds(steps) & UNSAFE, ids
    assert "age_unknown" in ids
    if default_library().indicators[indicator].ilo_dimension == "exploitation":
        assert "age_unknown_exploitation" in ids
        assert "adult_several_dimensions" not in ids


def _step_text(step_id: str) -> str:
    step = next(s for s in default_library().guidance.next_steps if s.id == step_id)
    return step.text.nl + "\n" + step.text.en


def test_a_childs_sexual_exploitation_leads_to_a_report_at_veilig_thuis_not_only_advice() -> None:
    text = _step_text("minor_act_now")
    assert "melding" in text
    assert "Veilig Thuis" in text
    assert "afwegingskader" in text
    assert "stap 2" in text
    assert "stap 4 en 5" in text
    assert "112" in text
    same_day = _step_text("minor_exploitation_same_day")
    assert "neem contact op met de politie" not in same_day
    assert "meldcode" in same_day
    assert "112" in same_day


def test_meld_misdaad_anoniem_is_not_the_route_for_meldcode_professionals() -> None:
    text = _step_text("anonymous_tip")
    assert "niet jouw route" in text
    assert "meldcode" in text


def test_the_reflection_period_is_for_victims_without_lawful_stay_only() -> None:
    text = _step_text("adult_several_dimensions")
    assert "bedenktijd" in text
    assert "geen rechtmatig verblijf" in text
    assert "BEDENKTIJD" in [
        s
        for step in default_library().guidance.next_steps
        if step.id == "adult_several_dimensions"
        for s in step.sources
    ]


@pytest.mark.parametrize("indicator", ["threat_to_expose", "intimate_images_obtained"])
@pytest.mark.parametrize("minor", [True, False, None])
def test_sextortion_gets_the_help_lines(indicator: str, minor: bool | None) -> None:
    steps = {s["id"]: s for s in evaluate_checklist([indicator], minor=minor).next_steps()}
    assert "sextortion_help" in steps
    text = str(steps["sextortion_help"]["text"])
    assert "helpwanted.nl" in text
    assert "Offlimits" in text
    assert "chatmetfier.nl" in text
    keys = {s["key"] for s in steps["sextortion_help"]["sources"]}  # type: ignore[attr-defined]
    assert {"HELPWANTED", "CHAT_MET_FIER"} <= keys
