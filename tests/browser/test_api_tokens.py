"""API token pages in a real browser: list, create (secret shown once), revoke; axe-clean."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.api.models import ApiToken
from tests.browser.conftest import run_axe
from tests.web.factories import make_organisation, make_user, verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    """Reuse a verified Django session in the browser (login itself is tested elsewhere)."""
    client = verified_client(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_token_pages_have_no_axe_violations(live_server: Any, page: Any) -> None:
    admin = make_user(Role.ORG_ADMIN, make_organisation("Gemeente Koppelstad"))
    _login(page, live_server, admin)

    page.goto(live_server.url + "/api-tokens/")
    assert run_axe(page) == []
    page.goto(live_server.url + "/api-tokens/new/")
    assert run_axe(page) == []
    page.locator("form.form button[type=submit]").click()  # empty: the error summary shows
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert run_axe(page) == []

    page.locator("input[name=name]").fill("Zaaksysteem")
    page.locator("input[name=scopes][value=privacy]").check()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    secret = page.locator("#api-token-secret").inner_text()
    assert re.fullmatch(r"kw_[A-Za-z0-9_-]{40,}", secret)
    assert run_axe(page) == []

    token = ApiToken.objects.get()
    page.goto(live_server.url + "/api-tokens/")
    assert secret not in page.content()
    assert run_axe(page) == []
    page.goto(live_server.url + f"/api-tokens/{token.pk}/revoke/")
    assert run_axe(page) == []
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message--success").is_visible()
    assert run_axe(page) == []
    token.refresh_from_db()
    assert token.revoked_at is not None
