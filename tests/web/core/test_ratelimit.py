"""Rate limits on login, second factor, password reset and certificate lookup, in Redis.

The counters run in the real Redis of this machine (a database of its own, a prefix per test), as
in production, where every web worker must count together (fixture `limits`, tests/web/conftest.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.core import ratelimit
from tests.web.factories import make_user


def test_login_posts_are_limited_per_address_with_a_page_that_says_when(
    db: None, limits: Callable[..., None]
) -> None:
    limits(login=(3, 60))
    client = Client()
    url = reverse("accounts:login")
    for _ in range(3):
        response = client.post(url, {"username": "iemand", "password": "fout-wachtwoord-1"})
        assert response.status_code == 200  # the form again, with its error
    refused = client.post(url, {"username": "iemand", "password": "fout-wachtwoord-1"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Te veel pogingen" in refused.content.decode()
    # Looking at the form is not an attempt.
    assert client.get(url).status_code == 200
    # Another address has its own counter.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post(url, {"username": "iemand", "password": "x"}).status_code == 200


def test_a_correct_password_is_refused_too_once_the_limit_is_reached(
    db: None, limits: Callable[..., None]
) -> None:
    limits(login=(2, 60))
    user = make_user(Role.PROFESSIONAL, password="een-lang-wachtwoord-42")
    client = Client()
    url = reverse("accounts:login")
    client.post(url, {"username": user.username, "password": "fout"})
    client.post(url, {"username": user.username, "password": "fout"})
    response = client.post(url, {"username": user.username, "password": "een-lang-wachtwoord-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_and_second_factor_share_the_login_limit(
    db: None, limits: Callable[..., None]
) -> None:
    limits(login=(2, 60))
    client = Client()
    reset = reverse("accounts:password_reset")
    assert client.post(reset, {"email": "a@example.invalid"}).status_code == 302
    assert client.post(reset, {"email": "b@example.invalid"}).status_code == 302
    assert client.post(reset, {"email": "c@example.invalid"}).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(
    db: None, limits: Callable[..., None]
) -> None:
    limits(trusted_proxy=True, login=(1, 60))
    url = reverse("accounts:login")
    first = Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    second = Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2")
    assert first.post(url, {"username": "a", "password": "b"}).status_code == 200
    assert first.post(url, {"username": "a", "password": "b"}).status_code == 429
    # A client cannot escape by inventing earlier entries: only the proxy's own entry counts.
    spoofed = Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert spoofed.post(url, {"username": "a", "password": "b"}).status_code == 429
    assert second.post(url, {"username": "a", "password": "b"}).status_code == 200


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(
    db: None, limits: Callable[..., None]
) -> None:
    limits(login=(1, 60))
    url = reverse("accounts:login")
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.1").post(url, {}).status_code == 200
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.2").post(url, {}).status_code == 429


def test_certificate_lookups_are_limited_but_the_empty_form_is_not(
    db: None, limits: Callable[..., None]
) -> None:
    limits(public=(2, 60))
    client = Client()
    url = reverse("learning:verify")
    for _ in range(5):
        assert client.get(url).status_code == 200
    assert client.get(url, {"code": "ABCD-EFGH"}).status_code == 200
    assert client.get(url, {"code": "ABCD-EFGH"}).status_code == 200
    assert client.get(url, {"code": "ABCD-EFGH"}).status_code == 429


def test_counters_do_not_store_the_address_itself(db: None, limits: Callable[..., None]) -> None:
    limits(login=(5, 60))
    Client(REMOTE_ADDR="198.51.100.77").post(reverse("accounts:login"), {})
    keys = cache._cache.get_client().keys("*")  # type: ignore[attr-defined]
    assert keys, "the counter should be in Redis"
    assert not [key for key in keys if b"198.51.100.77" in key]


def test_an_unreachable_cache_lets_requests_through(
    db: None, settings: pytest.FixtureRequest
) -> None:
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    settings.CONFIG = dataclasses.replace(  # type: ignore[attr-defined]
        django_settings.CONFIG, rate_limits={**django_settings.CONFIG.rate_limits, "login": (1, 60)}
    )
    verdicts = [ratelimit.hit("login", "192.0.2.1") for _ in range(3)]
    assert all(verdict.allowed for verdict in verdicts)
    assert ratelimit.peek("api_auth_failures", "192.0.2.1").allowed
