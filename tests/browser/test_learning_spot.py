"""Spot the signal in a real browser: an empty submit shows the error summary, a learner ticks
sentences, the feedback explains hits, false alarms and misses, and the missed signal waits as
a key card; axe finds no WCAG 2.1 AA violation at 1280 and 390 px, and nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.spot import Verdict
from ketenwijs.signals import default_library
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.learning.models import SpotAttempt
from tests.browser.conftest import run_axe
from tests.web.factories import PASSWORD, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/home/")


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert run_axe(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_learner_spots_signals_and_gets_explained_feedback(
    live_server: Any, page: Any, width: int
) -> None:
    spot = load_learning_content().spot_note("school-sanne")
    assert spot is not None
    signals = [s for s in spot.key if s.verdict is Verdict.SIGNAL]
    other = next(s for s in spot.key if any(m.reason == "other_person" for m in s.decoys))
    history = next(s for s in spot.key if s.verdict is Verdict.HISTORY)
    learner = make_user(Role.PROFESSIONAL, make_organisation("Gemeente Leerdam"), username="ls")
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, base, "ls")

    page.goto(base + "/learning/")
    page.get_by_role("link", name="Zie het signaal in een casusnotitie").click()
    _fits(page, width)
    page.get_by_role("link", name=spot.note.title.nl).click()
    _fits(page, width)

    # An empty submit: the error summary takes focus and links to the first sentence.
    page.get_by_role("button", name="Controleer mijn keuzes").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "Kies ten minste één zin of geef aan dat je niets ziet." in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    _fits(page, width)
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "sentence-1"

    # Tick every signal but the first, the sentence about her friend (a false alarm) and her
    # running away a year ago (relevant history: context, not a false alarm).
    for sentence in [*signals[1:], other, history]:
        page.get_by_label(sentence.text.nl).check()
    # Name the signal of one sentence (optional): a disclosure with a labelled list.
    named = signals[1]
    named_spec = default_library().indicators[named.signals[0].indicator]
    page.get_by_text(f"Noem het signaal in zin {named.number} (mag)").click()
    page.get_by_label(f"Welk signaal staat in zin {named.number}?").select_option(named_spec.id)
    _fits(page, width)
    page.get_by_role("button", name="Controleer mijn keuzes").click()
    page.wait_for_url("**/learning/spot/attempts/**")
    attempt = SpotAttempt.objects.get(user=learner)
    assert (attempt.hits, attempt.false_alarms, attempt.misses) == (len(signals) - 1, 1, 1)

    body = page.locator("main").inner_text()
    assert "Signaal goed benoemd: 1 van 1" in body
    assert f"Je noemde: {named_spec.label.nl}. Goed." in body
    assert "Geen signaal over Sanne: dit gaat over iemand anders" in body
    # ... but a disclosure about another minor still asks for action.
    assert "Vraagt ook om actie:" in body
    assert "Stuur de beelden niet door" in body
    context = page.locator(
        "section", has=page.get_by_role("heading", name="Context, geen signaal")
    ).inner_text()
    assert "Relevante voorgeschiedenis van Sanne" in context
    missed = default_library().indicators[signals[0].signals[0].indicator]
    missed_section = page.locator(
        "section", has=page.get_by_role("heading", name="Signalen die je miste")
    )
    assert missed.label.nl in missed_section.inner_text()
    assert "is nu een kernkaart in je stapel" in missed_section.inner_text()
    _fits(page, width)

    # The missed signal is a key card now: front with the exercise sentence, then the answer.
    missed_section.get_by_role("link", name="Kernkaarten herhalen").click()
    page.goto(base + f"/learning/review/?show=spot:{missed.id}")
    assert signals[0].text.nl in page.locator(".flashcard__front").inner_text()
    assert missed.description.nl in page.locator(".flashcard__back").inner_text()
    _fits(page, width)
