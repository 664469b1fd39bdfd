"""Issue 13, in a real browser: the quiz differs per attempt, and a learner who games it (always
the first option shown, or always the longest) gets no certificate."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.learning.models import Certificate, LessonProgress, ScenarioRun
from tests.browser.conftest import run_axe
from tests.web.factories import PASSWORD, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/home/")


def _attempt(page: Any, base: str, pick: str) -> tuple[list[str], str]:
    """Answer every shown question with the first or the longest option; return what was shown
    (legends and option labels in order) and the result text."""
    page.goto(base + "/learning/quiz/")
    shown = []
    for fieldset in page.locator("fieldset.quiz__question").all():
        labels = fieldset.locator("label").all()
        texts = [label.inner_text() for label in labels]
        shown.append(fieldset.locator("legend").inner_text() + " | " + " / ".join(texts))
        index = 0 if pick == "first" else max(range(len(texts)), key=lambda i: len(texts[i]))
        labels[index].click()
    page.get_by_role("button", name="Controleer mijn antwoorden").click()
    return shown, page.locator(".result").inner_text()


def test_gaming_the_quiz_fails_and_earns_no_certificate(live_server: Any, page: Any) -> None:
    content = load_learning_content()
    organisation = make_organisation("Gemeente Proefstad")
    learner = make_user(Role.PROFESSIONAL, organisation, username="gokker")
    # Everything else done, so only the quiz stands between the learner and a certificate.
    for lesson in content.lessons:
        LessonProgress.objects.create(user=learner, lesson_id=lesson.id)
    for scenario in content.scenarios:
        ScenarioRun.objects.create(
            user=learner,
            scenario_id=scenario.id,
            node_id="end",
            finished_at="2026-01-01T00:00:00Z",
            outcome="good",
            content_sha256=content.sha256,
        )
    base = live_server.url
    _log_in(page, base, "gokker")

    first, result = _attempt(page, base, "first")
    assert len(first) == content.quiz.per_attempt
    assert "Je hebt de quiz gehaald." not in result
    assert run_axe(page) == []
    second, result = _attempt(page, base, "longest")
    assert "Je hebt de quiz gehaald." not in result
    # Another draw, or the same questions with the options in another order.
    assert second != first

    page.goto(base + "/learning/certificate/")
    done = re.search(r"goede afloop: (\d+) van (\d+)", page.locator("main").inner_text())
    assert done is not None
    assert done.group(1) == done.group(2)
    assert page.get_by_role("link", name="Quiz: nog niet gehaald").is_visible()
    assert page.get_by_role("button", name="Maak mijn certificaat").count() == 0
    assert not Certificate.objects.filter(user=learner).exists()
    assert run_axe(page) == []
