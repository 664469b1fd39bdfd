"""Landing, home per role, health, language switch, error pages and security headers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User


def test_landing_is_dutch_by_default(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_language_switch_to_english_without_javascript(db: None) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.PROFESSIONAL, ["Mijn account"], ["Gebruikers beheren", "Organisaties"]),
        (Role.TRAINER, ["Mijn account"], ["Gebruikers beheren"]),
        (Role.CONTENT_EDITOR, ["Mijn account"], ["Gebruikers beheren"]),
        (Role.AUDITOR, ["Mijn account"], ["Gebruikers beheren"]),
        (Role.ORG_ADMIN, ["Mijn account", "Gebruikers beheren"], ["Organisaties"]),
        (Role.PLATFORM_ADMIN, ["Mijn account", "Organisaties"], ["Gebruikers beheren"]),
    ],
)
def test_home_shows_what_the_role_can_use(
    role: str,
    expected: list[str],
    absent: list[str],
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    user = user_factory(role, None if role == Role.PLATFORM_ADMIN else org_a)
    page = client_for(user).get(reverse("core:home")).content.decode()
    for text in expected:
        assert text in page, (role, text)
    for text in absent:
        assert f">{text}</a></h3>" not in page, (role, text)


def test_health_reports_database(db: None) -> None:
    response = Client().get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_security_headers_on_every_response(db: None) -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_contain_no_inline_script_or_style(db: None) -> None:
    """CSP forbids inline script; a template that needs it would break silently in browsers."""
    from pathlib import Path

    import ketenwijs

    root = Path(ketenwijs.__file__).parent
    for template in root.rglob("templates/**/*.html"):
        if "email" in template.parent.parts[-1:]:
            continue  # e-mail bodies are not served under the CSP; mail clients need inline style
        text = template.read_text(encoding="utf-8")
        for forbidden in ("<script>", "onclick=", "style="):
            assert forbidden not in text, (template, forbidden)


def test_csrf_is_enforced_on_login(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()


def test_unknown_page_gives_friendly_404(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    response = client_for(user_factory(Role.PROFESSIONAL, org_a)).get("/does-not-exist/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_english_browser_still_gets_dutch_until_user_switches(db: None) -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="nl"' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
