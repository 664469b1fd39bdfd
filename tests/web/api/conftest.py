"""Tokens and token-authenticated clients for API tests (created through the real service)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from django.test import Client

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation
from ketenwijs.web.api.constants import SCOPES
from ketenwijs.web.api.models import ApiToken
from ketenwijs.web.api.services import record_token
from tests.web.factories import make_user

MakeToken = Callable[..., tuple[ApiToken, str]]


def make_token(
    organisation: Organisation | None = None,
    scopes: Iterable[str] = SCOPES,
    name: str = "Koppeling zaaksysteem",
    role: str = Role.ORG_ADMIN,
) -> tuple[ApiToken, str]:
    """Create a token as an organisation admin (or `role`) would; return it with its secret.

    A token reads the decisions its creator may see: an auditor's the whole organisation's.
    """
    creator = make_user(role, organisation)
    new = record_token(created_by=creator, name=name, scopes=scopes)
    return new.token, new.secret


def api_client(secret: str | None) -> Client:
    """A client without a session that sends `Authorization: Bearer <secret>`."""
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    return Client(headers=headers)


@pytest.fixture
def token_factory(db: None) -> MakeToken:
    return make_token
