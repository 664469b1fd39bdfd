"""Landing, home, health and error views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from ketenwijs import __version__
from ketenwijs.web.core.modules import cards_for


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    """Public page: what Ketenwijs is, and the way in."""
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html")


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page: the modules and tasks their role can use."""
    return render(request, "core/home.html", {"cards": cards_for(request.user)})


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Report whether this worker can reach its database (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "version": __version__})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing CSRF token instead of Django's technical page."""
    return render(request, "core/csrf_failure.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)
