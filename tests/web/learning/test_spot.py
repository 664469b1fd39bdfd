"""Spot the signal through HTTP: the note as tickable sentences, an empty submit refused with an
error summary, feedback with hits, false alarms and misses explained, scores stored (not the
note), and missed signals added to the learner's review deck."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.spot import SpotNote, Verdict
from ketenwijs.signals import default_library
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import CardSchedule, SpotAttempt, SpotCard, SpotMark

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]
CHECKBOX = re.compile(r'type="checkbox" name="sentence" value="(\d+)"')


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(learner: User, client_for: ClientFor) -> Client:
    return client_for(learner)


def _note(note_id: str = "school-sanne") -> SpotNote:
    spot = load_learning_content().spot_note(note_id)
    assert spot is not None
    return spot


def _numbers(spot: SpotNote, *verdicts: Verdict) -> list[int]:
    return [s.number for s in spot.key if s.verdict in verdicts]


def test_index_and_lessons_link_to_the_exercise(client: Client) -> None:
    url = reverse("learning:spot")
    assert f'href="{url}"' in client.get(reverse("learning:index")).content.decode()
    lesson = load_learning_content().lessons[0]
    page = client.get(reverse("learning:lesson", args=[lesson.id])).content.decode()
    assert f'href="{url}"' in page
    listing = client.get(url).content.decode()
    for spot in load_learning_content().spot:
        assert reverse("learning:spot_exercise", args=[spot.id]) in listing


def test_the_note_is_shown_as_one_checkbox_per_sentence_in_a_fieldset(client: Client) -> None:
    spot = _note()
    page = client.get(reverse("learning:spot_exercise", args=[spot.id])).content.decode()
    assert CHECKBOX.findall(page) == [str(s.number) for s in spot.key]
    assert "<fieldset" in page
    assert "<legend>" in page
    for sentence in spot.key:
        assert f'<label for="sentence-{sentence.number}">' in page
    # No hint of the answer key on the exercise page.
    assert "affirmed" not in page
    assert "Signaleren vindt" not in page


def test_an_empty_submit_is_refused_with_an_error_summary_and_nothing_stored(
    client: Client,
) -> None:
    response = client.post(reverse("learning:spot_exercise", args=["school-sanne"]), {})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Kies ten minste één zin of geef aan dat je niets ziet." in page
    assert 'href="#sentence-1"' in page
    both = client.post(
        reverse("learning:spot_exercise", args=["school-sanne"]), {"sentence": "2", "nothing": "1"}
    )
    assert both.status_code == 400
    assert 'value="2" id="sentence-2" checked' in both.content.decode()  # the marks are kept
    assert SpotAttempt.objects.count() == 0


def test_marks_are_scored_stored_and_explained(client: Client, learner: User) -> None:
    spot = _note()
    signals = _numbers(spot, Verdict.SIGNAL)
    decoys = _numbers(spot, Verdict.DECOY)
    ticked = [*signals[1:], decoys[0], decoys[1]]  # miss the first signal, two false alarms
    response = client.post(
        reverse("learning:spot_exercise", args=[spot.id]), {"sentence": [str(n) for n in ticked]}
    )
    assert response.status_code == 302
    attempt = SpotAttempt.objects.get(user=learner)
    assert (attempt.hits, attempt.false_alarms, attempt.misses) == (len(signals) - 1, 2, 1)
    assert attempt.percent == round(100 * (len(signals) - 1) / (len(signals) + 2))
    marks = dict(SpotMark.objects.filter(attempt=attempt).values_list("sentence", "mark"))
    assert marks[signals[0]] == "missed"
    assert marks[decoys[0]] == "false_alarm"
    assert len(marks) == len(spot.key)
    # Scores are stored, the note is not: no stored value holds a sentence of it.
    stored = [
        *SpotAttempt.objects.filter(pk=attempt.pk).values_list(),
        *SpotMark.objects.filter(attempt=attempt).values_list(),
    ]
    texts = [str(value) for row in stored for value in row]
    assert not any(s.text.nl in t or s.text.en in t for s in spot.key for t in texts)

    page = client.get(response["Location"]).content.decode()
    library = default_library()
    missed = spot.key[signals[0] - 1]
    assert library.indicators[missed.signals[0].indicator].label.nl in page
    # Each false alarm says why it does not count, in words of the note.
    assert "gaat over iemand anders" in page or "staat dat het er niet is" in page
    assert "Signalen die je miste" in page
    assert "Score:" in page


@pytest.mark.parametrize(
    ("note_id", "reason"),
    [
        ("school-sanne", "Geen signaal over Sanne: dit gaat over iemand anders"),
        ("school-sanne", "Geen signaal: in de notitie staat dat het er niet is"),
        ("huisarts-mirjam", "Geen signaal: dit is een mogelijkheid of twijfel"),
    ],
)
def test_each_kind_of_false_alarm_is_explained(client: Client, note_id: str, reason: str) -> None:
    spot = _note(note_id)
    ticked = _numbers(spot, Verdict.SIGNAL, Verdict.DECOY)
    response = client.post(
        reverse("learning:spot_exercise", args=[spot.id]), {"sentence": [str(n) for n in ticked]}
    )
    page = client.get(response["Location"]).content.decode()
    assert reason in page


def test_missed_signals_become_review_cards_due_now(client: Client, learner: User) -> None:
    spot = _note("jeugdzorg-kim")
    client.post(reverse("learning:spot_exercise", args=[spot.id]), {"nothing": "1"})
    missed = list(dict.fromkeys(m.indicator for s in spot.key for m in s.signals))
    assert sorted(SpotCard.objects.filter(user=learner).values_list("indicator", flat=True)) == (
        sorted(missed)
    )
    card_ids = [f"spot:{indicator}" for indicator in missed]
    assert set(CardSchedule.objects.filter(user=learner).values_list("card_id", flat=True)) == (
        set(card_ids)
    )
    due = services.due_card_ids(learner)
    assert set(due[: len(card_ids)]) == set(card_ids)  # before the never-reviewed deck
    # The review page shows such a card: the exercise sentence in front, the library's text
    # on the back, then the rating buttons; rating it reschedules it.
    first = due[0]
    indicator = first.removeprefix("spot:")
    front = client.get(reverse("learning:review")).content.decode()
    assert f'name="show" value="{first}"' in front
    page = client.get(reverse("learning:review"), {"show": first}).content.decode()
    sentence = next(s for s in spot.key if indicator in {m.indicator for m in s.signals})
    assert escape(sentence.text.nl) in page
    assert escape(default_library().indicators[indicator].description.nl) in page
    assert 'name="rating" value="good"' in page
    assert (
        client.post(reverse("learning:review"), {"card": first, "rating": "good"}).status_code
        == 302
    )
    row = CardSchedule.objects.get(user=learner, card_id=first)
    assert row.reviews == 1
    assert row.last_rating == "good"
    assert first not in services.due_card_ids(learner)


def test_missing_a_signal_again_brings_its_card_forward_without_a_duplicate(
    client: Client, learner: User
) -> None:
    spot = _note("jeugdzorg-kim")
    url = reverse("learning:spot_exercise", args=[spot.id])
    client.post(url, {"nothing": "1"})
    card = f"spot:{spot.key[_numbers(spot, Verdict.SIGNAL)[0] - 1].signals[0].indicator}"
    client.post(reverse("learning:review"), {"card": card, "rating": "easy"})
    assert card not in services.due_card_ids(learner)
    client.post(url, {"nothing": "1"})
    assert card in services.due_card_ids(learner)
    assert CardSchedule.objects.filter(user=learner, card_id=card).count() == 1
    assert CardSchedule.objects.get(user=learner, card_id=card).reviews == 1  # memory kept


def test_another_learners_attempt_and_cards_are_not_reachable(
    client: Client, org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    other = user_factory(Role.PROFESSIONAL, org_a)
    response = client_for(other).post(
        reverse("learning:spot_exercise", args=["hotel-receptie"]), {"nothing": "1"}
    )
    assert client.get(response["Location"]).status_code == 404
    card = SpotCard.objects.filter(user=other).first()
    assert card is not None
    page = client.get(reverse("learning:review"), {"show": f"spot:{card.indicator}"})
    assert f"spot:{card.indicator}" not in page.content.decode()


def test_an_unknown_note_is_404(client: Client) -> None:
    assert client.get(reverse("learning:spot_exercise", args=["geen-notitie"])).status_code == 404


def test_in_english_the_note_and_the_feedback_are_english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    spot = _note("politie-daan")
    page = client.get(reverse("learning:spot_exercise", args=[spot.id])).content.decode()
    assert escape(spot.key[1].text.en) in page
    assert escape(spot.key[1].text.nl) not in page
    assert "In which sentences do you see a signal about Daan?" in page
    ticked = _numbers(spot, Verdict.DECOY)
    response = client.post(
        reverse("learning:spot_exercise", args=[spot.id]), {"sentence": [str(n) for n in ticked]}
    )
    result = client.get(response["Location"]).content.decode()
    assert "Not a signal about Daan: this is about someone else" in result
    assert "Not a signal: the note says it is not there" in result
    label = default_library().indicators[spot.key[ticked[0] - 1].decoys[0].indicator].label.en
    assert escape(label) in result


def test_a_named_signal_is_stored_and_judged_in_the_feedback(client: Client, learner: User) -> None:
    spot = _note()
    first, second = _numbers(spot, Verdict.SIGNAL)[:2]
    right = spot.key[first - 1].signals[0].indicator
    url = reverse("learning:spot_exercise", args=[spot.id])
    page = client.get(url).content.decode()
    assert f'<select name="indicator-{first}" id="indicator-{first}">' in page
    assert f'<label for="indicator-{first}">' in page
    response = client.post(
        url, {f"indicator-{first}": right, f"indicator-{second}": "self_harm"}
    )  # naming without ticking counts as a tick
    attempt = SpotAttempt.objects.get(user=learner)
    assert (attempt.hits, attempt.named, attempt.named_right) == (2, 2, 1)
    assert SpotMark.objects.get(attempt=attempt, sentence=first).named == right
    result = client.get(response["Location"]).content.decode()
    assert "Signaal goed benoemd: 1 van 2" in result
    assert "Signaleren ziet hier iets anders." in result


def test_an_unknown_named_signal_is_refused_with_its_sentence(client: Client) -> None:
    url = reverse("learning:spot_exercise", args=["school-sanne"])
    response = client.post(url, {"sentence": "2", "indicator-3": "geen_signaal"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#indicator-3"' in page
    assert "Zin 3: kies een signaal uit de lijst." in page
    assert SpotAttempt.objects.count() == 0


def test_ticked_history_is_context_with_its_reason_not_a_false_alarm(
    client: Client, learner: User
) -> None:
    spot = _note()
    history = _numbers(spot, Verdict.HISTORY)
    assert history  # "een jaar geleden een keer weggelopen"
    ticked = [*_numbers(spot, Verdict.SIGNAL), *history]
    response = client.post(
        reverse("learning:spot_exercise", args=[spot.id]), {"sentence": [str(n) for n in ticked]}
    )
    attempt = SpotAttempt.objects.get(user=learner)
    assert (attempt.false_alarms, attempt.misses, attempt.percent) == (0, 0, 100)
    assert SpotMark.objects.get(attempt=attempt, sentence=history[0]).mark == "context"
    page = client.get(response["Location"]).content.decode()
    context = page[page.index('id="context-heading"') :]
    assert "Relevante voorgeschiedenis van Sanne" in context
    assert "niet voor en niet tegen je" in context


def test_a_disclosure_about_another_minor_shows_the_action_ticked_or_not(client: Client) -> None:
    spot = _note()
    lotte = next(s for s in spot.key if "Lotte" in s.text.nl)
    url = reverse("learning:spot_exercise", args=[spot.id])
    signals = _numbers(spot, Verdict.SIGNAL)
    # Left unticked (right: no signal about Sanne), the action is still shown.
    page = client.get(client.post(url, {"sentence": [str(n) for n in signals]})["Location"])
    text = page.content.decode()
    actions = text[text.index('id="actions-heading"') :]
    assert "Vraagt ook om actie:" in actions
    assert "meldcode" in actions
    assert "Stuur de beelden niet door" in actions
    # Ticked, it is a false alarm about Sanne, explained together with the action.
    ticked = [*signals, lotte.number]
    text = client.get(client.post(url, {"sentence": [str(n) for n in ticked]})["Location"])
    page_text = text.content.decode()
    false_alarms = page_text[page_text.index('id="false-heading"') : page_text.index('id="missed')]
    assert "Geen signaal over Sanne: dit gaat over iemand anders" in false_alarms
    assert "Vraagt ook om actie:" in false_alarms
    assert 'id="actions-heading"' not in page_text
