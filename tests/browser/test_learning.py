"""A learner in a real browser: explainer with reduced motion, a scenario, the quiz, a certificate;
axe finds no WCAG 2.1 AA violation on any learning page type."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.quiz import correct_answer
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.learning.models import LessonProgress, ScenarioRun
from tests.browser.conftest import run_axe
from tests.web.factories import PASSWORD, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/home/")


def test_learner_plays_explainer_walks_scenario_passes_quiz_and_gets_certificate(
    live_server: Any, page: Any
) -> None:
    content = load_learning_content()
    organisation = make_organisation("Gemeente Leerdam")
    learner = make_user(Role.PROFESSIONAL, organisation, username="leerling")
    learner.first_name, learner.last_name = "Noor", "Jansen"
    learner.save()
    base = live_server.url
    page.emulate_media(reduced_motion="reduce")
    _log_in(page, base, "leerling")

    page.get_by_role("link", name="Herkennen: uitbuiting herkennen").click()
    assert run_axe(page) == []

    # Explainer with reduced motion: starts paused, no animation, steps by button and keyboard.
    page.goto(base + "/learning/explainer/")
    status = page.locator("[data-status]")
    assert status.inner_text() == "Scène 1 van 5"
    assert page.locator(".explainer__scene:visible").count() == 1
    animation = page.evaluate(
        "getComputedStyle(document.querySelector('.explainer__scene .figure')).animationName"
    )
    assert animation == "none"
    page.get_by_role("button", name="Volgende scène").click()
    assert status.inner_text() == "Scène 2 van 5"
    page.keyboard.press("ArrowRight")
    assert status.inner_text() == "Scène 3 van 5"
    page.get_by_role("button", name="Afspelen").click()
    assert page.get_by_role("button", name="Pauzeren").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Pauzeren").click()
    assert page.locator(".transcript li").count() == 5
    assert run_axe(page) == []

    # A lesson page, then the rest of the lessons are marked read directly (not under test here).
    page.goto(base + f"/learning/lessons/{content.lessons[0].id}/")
    assert run_axe(page) == []
    page.get_by_role("button", name="Markeer als gelezen en ga naar de volgende les").click()
    for lesson in content.lessons[1:]:
        LessonProgress.objects.create(user=learner, lesson_id=lesson.id)

    # One scenario walked to an end through the pages; the others are recorded as finished.
    page.goto(base + "/learning/scenarios/")
    assert run_axe(page) == []
    page.locator("li.card", has_text="Zorgen om Mila").get_by_role("button").click()
    assert run_axe(page) == []
    page.get_by_role("button", name="Je stelt voor eerst met Mila te praten").click()
    assert page.get_by_text("Je koos: Je stelt voor eerst met Mila te praten").is_visible()
    assert page.get_by_text("Deze keuze leverde punten op").count() == 0  # verdicts wait
    page.get_by_role("button", name="Je vraagt hoe haar werktijden en school samengaan").click()
    page.get_by_role("button", name="Je bespreekt met de aandachtsfunctionaris").click()
    assert page.get_by_text("Twee weken later…").is_visible()  # time passing, told in words
    assert run_axe(page) == []
    page.get_by_role("button", name="Je vraagt hoe het met haar gaat").click()
    assert page.get_by_role("heading", name="Goede afloop").is_visible()
    assert page.get_by_role("heading", name="Signalen die je opmerkte").is_visible()
    assert page.get_by_role("heading", name="Signalen die je miste").is_visible()
    assert page.get_by_role("heading", name="Aannames achter je keuzes").is_visible()
    assert run_axe(page) == []
    for scenario in content.scenarios:
        if scenario.id != "geen-uitbuiting":
            ScenarioRun.objects.create(
                user=learner,
                scenario_id=scenario.id,
                node_id="end",
                finished_at="2026-01-01T00:00:00Z",
                outcome="good",
                content_sha256=content.sha256,
            )

    # The quiz: an empty submit is refused with an error summary that takes the focus; then
    # every question answered correctly (found by its text: the order differs per attempt).
    page.goto(base + "/learning/quiz/")
    assert run_axe(page) == []
    page.get_by_role("button", name="Controleer mijn antwoorden").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert summary.locator("li").count() == content.quiz.per_attempt
    assert run_axe(page) == []
    answered = 0
    for question in content.quiz.questions:  # only this attempt's drawn questions are shown
        shown = page.locator(".quiz__question", has_text=question.prompt.nl)
        if shown.count() == 0:
            continue
        shown.get_by_label(correct_answer(question).text.nl, exact=True).check()
        answered += 1
    assert answered == content.quiz.per_attempt
    page.get_by_role("button", name="Controleer mijn antwoorden").click()
    assert "Je hebt de quiz gehaald." in page.locator(".result").inner_text()
    assert run_axe(page) == []

    # Key cards: the rating buttons appear only after the answer is shown (a form step).
    page.goto(base + "/learning/review/")
    assert page.get_by_role("button", name="Goed").count() == 0
    page.get_by_role("button", name="Toon het antwoord").click()
    assert run_axe(page) == []
    page.get_by_role("button", name="Goed").click()

    # The certificate.
    page.goto(base + "/learning/certificate/")
    page.get_by_role("button", name="Maak mijn certificaat").click()
    assert run_axe(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="(pdf)").click()
    pdf = download_info.value
    data = open(pdf.path(), "rb").read()  # noqa: SIM115 - a temporary download file, read once
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Noor Jansen" in text
    assert "Gemeente Leerdam" in text
    code = page.locator("td code").first.inner_text()
    assert code in text

    # The public verification page, signed out.
    page.context.clear_cookies()
    page.goto(base + "/learning/certificates/verify/?code=" + code)
    assert "Geldig certificaat." in page.locator("[role=status]").inner_text()
    assert "Noor" not in page.content()
    assert run_axe(page) == []


def test_trainer_and_settings_pages_pass_axe(live_server: Any, page: Any) -> None:
    organisation = make_organisation("Gemeente Trainstad")
    make_user(Role.TRAINER, organisation, username="trainer")
    _log_in(page, live_server.url, "trainer")
    page.goto(live_server.url + "/learning/trainer/")
    assert "Leerresultaten van Gemeente Trainstad" in page.locator("h1").inner_text()
    assert run_axe(page) == []


def test_trainer_assigns_a_track_and_track_pages_pass_axe_on_a_phone(
    live_server: Any, page: Any
) -> None:
    import datetime as dt

    organisation = make_organisation("Gemeente Routestad")
    make_user(Role.TRAINER, organisation, username="routetrainer")
    learner = make_user(Role.PROFESSIONAL, organisation, username="routeleerling")
    learner.first_name, learner.last_name = "Noor", "Jansen"
    learner.save()
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server.url, "routetrainer")
    page.goto(live_server.url + "/learning/trainer/assignments/")
    assert run_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Leerroute").select_option("jeugdzorg")
    deadline = (dt.date.today() + dt.timedelta(days=21)).isoformat()
    page.get_by_label("Deadline").fill(deadline)
    page.get_by_label("Noor Jansen").check()
    page.get_by_role("button", name="Toewijzen").click()
    page.wait_for_url("**/trainer/assignments/*/")
    assert page.locator("h1").inner_text() == "Jeugdzorg"
    assert "Noor Jansen" in page.locator("table").inner_text()
    assert run_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.context.clear_cookies()
    _log_in(page, live_server.url, "routeleerling")
    for path in ("/learning/", "/learning/tracks/", "/learning/tracks/jeugdzorg/changes/"):
        page.goto(live_server.url + path)
        assert run_axe(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(live_server.url + "/learning/")
    assert "Je volgt de route Jeugdzorg." in page.locator("main").inner_text()
