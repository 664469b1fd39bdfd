"""Spot the signal: Signaleren's scan is the answer key, context included; scoring counts hits,
false alarms (for every context that does not count, and for sentences without a finding) and
misses; the packaged notes each train both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenwijs.content import LocatedData, load_yaml_file
from ketenwijs.learning import load_learning_content
from ketenwijs.learning.spot import (
    MIN_DECOY_SENTENCES,
    MIN_SIGNAL_SENTENCES,
    SPOT_MINIMUM_NOTES,
    Mark,
    SpotInputError,
    SpotNote,
    SpotNoteFile,
    UnknownChoiceError,
    Verdict,
    answer_key,
    card_id,
    check_spot_note,
    indicator_card,
    indicator_of_card,
    score_spot,
)
from ketenwijs.signals import default_library

# One sentence per case the scoring must tell apart; checked against Signaleren below, so the
# test fails loudly if the indicator library stops reading a sentence this way.
SENTENCES = [
    ("Ze heeft sinds kort een nieuwe dure telefoon.", "affirmed", "unexplained_gifts_money"),
    ("Ze heeft geen blauwe plekken.", "negated", "physical_injuries"),
    ("Haar zus is door een loverboy uitgebuit.", "other_person", "false_love_relationship"),
    ("Mocht ze zwanger zijn, dan wil ze misschien een abortus.", "hypothetical", None),
    ("Vorig jaar had ze een tijd last van zelfbeschadiging, maar dat is nu over.", "historical",
     "self_harm"),
    ("Ze is bang voor hem.", "affirmed", "fear_anxiety"),
    ("Afspraak: over twee weken een vervolggesprek.", None, None),
]  # fmt: skip


FILLER = ["Afspraak: over twee weken een vervolggesprek.", "Gesprek op 3 november."]


def _note(sentences: list[str]) -> SpotNoteFile:
    """Build a note of these sentences (padded with neutral ones to the minimum length)."""
    sentences = [*sentences, *FILLER][: max(4, len(sentences))]
    return SpotNoteFile.model_validate(
        {
            "id": "test",
            "order": 1,
            "setting": "school",
            "title": {"nl": "t", "en": "t"},
            "writer": {"nl": "mentor", "en": "mentor"},
            "client": "Sanne",
            "sentences": [{"nl": s, "en": s} for s in sentences],
        }
    )


@pytest.fixture(scope="module")
def spot() -> SpotNote:
    return answer_key(_note([s for s, _context, _indicator in SENTENCES]))


def test_the_answer_key_reads_each_sentence_with_its_context(spot: SpotNote) -> None:
    verdicts = [s.verdict for s in spot.key]
    assert verdicts == [
        Verdict.SIGNAL,
        Verdict.DECOY,
        Verdict.DECOY,
        Verdict.DECOY,
        Verdict.HISTORY,
        Verdict.SIGNAL,
        Verdict.NOTHING,
    ]
    for sentence, (_text, context, indicator) in zip(spot.key, SENTENCES, strict=True):
        if context is None:
            assert sentence.mentions == ()
        elif context == "affirmed":
            assert [m.indicator for m in sentence.signals] == [indicator]
        else:
            assert {m.reason for m in sentence.decoys} == {context}
            if indicator is not None:
                assert indicator in {m.indicator for m in sentence.decoys}


def test_ticking_signals_only_is_all_hits(spot: SpotNote) -> None:
    result = score_spot(spot, {1, 6})
    assert (result.hits, result.false_alarms, result.misses) == (2, 0, 0)
    assert result.percent == 100
    assert result.missed_indicators() == []


@pytest.mark.parametrize(
    ("number", "context"),
    [(2, "negated"), (3, "other_person"), (4, "hypothetical"), (7, None)],
)
def test_ticking_a_mention_that_does_not_count_is_a_false_alarm(
    spot: SpotNote, number: int, context: str | None
) -> None:
    result = score_spot(spot, {1, 6, number})
    assert (result.hits, result.false_alarms, result.misses) == (2, 1, 0)
    marked = result.sentences[number - 1]
    assert marked.mark is Mark.FALSE_ALARM
    assert {m.reason for m in marked.sentence.decoys} == ({context} if context else set())
    assert result.percent == 67


def test_an_unticked_signal_is_missed_and_becomes_a_card(spot: SpotNote) -> None:
    result = score_spot(spot, {6})
    assert (result.hits, result.false_alarms, result.misses) == (1, 0, 1)
    assert result.sentences[0].mark is Mark.MISSED
    assert [(i, s.number) for i, s in result.missed_indicators()] == [
        ("unexplained_gifts_money", 1)
    ]


def test_saying_nothing_is_there_misses_every_signal(spot: SpotNote) -> None:
    result = score_spot(spot, set(), nothing_seen=True)
    assert (result.hits, result.false_alarms, result.misses) == (0, 0, 2)
    assert result.percent == 0


@pytest.mark.parametrize(
    ("ticked", "nothing"), [(set(), False), ({1}, True), ({0}, False), ({8}, False)]
)
def test_empty_contradictory_or_unknown_marks_are_refused(
    spot: SpotNote, ticked: set[int], nothing: bool
) -> None:
    with pytest.raises(SpotInputError):
        score_spot(spot, ticked, nothing)


def test_a_vulnerability_is_context_neither_hit_nor_false_alarm() -> None:
    spot = answer_key(_note(["Ze heeft een licht verstandelijke beperking.", "Ze is bang."]))
    assert spot.key[0].verdict is Verdict.CONTEXT
    result = score_spot(spot, {1, 2})
    assert result.sentences[0].mark is Mark.CONTEXT
    assert (result.hits, result.false_alarms) == (1, 0)


def test_the_clients_own_history_ticked_is_context_not_a_false_alarm(spot: SpotNote) -> None:
    result = score_spot(spot, {1, 5, 6})
    assert result.sentences[4].mark is Mark.CONTEXT
    assert [m.reason for m in result.sentences[4].sentence.history] == ["historical"]
    assert (result.hits, result.false_alarms, result.misses) == (2, 0, 0)
    assert result.percent == 100
    # Left unticked it is simply passed: history is never a missed signal either.
    assert score_spot(spot, {1, 6}).sentences[4].mark is Mark.PASSED


def test_someone_elses_history_stays_a_false_alarm() -> None:
    spot = answer_key(_note(["Haar zus is vorig jaar door een loverboy uitgebuit.", "Ze is bang."]))
    assert spot.key[0].verdict is Verdict.DECOY
    assert spot.key[0].history == ()
    assert score_spot(spot, {1, 2}).sentences[0].mark is Mark.FALSE_ALARM


ACTION = {"nl": "Volg ook voor haar de meldcode.", "en": "Follow the reporting code for her too."}


def _note_with_action(sentence: str) -> dict[str, object]:
    note = _note([sentence, "Ze is bang.", "Ze heeft een nieuwe dure telefoon."]).model_dump()
    note["sentences"][0]["other_person_action"] = ACTION
    return note


def test_a_disclosure_about_another_minor_carries_its_action() -> None:
    note = SpotNoteFile.model_validate(
        _note_with_action(
            "Haar vriendin Lotte vertelde dat zij zelf wordt gechanteerd met naaktfoto's van "
            "vorig jaar."
        )
    )
    spot = answer_key(note)
    first = spot.key[0]
    assert first.verdict is Verdict.DECOY
    assert {m.reason for m in first.decoys} == {"other_person"}
    assert first.other_person_action is not None
    assert first.other_person_action.nl == ACTION["nl"]
    # Scoring is unchanged: not a signal about the client; the action is shown either way.
    assert score_spot(spot, {1, 2, 3}).sentences[0].mark is Mark.FALSE_ALARM
    assert all(s.other_person_action is None for s in spot.key[1:])


def test_an_action_on_a_sentence_without_another_person_fails_validation() -> None:
    located = LocatedData(_note_with_action("Ze heeft geen blauwe plekken."), None)
    _note_file, errors = check_spot_note(located)
    assert any("other_person_action" in str(error) for error in errors)


def test_the_packaged_disclosure_about_a_friend_asks_for_action() -> None:
    spot = load_learning_content().spot_note("school-sanne")
    assert spot is not None
    lotte = next(s for s in spot.key if "Lotte" in s.text.nl)
    assert lotte.other_person_action is not None
    assert "meldcode" in lotte.other_person_action.nl
    assert "niet door" in lotte.other_person_action.nl
    ran_away = next(s for s in spot.key if "weggelopen" in s.text.nl)
    assert ran_away.verdict is Verdict.HISTORY


def test_an_item_that_is_two_sentences_for_signaleren_is_refused() -> None:
    with pytest.raises(ValueError, match="sentence 1 is not one sentence"):
        answer_key(_note(["Ze is bang; hij belt steeds.", "Ze is bang."]))


def test_packaged_notes_each_have_signals_and_mentions_that_do_not_count() -> None:
    content = load_learning_content()
    assert len(content.spot) >= SPOT_MINIMUM_NOTES
    assert len({spot.note.setting for spot in content.spot}) == 6  # every professional setting
    for spot in content.spot:
        about_client = [m for s in spot.key for m in s.signals]
        not_counting = [m for s in spot.key for m in s.decoys]
        assert len(about_client) >= 3, spot.id
        assert len(not_counting) >= 2, spot.id
        assert spot.signal_count >= MIN_SIGNAL_SENTENCES
        assert spot.decoy_count >= MIN_DECOY_SENTENCES
        # Every kind of hard negative appears somewhere in the set.
    reasons = {m.reason for spot in content.spot for s in spot.key for m in s.decoys}
    assert reasons == {"negated", "other_person", "hypothetical", "historical"}


def test_the_answer_key_is_not_written_in_the_files() -> None:
    for path in (load_learning_content().root / "spot").glob("*.yaml"):
        data = load_yaml_file(path).data
        assert set(data) == set(SpotNoteFile.model_fields), path.name
        for sentence in data["sentences"]:
            # Only the text, and an authored action for a disclosure about someone else.
            assert set(sentence) <= {"nl", "en", "other_person_action"}


BROKEN = Path(__file__).parent / "broken"


def test_a_note_with_too_few_signals_fails_validation() -> None:
    _note_file, errors = check_spot_note(load_yaml_file(BROKEN / "spot_too_few_signals.yaml"))
    assert [e.reason for e in errors] == [
        "note 'spot_too_few_signals' has 1 sentences with an affirmed signal about the client; "
        "Signaleren must find at least 3"
    ]


def test_a_missed_indicator_card_shows_the_sentence_and_the_library_text() -> None:
    library = default_library()
    spec = library.indicators["fear_anxiety"]
    sentence = answer_key(_note(["Ze is bang voor hem.", "Ze is bang."])).key[0].text
    card = indicator_card("fear_anxiety", sentence)
    assert card.id == card_id("fear_anxiety") == "spot:fear_anxiety"
    assert indicator_of_card(card.id) == "fear_anxiety"
    assert indicator_of_card("overlap") is None
    assert "Ze is bang voor hem." in card.front.nl
    assert spec.label.nl in card.back.nl
    assert spec.description.en in card.back.en
    fallback = indicator_card("fear_anxiety", None)
    assert spec.examples.match[0] in fallback.front.nl


def test_naming_the_signal_counts_as_a_tick_and_is_checked(spot: SpotNote) -> None:
    result = score_spot(spot, {6}, named={1: "unexplained_gifts_money", 6: "school_absence"})
    assert (result.hits, result.misses) == (2, 0)  # sentence 1 is ticked by naming it
    assert result.sentences[0].named_right
    assert not result.sentences[5].named_right
    assert (result.named, result.named_right) == (2, 1)


def test_naming_an_unknown_indicator_is_refused_with_its_sentence(spot: SpotNote) -> None:
    with pytest.raises(UnknownChoiceError) as refused:
        score_spot(spot, {1}, named={6: "no_such_signal"})
    assert refused.value.sentence == 6
