"""Decision log pages in a real browser: every page type passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from tests.browser.conftest import run_axe
from tests.web.audit.conftest import make_record
from tests.web.factories import make_organisation, make_user, verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    """Reuse a verified Django session in the browser (login itself is tested elsewhere)."""
    client = verified_client(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_auditor_pages_have_no_axe_violations(live_server: Any, page: Any) -> None:
    organisation = make_organisation("Gemeente Logdam")
    professional = make_user(Role.PROFESSIONAL, organisation)
    make_record(professional, motivation="Gedeeld na het casusoverleg.")
    make_record(professional, recipient="veilig_thuis", purpose="victim_protection")
    auditor = make_user(Role.AUDITOR, organisation)
    _login(page, live_server, auditor)

    page.goto(live_server.url + "/audit/")
    assert page.locator("h1").inner_text() == "Besluitenlog" or page.locator("table").count() == 1
    assert run_axe(page) == []
    page.goto(live_server.url + "/audit/?date_from=2025-13-01")
    assert page.locator(".error-summary").is_visible()
    assert run_axe(page) == []
    page.goto(live_server.url + "/audit/1/")
    assert "Gedeeld na het casusoverleg." in page.content()
    assert run_axe(page) == []
    page.goto(live_server.url + "/audit/verify/")
    assert run_axe(page) == []
    page.goto(live_server.url + "/audit/activity/?kind=decision_viewed")
    assert page.locator("table tbody tr").count() >= 1
    assert run_axe(page) == []
    page.goto(live_server.url + "/audit/1/redact/")
    page.fill("textarea[name=reason]", "Verzoek art. 17 AVG van 3 maart 2026.")
    page.click("form.form button[type=submit]")
    assert "[verwijderd / redacted]" in page.content()
    assert run_axe(page) == []


def test_retention_page_has_no_axe_violations(live_server: Any, page: Any) -> None:
    admin = make_user(Role.ORG_ADMIN, make_organisation("Gemeente Bewaarstad"))
    _login(page, live_server, admin)
    page.goto(live_server.url + "/audit/retention/")
    assert run_axe(page) == []


def test_public_keys_page_has_no_axe_violations_and_fits_a_phone(
    live_server: Any, page: Any
) -> None:
    make_record(make_user(Role.PROFESSIONAL, make_organisation("Gemeente Sleutelstad")))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/audit/public-keys/")  # anonymous: the keys are public
    assert page.locator("h1").count() == 1
    assert page.locator("code.hash").count() >= 1
    assert run_axe(page) == []
    # No horizontal scrolling of the page at 390 px (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
