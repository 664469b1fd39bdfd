"""Herkennen pages through HTTP: overview, lessons, explainer, scenarios, quiz, key cards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning.models import (
    CardSchedule,
    LessonProgress,
    QuizAttempt,
    ScenarioChoice,
    ScenarioRun,
)
from tests.web.learning.conftest import play, quiz_answers

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(learner: User, client_for: ClientFor) -> Client:
    return client_for(learner)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("learning:index", {}),
        ("learning:lesson", {"lesson_id": "wat-is-uitbuiting"}),
        ("learning:explainer", {}),
        ("learning:explainer_trajectory", {"trajectory_id": "eigen-aannames"}),
        ("learning:explainer_present", {"trajectory_id": "eigen-aannames"}),
        ("learning:scenarios", {}),
        ("learning:quiz", {}),
        ("learning:review", {}),
        ("learning:certificate", {}),
    ],
)
def test_learner_pages_open_in_dutch(client: Client, name: str, kwargs: dict[str, str]) -> None:
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


def test_every_role_with_an_organisation_can_learn(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    for role in (
        Role.PROFESSIONAL,
        Role.TRAINER,
        Role.CONTENT_EDITOR,
        Role.AUDITOR,
        Role.ORG_ADMIN,
    ):
        response = client_for(user_factory(role, org_a)).get(reverse("learning:index"))
        assert response.status_code == 200, role


def test_platform_admin_without_organisation_gets_404(
    user_factory: Factory, client_for: ClientFor, db: None
) -> None:
    admin = user_factory(Role.PLATFORM_ADMIN, None)
    assert client_for(admin).get(reverse("learning:index")).status_code == 404


def test_home_shows_the_module_and_due_cards(client: Client) -> None:
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("learning:index") in page
    deck = len(load_learning_content().cards)
    assert f"{deck} kernkaarten om te herhalen" in page


def test_lesson_shows_sources_with_year_and_uncertainty_marks(client: Client) -> None:
    page = client.get(reverse("learning:lesson", args=["wat-is-uitbuiting"])).content.decode()
    assert "Kamerstuk 36 547" in page
    assert "2024" in page
    assert "Onzeker:" in page
    assert "niet gecontroleerd tegen de primaire tekst" in page
    assert "Kamerstuk 36 835" in page
    assert "Stand per 5 december 2026" in page
    assert "officieel rapport" in page


def test_english_learner_reads_english_content(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("learning:lesson", args=["wat-is-uitbuiting"])).content.decode()
    assert "Three elements: act, means, purpose" in page


def test_marking_a_lesson_read_is_stored_once_and_moves_on(client: Client, learner: User) -> None:
    url = reverse("learning:lesson", args=["wat-is-uitbuiting"])
    response = client.post(url)
    client.post(url)
    assert response["Location"] == reverse("learning:lesson", args=["voorbij-het-loverboybeeld"])
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_unknown_lesson_and_trajectory_are_404(client: Client) -> None:
    assert client.get(reverse("learning:lesson", args=["nope"])).status_code == 404
    assert client.get(reverse("learning:explainer_trajectory", args=["nope"])).status_code == 404


def test_a_link_into_delen_is_a_link_only_when_the_page_exists(client: Client) -> None:
    from django.urls import NoReverseMatch

    page = client.get(reverse("learning:lesson", args=["rechtmatig-delen"])).content.decode()
    assert "Naar Delen" in page
    try:
        target = reverse("sharing:start")
    except NoReverseMatch:
        assert "nog niet beschikbaar" in page
    else:
        assert f'href="{target}"' in page


def test_explainer_has_player_controls_transcript_and_a_static_js_file(client: Client) -> None:
    page = client.get(reverse("learning:explainer")).content.decode()
    assert "data-explainer" in page
    assert "Transcriptie" in page
    assert page.count('class="explainer__scene"') >= 4
    assert "learning/explainer.js" in page
    assert "<script>" not in page
    assert client.get("/static/learning/explainer.js").status_code == 200


def test_scenario_walk_one_node_per_page_with_feedback_only_at_the_ending(
    client: Client, learner: User
) -> None:
    run_id = play(client, "geen-uitbuiting", ["eerst-vragen", "rooster"])
    page = client.get(reverse("learning:run", args=[run_id])).content.decode()
    # Issue 13: during a run only what happened, no verdict that a retry could follow.
    assert "Je koos:" in page
    assert "Feedback op je keuze" not in page
    assert "Deze keuze leverde punten op." not in page
    assert "Goed:" not in page
    assert "Wat doe je?" in page
    assert "Twee weken later…" not in page
    client.post(reverse("learning:run", args=[run_id]), {"choice": "afweging"})
    page = client.get(reverse("learning:run", args=[run_id])).content.decode()
    assert '<p class="time-passed">Twee weken later…</p>' in page
    client.post(reverse("learning:run", args=[run_id]), {"choice": "hoe-gaat-het"})
    run = ScenarioRun.objects.get(pk=run_id)
    assert run.finished_at is not None
    assert (run.score, run.max_score, run.outcome) == (14, 14, "good")
    page = client.get(reverse("learning:run", args=[run_id])).content.decode()
    assert "Goede afloop" in page
    assert "geen uitbuiting" in page
    assert "Jouw rol: school" in page
    path = page.split('<ol class="path">')[1].split("</ol>")[0]
    assert path.count("Deze keuze leverde punten op.") == 4
    assert "Goed: meldcode stap 1 en 3." in path
    assert "Deze ronde telt mee voor je certificaat." in page


def test_the_debrief_lists_signals_noticed_and_missed_and_the_assumptions(
    client: Client, learner: User
) -> None:
    run_id = play(client, "geen-uitbuiting", ["ouders-bellen", "toch-wantrouwen", "negeren"])
    client.post(reverse("learning:run", args=[run_id]), {"choice": "niets-zeggen"})
    run = ScenarioRun.objects.get(pk=run_id)
    assert run.outcome == "mixed"  # trust fell: Mila keeps her distance
    page = client.get(reverse("learning:run", args=[run_id])).content.decode()
    noticed = page.split("<h3>Signalen die je opmerkte</h3>")[1].split("<h3>")[0]
    missed = page.split("<h3>Signalen die je miste</h3>")[1].split("<h3>")[0]
    assert "Een vriend van 19" in noticed
    assert "Nieuwe kleren" in missed
    assert "Een bijbaan die de kleren" in missed
    assert "In deze casus waren 4 signalen; jouw route zag er 1 van." in page
    assumptions = page.split("<h3>Aannames achter je keuzes</h3>")[1].split("<h3>")[0]
    assert "Ouders weten altijd wat er speelt." in assumptions
    assert "Een goede verklaring is verdacht" in assumptions
    assert "deze keuze kostte punten" in assumptions
    assert "Vertrouwen van Mila in jou: gedaald" in page
    assert "Verstreken tijd: 2 weken." in page


def test_jumping_to_conclusions_is_penalised(client: Client) -> None:
    run_id = play(client, "geen-uitbuiting", ["meteen-melden"])
    run = ScenarioRun.objects.get(pk=run_id)
    assert (run.score, run.percent, run.outcome) == (-3, 0, "poor")
    assert ScenarioChoice.objects.get(run=run).points == -3


def test_a_choice_not_on_offer_changes_nothing(client: Client) -> None:
    run_id = play(client, "geen-uitbuiting", [])
    response = client.post(reverse("learning:run", args=[run_id]), {"choice": "rooster"})
    assert response.status_code == 302
    assert ScenarioRun.objects.get(pk=run_id).node_id == "start"
    assert not ScenarioChoice.objects.filter(run_id=run_id).exists()


def test_scenario_form_needs_csrf(learner: User) -> None:
    from tests.web.factories import verified_client

    client = verified_client(learner)
    client.handler.enforce_csrf_checks = True  # type: ignore[attr-defined]
    response = client.post(reverse("learning:scenario_start", args=["geen-uitbuiting"]))
    assert response.status_code == 403


def test_another_users_run_is_404(
    client: Client, org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    run_id = play(client, "geen-uitbuiting", [])
    other = client_for(user_factory(Role.PROFESSIONAL, org_a))
    assert other.get(reverse("learning:run", args=[run_id])).status_code == 404
    assert other.post(reverse("learning:run", args=[run_id]), {"choice": "x"}).status_code == 404


def test_quiz_stores_the_attempt_and_shows_feedback_with_sources(
    client: Client, learner: User
) -> None:
    answers = quiz_answers(client, correct=True)
    wrong = quiz_answers(client, correct=False)  # the same open draw, so the same order
    first = next(key for key in answers if key.startswith("q-"))
    answers[first] = wrong[first]
    response = client.post(reverse("learning:quiz"), answers)
    attempt = QuizAttempt.objects.get(user=learner)
    assert response["Location"] == reverse("learning:quiz_result", args=[attempt.pk])
    total = load_learning_content().quiz.per_attempt
    assert (attempt.correct, attempt.total, attempt.passed) == (total - 1, total, True)
    page = client.get(response["Location"]).content.decode()
    assert "Het juiste antwoord:" in page
    assert "Bron:" in page


def test_another_users_quiz_attempt_is_404(
    client: Client, org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    client.post(reverse("learning:quiz"), quiz_answers(client))
    attempt = QuizAttempt.objects.get()
    other = client_for(user_factory(Role.TRAINER, org_a))
    assert other.get(reverse("learning:quiz_result", args=[attempt.pk])).status_code == 404


def test_reviewing_a_card_schedules_it_and_lowers_the_due_count(
    client: Client, learner: User
) -> None:
    deck = load_learning_content().cards
    page = client.get(reverse("learning:review")).content.decode()
    assert deck[0].front.nl in page
    assert "Toon het antwoord" in page
    response = client.post(reverse("learning:review"), {"card": deck[0].id, "rating": "good"})
    assert response.status_code == 302
    schedule = CardSchedule.objects.get(user=learner, card_id=deck[0].id)
    assert schedule.reviews == 1
    assert schedule.last_rating == "good"
    home = client.get(reverse("core:home")).content.decode()
    assert f"{len(deck) - 1} kernkaarten om te herhalen" in home


def test_an_invalid_rating_is_refused(client: Client, learner: User) -> None:
    card = load_learning_content().cards[0]
    client.post(reverse("learning:review"), {"card": card.id, "rating": "perfect"})
    assert not CardSchedule.objects.filter(user=learner).exists()


def test_a_time_sensitive_card_shows_its_stand_per_date(client: Client) -> None:
    deck = [card.id for card in load_learning_content().cards]
    for card_id in deck[: deck.index("herziening")]:
        client.post(reverse("learning:review"), {"card": card_id, "rating": "good"})
    page = client.get(reverse("learning:review")).content.decode()
    assert "Geldt de herziening van art. 273f" in page
    assert "Stand per" not in page  # the back, with its date, only after "show the answer"
    page = client.get(reverse("learning:review"), {"show": "herziening"}).content.decode()
    assert "Stand per 5 december 2026; dit kan veranderen." in page
