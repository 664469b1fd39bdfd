"""A real browser logs in with password and TOTP; every page on the way passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts.constants import Role
from tests.browser.conftest import run_axe
from tests.web.factories import PASSWORD, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_logs_in_with_totp_and_home_page_has_no_axe_violations(
    live_server: Any, page: Any
) -> None:
    organisation = make_organisation("Gemeente Browserdam")
    admin = make_user(Role.ORG_ADMIN, organisation, username="beheerder", with_device=True)
    device = TOTPDevice.objects.get(user=admin)

    page.goto(live_server.url + "/")
    assert run_axe(page) == []
    page.get_by_role("link", name="Inloggen").click()
    assert run_axe(page) == []
    page.get_by_label("Gebruikersnaam").fill(admin.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url("**/accounts/verify/**")
    assert page.locator("h1").inner_text() == "Tweestapsverificatie"
    assert run_axe(page) == []
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("Code uit uw authenticator-app").fill(code)
    page.get_by_role("button", name="Controleren").click()

    page.wait_for_url("**/home/")
    assert "Welkom" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Gebruikers beheren").is_visible()
    assert run_axe(page) == []

    page.get_by_role("link", name="Gebruikers beheren").click()
    assert run_axe(page) == []

    # Keyboard: the skip link is the first stop and moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_totp_setup_page_has_no_axe_violations(live_server: Any, page: Any) -> None:
    organisation = make_organisation("Gemeente Instelstad")
    auditor = make_user(Role.AUDITOR, organisation, username="auditor")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(auditor.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/two-step/**")
    assert page.locator("img[alt]").count() == 1
    assert run_axe(page) == []
    # An invalid code shows an error summary that is itself accessible.
    page.get_by_label("Code uit uw authenticator-app").fill("000000")
    page.get_by_role("button", name="Inschakelen").click()
    assert page.locator(".error-summary").is_visible()
    assert run_axe(page) == []
