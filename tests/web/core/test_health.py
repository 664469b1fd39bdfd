"""`/health/` for load balancers: database decides up or down, the cache only degraded or not."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse


def _with_cache(settings: pytest.FixtureRequest, url: str) -> None:
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.CONFIG = dataclasses.replace(  # type: ignore[attr-defined]
        django_settings.CONFIG, cache_url=url
    )


def test_without_shared_cache_health_says_local(db: None) -> None:
    body = Client().get(reverse("core:health")).json()
    assert body["status"] == "ok"
    assert body["cache"] == "local"


def test_with_redis_health_checks_it(db: None, settings: pytest.FixtureRequest) -> None:
    _with_cache(settings, "redis://127.0.0.1:6379/9")
    response = Client().get(reverse("core:health"))
    assert response.status_code == 200
    # No version in the public probe (it tells an attacker what to try).
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_unreachable_redis_is_degraded_not_down(db: None, settings: pytest.FixtureRequest) -> None:
    # Port 9 on loopback: nothing listens, so the connection is refused at once.
    _with_cache(settings, "redis://127.0.0.1:9/0")
    response = Client().get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unreachable"


def test_health_is_never_cached(db: None) -> None:
    response = Client().get(reverse("core:health"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/9", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_sessions_go_to_redis_when_configured(cache_url: str, engine: str, tmp_path: str) -> None:
    """Settings are read once at start-up, so a fresh interpreter shows what a server would use."""
    code = (
        "import django.conf, os; os.environ['DJANGO_SETTINGS_MODULE']='ketenwijs.web.settings';"
        "from django.conf import settings; print(settings.SESSION_ENGINE, "
        "settings.CACHES['default']['BACKEND'])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "KETENWIJS_DATA_DIR": str(tmp_path),
        **({"KETENWIJS_CACHE_URL": cache_url} if cache_url else {}),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    session_engine, cache_backend = result.stdout.split()
    assert session_engine == engine
    assert cache_backend.endswith("RedisCache" if cache_url else "LocMemCache")
