"""The interview: next relevant question, skipping, urgency first, back, start at a step."""

from __future__ import annotations

import pytest

from ketenwijs.sharing import Case, CaseError, Interview, Rulebook


def test_first_question_is_acute_danger(rulebook: Rulebook) -> None:
    q = Interview(rulebook).next_question()
    assert q is not None
    assert q.fact == "acute_danger"


def test_urgency_answers_first_and_stops_asking(rulebook: Rulebook) -> None:
    state = Interview(rulebook).answer("acute_danger", True).answer("sender", "school")
    state = state.answer("recipient", "veilig_thuis")
    assert state.next_question() is None
    assert state.assessment().urgent


def test_no_personal_data_skips_consent_but_still_asks_data_categories(rulebook: Rulebook) -> None:
    state = Interview(rulebook)
    for fact, value in [
        ("acute_danger", False),
        ("sender", "municipality"),
        ("recipient", "police"),
        ("purpose", "statistics"),
        ("setting", "bilateral"),
        ("pattern", "incidental"),
        ("personal_data", "none"),
    ]:
        state = state.answer(fact, value)
    q = state.next_question()
    assert q is not None
    assert q.fact == "data_categories"
    state = state.answer("data_categories", ["ordinary"])
    assert state.next_question() is None
    assert state.assessment().outcome == "allowed"


def test_police_sender_is_asked_for_the_competent_authority(rulebook: Rulebook) -> None:
    state = Interview(
        rulebook, Case.from_dict({"sender": "police", "personal_data": "identifiable"})
    )
    asked = []
    while (q := state.next_question()) is not None:
        asked.append(q.fact)
        value: object = False if q.type == "bool" else ["ordinary"]
        if q.type == "enum":
            value = next(iter(q.options))
        state = state.answer(q.fact, value)
    assert "authorisation" in asked
    assert "dpia" not in asked  # only relevant for structural sharing


def test_back_forgets_the_last_answer(rulebook: Rulebook) -> None:
    state = Interview(rulebook).answer("acute_danger", False).answer("sender", "police")
    back = state.back()
    assert "sender" not in back.case.facts
    assert "acute_danger" in back.case.facts


def test_start_at_a_step_begins_there(rulebook: Rulebook) -> None:
    q = Interview(rulebook, start_at="secrecy").next_question()
    assert q is not None
    assert q.fact == "data_categories"


def test_unknown_start_step_is_refused(rulebook: Rulebook) -> None:
    with pytest.raises(CaseError, match="unknown step or question 'secret'"):
        Interview(rulebook, start_at="secret")


def test_invalid_answer_is_refused_with_the_field(rulebook: Rulebook) -> None:
    with pytest.raises(CaseError, match="purpose: unknown value 'trafficking'"):
        Interview(rulebook).answer("purpose", "trafficking")


def test_progress_counts_answered_and_remaining(rulebook: Rulebook) -> None:
    progress = Interview(rulebook).answer("acute_danger", False).progress()
    assert progress.answered == 1
    assert progress.remaining > 5


def test_open_questions_after_urgency_are_the_paperwork() -> None:
    """Acute danger ends the interview, but the unanswered questions stay listed for afterwards."""
    from ketenwijs.sharing import Case, Interview, load_rulebook

    rulebook = load_rulebook()
    urgent = Interview(rulebook, Case()).answer("acute_danger", True)
    urgent = urgent.answer("sender", "youth_care").answer("recipient", "veilig_thuis")
    if not urgent.is_urgent():
        urgent = urgent.answer("purpose", "victim_protection")
    assert urgent.next_question() is None
    remaining = urgent.open_questions()
    assert remaining
    assert all(q.fact not in urgent.case.facts for q in remaining)


def _to_personal_data(rulebook: Rulebook) -> Interview:
    state = Interview(rulebook)
    for fact, value in [
        ("acute_danger", False),
        ("sender", "municipality"),
        ("recipient", "riec"),
        ("purpose", "human_trafficking"),
        ("setting", "riec_case"),
        ("pattern", "incidental"),
    ]:
        state = state.answer(fact, value)
    return state


def test_dont_know_leaves_the_fact_out_and_is_not_asked_again(rulebook: Rulebook) -> None:
    state = _to_personal_data(rulebook).answer_unknown("personal_data")
    assert "personal_data" not in state.case.facts
    assert state.unknown == {"personal_data"}
    question = state.next_question()
    assert question is not None
    assert question.fact == "data_categories"
    # Counted as answered: progress moves on.
    assert state.progress().answered == 7
    # Questions that depend on it stay relevant (unknown is not "no").
    assert any(q.fact == "consent" for q in state.open_questions())
    assert state.assessment().outcome == "seek_advice"


def test_answering_after_dont_know_and_back_undo_it(rulebook: Rulebook) -> None:
    state = _to_personal_data(rulebook).answer_unknown("personal_data")
    assert state.back().unknown == frozenset()
    known = state.answer("personal_data", "identifiable")
    assert known.unknown == frozenset()
    assert known.case.facts["personal_data"] == "identifiable"
    with pytest.raises(CaseError):
        state.answer_unknown("colour")


def test_without_irrelevant_drops_answers_that_no_longer_matter(rulebook: Rulebook) -> None:
    state = _to_personal_data(rulebook).answer("personal_data", "identifiable")
    state = state.answer("data_categories", ["ordinary"]).answer("consent", "not_asked")
    changed = state.answer("personal_data", "none").without_irrelevant()
    assert "consent" not in changed.case.facts
    assert "consent" not in changed.history
    assert changed.case.facts["data_categories"] == frozenset({"ordinary"})
    assert state.without_irrelevant() == state
