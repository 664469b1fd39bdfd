"""Token pages: organisation admins create (secret shown once) and revoke their own tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.api.models import ApiToken
from ketenwijs.web.api.services import hash_secret
from tests.web.api.conftest import MakeToken, api_client

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"kw_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def admin_a(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.ORG_ADMIN, org_a)


def test_admin_creates_a_token_and_sees_the_secret_once(
    admin_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(admin_a)
    assert client.get("/api-tokens/new/").status_code == 200
    response = client.post("/api-tokens/new/", {"name": "Zaaksysteem", "scopes": ["privacy"]})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    secrets = set(SECRET.findall(response.content.decode()))
    assert len(secrets) == 1
    (secret,) = secrets
    token = ApiToken.objects.get()
    assert (token.organisation_id, token.name, token.scopes) == (
        admin_a.organisation_id,
        "Zaaksysteem",
        ["privacy"],
    )
    assert token.created_by == admin_a
    assert token.secret_sha256 == hash_secret(secret)
    # Never again: the list shows only the first characters.
    listing = client.get("/api-tokens/").content.decode()
    assert "Zaaksysteem" in listing
    assert token.display_prefix in listing
    assert secret not in listing
    # And it works, within its scope.
    assert (
        api_client(secret)
        .post("/api/v1/privacy/check", {"text": "x"}, content_type="application/json")
        .status_code
        == 200
    )
    assert api_client(secret).get("/api/v1/decisions").status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": "", "scopes": ["sharing"]}, "name"), ({"name": "X"}, "scopes")],
)
def test_create_form_errors_are_shown(
    admin_a: User, client_for: Callable[[User], Client], data: dict[str, object], field: str
) -> None:
    response = client_for(admin_a).post("/api-tokens/new/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ApiToken.objects.count() == 0
    assert 'class="error-summary"' in response.content.decode()


def test_unknown_scope_is_refused(admin_a: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(admin_a).post("/api-tokens/new/", {"name": "X", "scopes": ["admin"]})
    assert "scopes" in response.context["form"].errors
    assert ApiToken.objects.count() == 0


def test_admin_revokes_a_token(
    admin_a: User, client_for: Callable[[User], Client], token_factory: MakeToken
) -> None:
    token, secret = token_factory(admin_a.organisation)
    client = client_for(admin_a)
    url = f"/api-tokens/{token.pk}/revoke/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client(secret).get("/api/v1/sharing/rulesets").status_code == 401
    assert client.post(url).status_code == 302  # idempotent
    client.cookies["ketenwijs_language"] = "en"
    assert "already revoked" in client.get(url).content.decode()


def test_other_organisations_admin_gets_404(
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    token_factory: MakeToken,
    admin_a: User,
) -> None:
    token, _secret = token_factory(admin_a.organisation)
    admin_b = user_factory(Role.ORG_ADMIN, org_b)
    client = client_for(admin_b)
    assert client.get(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token.name not in client.get("/api-tokens/").content.decode()


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.TRAINER, Role.CONTENT_EDITOR, Role.PLATFORM_ADMIN]
)
def test_other_roles_get_404(
    role: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    token_factory: MakeToken,
) -> None:
    token, _secret = token_factory(org_a)
    user = user_factory(role, None if role == Role.PLATFORM_ADMIN else org_a)
    client = client_for(user)
    for url in ("/api-tokens/", "/api-tokens/new/", f"/api-tokens/{token.pk}/revoke/"):
        assert client.get(url).status_code == 404, (role, url)
    assert client.post("/api-tokens/new/", {"name": "X", "scopes": ["sharing"]}).status_code == 404
    assert ApiToken.objects.count() == 1


def test_admin_without_second_factor_is_sent_to_verify(admin_a: User, org_a: Organisation) -> None:
    client = Client()
    client.force_login(admin_a, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/api-tokens/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_home_shows_the_card_to_admins_only(
    admin_a: User, org_a: Organisation, user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    assert "/api-tokens/" in client_for(admin_a).get("/home/").content.decode()
    professional = user_factory(Role.PROFESSIONAL, org_a)
    assert "/api-tokens/" not in client_for(professional).get("/home/").content.decode()
