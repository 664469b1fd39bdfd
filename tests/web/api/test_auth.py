"""Token authentication: 401 without a valid token, 403 without the scope, never a session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.api.models import ApiToken
from ketenwijs.web.api.services import hash_secret, record_revocation
from tests.web.api.conftest import MakeToken, api_client

pytestmark = pytest.mark.django_db

# (method, path, body, scope) of every token-authenticated operation.
OPERATIONS = [
    ("post", "/api/v1/sharing/assess", {"sender": "municipality"}, "sharing"),
    ("post", "/api/v1/sharing/compare?compareDate=2024-06-01", {"sender": "police"}, "sharing"),
    ("get", "/api/v1/sharing/rulesets", None, "sharing"),
    ("post", "/api/v1/signals/scan", {"text": "Zij moet elke dag werken."}, "signals"),
    ("post", "/api/v1/privacy/check", {"text": "Geen gegevens."}, "privacy"),
    ("get", "/api/v1/decisions", None, "decisions:read"),
    ("get", "/api/v1/decisions/1", None, "decisions:read"),
]


def _call(client: Client, method: str, path: str, body: object) -> object:
    if method == "post":
        return client.post(path, body, content_type="application/json")
    return client.get(path)


@pytest.mark.parametrize(("method", "path", "body", "scope"), OPERATIONS)
def test_missing_token_is_401_with_bearer_challenge(
    method: str, path: str, body: object, scope: str
) -> None:
    response = _call(api_client(None), method, path, body)
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response["WWW-Authenticate"].startswith("Bearer")  # type: ignore[index]
    assert response.json()["errors"] == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer kw_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "kw_without_scheme",
        "Bearer " + "kw_" + "x" * 500,
    ],
)
def test_wrong_token_is_401(token_factory: MakeToken, header: str) -> None:
    token_factory()
    response = Client(headers={"Authorization": header}).get("/api/v1/sharing/rulesets")
    assert response.status_code == 401


def test_secret_is_stored_only_as_its_sha256(token_factory: MakeToken) -> None:
    token, secret = token_factory()
    assert secret.startswith("kw_")
    assert len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_sha256 == hash_secret(secret)
    assert secret not in str(
        ApiToken.objects.filter(pk=token.pk).values().get()
    )  # no field holds the secret
    assert stored.display_prefix == secret[:9]


def test_revoked_token_is_401(token_factory: MakeToken) -> None:
    token, secret = token_factory()
    assert api_client(secret).get("/api/v1/sharing/rulesets").status_code == 200
    record_revocation(token, token.created_by)  # type: ignore[arg-type]
    assert api_client(secret).get("/api/v1/sharing/rulesets").status_code == 401


def test_token_of_an_inactive_organisation_is_401(
    token_factory: MakeToken, org_a: Organisation
) -> None:
    _token, secret = token_factory(org_a)
    org_a.is_active = False
    org_a.save()
    assert api_client(secret).get("/api/v1/sharing/rulesets").status_code == 401


@pytest.mark.parametrize(("method", "path", "body", "scope"), OPERATIONS)
def test_token_without_the_scope_is_403(
    token_factory: MakeToken, method: str, path: str, body: object, scope: str
) -> None:
    others = [s for s in ("sharing", "signals", "privacy", "decisions:read") if s != scope]
    _token, secret = token_factory(scopes=others)
    response = _call(api_client(secret), method, path, body)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert scope in response.json()["detail"]  # type: ignore[attr-defined]


def test_session_cookie_is_not_api_authentication(
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    """A signed-in, verified user without a token is refused: the API reads no cookies."""
    auditor = user_factory(Role.AUDITOR, org_a)
    client = client_for(auditor)
    assert client.get("/audit/").status_code == 200
    assert client.get("/api/v1/decisions").status_code == 401
    assert client.get("/api/v1/sharing/rulesets").status_code == 401


def test_token_call_needs_no_csrf_token(token_factory: MakeToken) -> None:
    _token, secret = token_factory()
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    response = client.post(
        "/api/v1/privacy/check", {"text": "niets"}, content_type="application/json"
    )
    assert response.status_code == 200


def test_use_sets_last_used_at(token_factory: MakeToken) -> None:
    token, secret = token_factory()
    assert token.last_used_at is None
    api_client(secret).get("/api/v1/sharing/rulesets")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_works_next_to_a_half_signed_in_browser_session(token_factory: MakeToken) -> None:
    """A session still waiting for its second factor must not turn API calls into redirects."""
    from tests.web.factories import PASSWORD, make_user

    _token, secret = token_factory()
    auditor = make_user(Role.AUDITOR, with_device=True)  # must verify TOTP after the password
    client = api_client(secret)
    client.post("/accounts/login/", {"username": auditor.username, "password": PASSWORD})
    assert client.get("/home/").status_code == 302  # the browser side is held at verification
    response = client.get("/api/v1/sharing/rulesets")
    assert response.status_code == 200
