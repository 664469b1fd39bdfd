"""Fixtures for web tests: organisations, users per role, verified sessions."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from ketenwijs.web.accounts.models import Organisation, User
from tests.web.factories import make_organisation, make_user, verified_client


@pytest.fixture(autouse=True)
def _fast_hashing(settings: pytest.FixtureRequest) -> None:
    """Use a cheap hasher in web tests; the Argon2 default is asserted in its own test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_anchor_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Each test's decision-log anchors in its own folder: a file left by another test's
    organisation with the same id would read as a rolled-back chain."""
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Start every test with empty rate-limit counters: the test cache lives as long as pytest."""
    cache.clear()


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


RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def limits(settings: pytest.FixtureRequest) -> Iterator[Callable[..., None]]:
    """Point the cache at Redis (fresh prefix) and let a test set its own small limits."""
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": RATE_LIMIT_REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }

    def set_limits(trusted_proxy: bool = False, **rates: tuple[int, int]) -> None:
        config = django_settings.CONFIG
        merged = {**config.rate_limits, **rates}
        settings.CONFIG = dataclasses.replace(  # type: ignore[attr-defined]
            config, rate_limits=merged, trusted_proxy=trusted_proxy
        )
        # The limits are fixed windows: a test that started just before a window ends would see
        # its count reset halfway. Start the test at the beginning of a fresh window instead.
        period = max(seconds for _count, seconds in rates.values()) if rates else 0
        if period:
            left = period - time.time() % period
            if left < 15:
                time.sleep(left + 0.05)

    yield set_limits
    cache.clear()
