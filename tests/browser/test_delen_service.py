"""Issue 15 in a real browser: the one-screen answer, check your answers, a resumed draft.

At 1280 and 390 px wide every Delen page type passes axe (WCAG 2.1 A/AA) and does not scroll
sideways; the one-screen answer is measured where the browser lays it out.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.conftest import run_axe
from tests.browser.test_sharing import answer_current_question, answer_until_summary, log_in
from tests.web.factories import PASSWORD
from tests.web.sharing.conftest import WITH_CONDITIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
# What sticks out on the right, for the failure message.
WIDE_ELEMENTS = """w => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && out.length < 6) {
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        const right = range.getBoundingClientRect().right;
        if (right > w + 1) {
            const parent = walker.currentNode.parentElement;
            out.push(`${parent.tagName}.${parent.className} ${Math.round(right)}: `
                + walker.currentNode.textContent.trim().slice(0, 60));
        }
    }
    return out;
}"""


def assert_accessible_at_both_widths(page: Any) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert run_axe(page) == [], (width, page.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            width,
            page.url,
            page.evaluate(WIDE_ELEMENTS, width),
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def test_wizard_with_a_change_from_the_summary_and_a_resumed_draft(
    live_server: Any, page: Any
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    draft_url = page.url
    for fact in ("sender", "recipient", "purpose"):
        assert answer_current_question(page, WITH_CONDITIONS) == fact
        page.wait_for_load_state()

    # Log out and in again: the start page lists the draft with its progress, and it resumes.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("delen")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/home/")
    page.goto(live_server.url + "/sharing/")
    drafts = page.locator(".drafts")
    assert "3 van ongeveer" in drafts.inner_text()
    assert_accessible_at_both_widths(page)
    drafts.get_by_role("link", name="Gemeente (college) → RIEC").click()
    page.wait_for_url(draft_url)
    assert page.locator('input[name="fact"]').get_attribute("value") == "setting"

    # "Weet ik niet" where the data allow it; the question page passes axe with it.
    answer_until_personal_data = {**WITH_CONDITIONS}
    while page.locator('input[name="fact"]').get_attribute("value") != "personal_data":
        answer_current_question(page, answer_until_personal_data)
        page.wait_for_load_state()
    assert page.get_by_label("Weet ik niet").is_visible()
    assert_accessible_at_both_widths(page)
    answer_until_summary(page, WITH_CONDITIONS)

    # The summary: one "Wijzig" per answer; change the pattern to structural sharing, which
    # asks about a DPIA first and then returns to the summary.
    assert page.title().startswith("Controleer uw antwoorden")
    assert_accessible_at_both_widths(page)
    rows = page.locator(".summary-list__row")
    assert page.get_by_role("link", name="Wijzig").count() == rows.count()
    page.locator(".summary-list__row", has_text="één geval").get_by_role(
        "link", name="Wijzig"
    ).click()
    page.wait_for_url("**/change/pattern/")
    assert page.get_by_label("Structureel of herhaald").count() == 1
    page.get_by_label("Structureel of herhaald").check()
    page.get_by_role("button", name="Opslaan en terug naar uw antwoorden").click()
    page.wait_for_url(draft_url)
    assert page.locator('input[name="fact"]').get_attribute("value") == "dpia"
    page.get_by_label("Uitgevoerd").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/check/")
    assert "Structureel of herhaald" in page.locator(".summary-list").inner_text()

    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**/result/")
    assert_accessible_at_both_widths(page)


def test_an_allowed_with_conditions_answer_fits_one_screen_at_1280(
    live_server: Any, page: Any
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    answer_until_summary(page, WITH_CONDITIONS)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**/result/")
    assert "outcome--allowed_with_conditions" in page.locator(".outcome").get_attribute("class")

    def bottom(selector: str) -> float:
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        return float(box["y"] + box["height"])

    # The outcome, the whole conditions list and the next step (with the save link) are above
    # y = 900 without scrolling.
    for selector in (".outcome", ".result__conditions .checklist", ".result__next"):
        assert bottom(selector) < 900, (selector, bottom(selector))
    print(f"one-screen answer at 1280 px: next step ends at y = {bottom('.result__next'):.0f}")
    # The checks folded away are there, one click away.
    details = page.locator("details.all-checks")
    assert not details.evaluate("d => d.open")
    details.locator(":scope > summary").click()
    assert "niet van toepassing" in details.inner_text()
    assert_accessible_at_both_widths(page)

    # A link to a draft that is not there (deleted, expired, someone else's) explains itself.
    page.goto(live_server.url + f"/sharing/assess/{uuid.uuid4()}/")
    assert page.locator("h1").inner_text() == "Deze toets is niet gevonden"
    assert_accessible_at_both_widths(page)


def test_radio_questions_show_the_servers_error_not_the_browsers(
    live_server: Any, page: Any
) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fout: ")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Kies een antwoord" in page.locator(".error-summary").inner_text()
    assert_accessible_at_both_widths(page)
