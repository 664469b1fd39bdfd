"""Landing, home, health and error views."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from ketenwijs.web.api.problems import problem
from ketenwijs.web.core.modules import cards_for

# RFC 9116 §2.5.5: Expires SHOULD be less than a year ahead; computed per request, so the file
# never goes stale while the service runs.
SECURITY_TXT_LIFETIME = dt.timedelta(days=180)


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    """Public page: what Ketenwijs is, and the way in."""
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html")


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page: the modules and tasks their role can use."""
    return render(request, "core/home.html", {"cards": cards_for(request.user)})


def _cache_state() -> str:
    """`ok`, `unreachable`, or `local` when no shared cache is configured (development)."""
    if not settings.CONFIG.cache_url:
        return "local"
    try:
        cache.set("health:probe", 1, timeout=5)
        return "ok" if cache.get("health:probe") == 1 else "unreachable"
    except Exception:  # any client error means the same to a monitor: not reachable
        return "unreachable"


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Report whether this worker can reach its database and cache (for load balancers).

    Without the database the worker is useless: 503, so the balancer takes it out. Without Redis
    it still serves (rate limits fail open, sessions fall back to the database): 200 "degraded",
    so monitoring sees it while users keep working.
    """
    body: dict[str, str] = {"status": "ok", "database": "ok", "cache": _cache_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        body.update(status="error", database="unreachable")
        return JsonResponse(body, status=503)
    if body["cache"] == "unreachable":
        body["status"] = "degraded"
    # No version here: the probe is public, and a version tells an attacker what to try. The
    # version is in `ketenwijs --version` and in the footer after login (docs/DEPLOYMENT.md).
    return JsonResponse(body)


@login_not_required
def security_txt(request: HttpRequest) -> HttpResponse:
    """`/.well-known/security.txt` (RFC 9116): where to report a vulnerability, until when."""
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    expires = (today + SECURITY_TXT_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        "# Ketenwijs: report security problems of this installation here; see SECURITY.md in",
        "# the source code for what is in scope and how reports are handled.",
        f"Contact: mailto:{settings.KETENWIJS_CONTACT_EMAIL}",
        f"Expires: {expires}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing CSRF token instead of Django's technical page."""
    return render(request, "core/csrf_failure.html", status=403)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's bare "Bad Request (400)" as the service's own page (too many files or fields).

    A request refused before the middleware ran (an unknown Host header) has no user yet; the
    page is then shown as to a visitor who is not signed in.
    """
    if _is_api(request):
        return problem(400, "The request could not be read.")
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
        request.second_factor_step = None  # type: ignore[attr-defined]
    return render(request, "core/400.html", status=400)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem(404, "Not found.")
    return render(request, "core/404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem(500, "Something went wrong on our side; the error is logged.")
    return render(request, "core/500.html", status=500)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem(403, "Forbidden.")
    return render(request, "core/403.html", status=403)


def _is_api(request: HttpRequest) -> bool:
    """The API's errors are problem details (RFC 9457), never the HTML pages."""
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")
