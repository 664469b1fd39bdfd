"""A professional completes a sharing assessment in a real browser; each page type passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from tests.browser.conftest import run_axe
from tests.web.factories import PASSWORD, make_organisation, make_user
from tests.web.sharing.conftest import WITH_CONDITIONS, form_value

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base_url: str) -> None:
    user = make_user(Role.PROFESSIONAL, make_organisation("Gemeente Deelstad"), username="delen")
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/home/")


def answer_current_question(page: Any, answers: dict[str, object]) -> str:
    fact = page.locator('input[name="fact"]').get_attribute("value")
    values = form_value(answers[fact])
    for value in values if isinstance(values, list) else [values]:
        page.locator(f'input[name="value"][value="{value}"]').check()
    page.locator("form.question button[type=submit]").click()
    return str(fact)


def answer_until_summary(page: Any, answers: dict[str, object], limit: int = 30) -> list[str]:
    """Answer each question until the wizard shows the summary (check your answers)."""
    asked: list[str] = []
    while "/check/" not in page.url:
        asked.append(answer_current_question(page, answers))
        page.wait_for_load_state()
        assert len(asked) < limit, asked
    return asked


def test_professional_completes_an_assessment_without_axe_violations(
    live_server: Any, page: Any
) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    assert run_axe(page) == []

    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    # The start page's buttons answered the acute-danger question: the first question is next.
    assert page.locator("h1").inner_text() == (
        "Wie deelt de informatie (namens welke organisatie handelt u)?"
    )
    assert run_axe(page) == []

    answers = {**WITH_CONDITIONS, "sender": "police", "recipient": "municipality"}
    asked = []
    while "/check/" not in page.url:
        fact = page.locator('input[name="fact"]').get_attribute("value")
        if fact in {"data_categories", "authorisation"}:
            # Checkboxes, and an article marked "not verified": both pass axe too.
            assert run_axe(page) == []
        asked.append(answer_current_question(page, answers))
        page.wait_for_load_state()
        assert len(asked) < 30
    assert {"data_categories", "authorisation"} <= set(asked)
    assert run_axe(page) == []
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**/result/")

    assert page.locator(".outcome").is_visible()
    assert page.locator(".disclaimer").inner_text().startswith("Ketenwijs ondersteunt uw besluit")
    assert page.get_by_role("link", name="Opslaan als besluit").is_visible()
    assert run_axe(page) == []

    page.goto(live_server.url + "/sharing/infographic/")
    image = page.locator("figure.infographic img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert run_axe(page) == []


def test_urgency_entry_answers_first_in_the_browser(live_server: Any, page: Any) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator('button[name="entry"][value="urgent"]').click()
    page.wait_for_url("**/sharing/assess/**")
    answer_current_question(page, {"sender": "school"})
    page.wait_for_load_state()
    answer_current_question(page, {"recipient": "veilig_thuis"})
    page.wait_for_url("**/result/")
    assert "outcome--allowed_with_conditions" in page.locator(".outcome").get_attribute("class")
    assert page.locator(".paperwork button").is_visible()
    assert run_axe(page) == []


def test_compare_two_dates_is_accessible_and_scrolls_inside_its_box_at_390px(
    live_server: Any, page: Any
) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator("#id_reference_date").fill("2025-06-01")
    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    answer_until_summary(page, WITH_CONDITIONS)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**/result/")

    page.get_by_label("Vergelijk met een andere peildatum").fill("2024-06-01")
    page.get_by_role("button", name="Vergelijken", exact=True).click()
    page.wait_for_url("**/compare/?compare_date=2024-06-01")
    table = page.get_by_role("table")
    assert table.is_visible()
    assert "Datum A" in table.locator("thead").inner_text()
    assert page.locator("tr.compare-table__changed").count() >= 1
    assert run_axe(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    # The page itself never scrolls sideways; the table scrolls inside its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.locator(".table-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")


def test_law_text_opens_beside_a_citation_at_390_px_without_axe_violations(
    live_server: Any, page: Any
) -> None:
    # Issue 12: the law's own words in a <details> next to each cited article; opened on a
    # narrow screen it neither scrolls sideways nor breaks accessibility.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator('input[name="reference_date"]').fill("2025-06-01")
    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    answer_until_summary(page, WITH_CONDITIONS)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**/result/")
    page.locator("details.all-checks > summary").click()  # the checks are folded (issue 15)
    details = page.locator("details.law-text")
    assert details.count() > 0
    for i in range(details.count()):
        details.nth(i).locator("summary").click()
    opened = details.first
    assert "Wettekst (geldend op 1 juni 2025)" in opened.locator("summary").inner_text()
    assert opened.locator(".law-text__link a").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert run_axe(page) == []
