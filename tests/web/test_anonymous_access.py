"""Every page is behind login, except an explicit, reasoned allowlist."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

TOKEN_API = "token-authenticated API (401 without a token)"

# Pages anonymous users may see, and why (product spec §5: landing, login and health).
PUBLIC_VIEWS = {
    "core:landing": "public start page",
    "core:health": "load balancer probe",
    "core:security_txt": "RFC 9116 security contact, public by definition",
    "core:accessibility": "toegankelijkheidsverklaring: public on every government site",
    "core:privacy": "privacyverklaring: readable before logging in",
    "core:glossary": "explains terms; no data, linked from the public statements",
    "accounts:login": "the way in",
    "accounts:password_reset": "password reset request",
    "accounts:password_reset_done": "password reset confirmation",
    "accounts:password_reset_confirm": "password reset link target",
    "accounts:password_reset_complete": "password reset finished",
    "set_language": "only sets the language cookie",
    "learning:verify": "certificate check; reveals only valid/invalid, module and date",
    "audit:public_keys": "public keys of the decision-log signatures: public by definition, "
    "needed to verify an exported log offline",
    "api:api-root": "API index: only the address of the OpenAPI document",
    "api:openapi-json": "OpenAPI document: no data (also committed as docs/api/openapi.json)",
    **{
        f"api:{name}": TOKEN_API
        for name in (
            "sharing_assess",
            "sharing_compare",
            "sharing_rulesets",
            "signals_scan",
            "privacy_check",
            "decision_list",
            "decision_detail",
        )
    },
}

SAMPLE_VALUES = {"int": 1, "str": "x", "slug": "x", "path": "x/y", "uuid": uuid.uuid4()}


def _walk(
    resolvers: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _named_patterns() -> list[tuple[str, URLPattern]]:
    return sorted(_walk(get_resolver().url_patterns), key=lambda item: item[0])


def _sample_url(name: str, pattern: URLPattern) -> str:
    converters = pattern.pattern.converters  # type: ignore[attr-defined]
    kwargs = {
        key: SAMPLE_VALUES.get(type(conv).__name__.replace("Converter", "").lower(), "x")
        for key, conv in converters.items()
    }
    return reverse(name, kwargs=kwargs or None)


def test_every_named_url_is_covered() -> None:
    """The walk finds the known pages, so an empty walk cannot pass silently."""
    names = {name for name, _ in _named_patterns()}
    assert {"core:home", "accounts:user_list", "core:landing"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "pattern"), _named_patterns(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_anonymous_user_is_sent_to_login(client: Client, name: str, pattern: URLPattern) -> None:
    url = _sample_url(name, pattern)
    response = client.get(url)
    if PUBLIC_VIEWS.get(name) == TOKEN_API:
        assert response.status_code in {401, 405}, (name, response.status_code)
        return
    if name in PUBLIC_VIEWS:
        assert response.status_code in {200, 302, 405}, (name, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("accounts:login")), name
        return
    assert response.status_code == 302, (name, url, response.status_code)
    assert response["Location"].startswith(reverse("accounts:login") + "?next="), name


@pytest.mark.django_db
def test_static_files_are_public(client: Client) -> None:
    response = client.get("/static/ketenwijs/css/ketenwijs.css")
    assert response.status_code == 200
