"""The error summary in a browser, CSP on: focus lands on it, its links put focus in the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refused_login_moves_focus_to_the_summary_and_its_link_to_the_field(
    live_server: Any, page: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector("[data-error-summary]")

    assert page.title().startswith("Fout: ")
    focused = page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert focused, "focus is on the error summary after the refused submit"
    assert page.locator("main > :first-child").get_attribute("class") == "error-summary"
    page.locator("[data-error-summary] a").first.click()
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    assert run_axe(page) == []
