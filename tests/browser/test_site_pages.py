"""Top navigation and service pages at 390 px: no sideways scrolling, axe (WCAG 2.1 AA) clean."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from tests.browser.conftest import run_axe
from tests.web.factories import make_organisation, make_user, verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    """Reuse a verified Django session in the browser (login itself is tested elsewhere)."""
    client = verified_client(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _overflows(page: Any) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )


def test_navigation_at_390_px_wraps_marks_the_section_and_passes_axe(
    live_server: Any, page: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    organisation = make_organisation("Gemeente Smalstad")
    _login(page, live_server, make_user(Role.PROFESSIONAL, organisation))

    page.goto(live_server.url + "/sharing/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    for label in ("Delen", "Herkennen", "Signaleren", "Verantwoorden", "Zoeken", "Help"):
        link = nav.get_by_role("link", name=label, exact=True)
        assert link.is_visible(), label
        box = link.bounding_box()
        assert box is not None, label
        assert box["x"] + box["width"] <= 390, label
    assert nav.get_by_role("button", name="Uitloggen").is_visible()
    assert nav.locator('[aria-current="page"]').inner_text() == "Delen"
    assert not _overflows(page)
    assert run_axe(page) == []

    # Keyboard: the skip link still comes first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    nav.get_by_role("link", name="Help", exact=True).click()
    page.wait_for_url("**/help/")
    assert nav.locator('[aria-current="page"]').inner_text() == "Help"
    assert not _overflows(page)
    assert run_axe(page) == []


@pytest.mark.parametrize("path", ["/glossary/", "/search/?q=uitbuiting", "/privacy/"])
def test_service_pages_at_390_px_pass_axe(live_server: Any, page: Any, path: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, make_user(Role.PROFESSIONAL, make_organisation()))
    page.goto(live_server.url + path)
    assert not _overflows(page)
    assert run_axe(page) == []


def test_accessibility_statement_is_public_and_passes_axe(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/accessibility/")
    assert page.locator("h1").inner_text() == "Toegankelijkheidsverklaring"
    assert run_axe(page) == []
