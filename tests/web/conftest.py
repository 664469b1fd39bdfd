"""Fixtures for web tests: organisations, users per role, verified sessions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ketenwijs.web.accounts.models import Organisation, User
from tests.web.factories import make_organisation, make_user, verified_client


@pytest.fixture(autouse=True)
def _fast_hashing(settings: pytest.FixtureRequest) -> None:
    """Use a cheap hasher in web tests; the Argon2 default is asserted in its own test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org_a(db: None) -> Organisation:
    return make_organisation("Gemeente Aa")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return make_organisation("Politie Bee", kind="police")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """Return a function that gives a logged-in, second-factor-verified client for a user."""
    return verified_client


@pytest.fixture
def user_factory(db: None) -> Callable[..., User]:
    return make_user
