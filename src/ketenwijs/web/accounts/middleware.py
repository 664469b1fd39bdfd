"""Hold a signed-in user at the second-factor step until they verified (or set up) TOTP."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.http import urlencode
from django_otp import user_has_device

# Views a half-signed-in user may still reach: the second-factor pages themselves, logging
# out, switching language, the health check and static files.
_ALLOWED_VIEWS = frozenset(
    {
        "accounts:verify",
        "accounts:setup_totp",
        "accounts:logout",
        "set_language",
        "core:health",
        "core:landing",
    }
)


def needs_second_factor(request: HttpRequest) -> str | None:
    """Return which second-factor step the user must take now, or None when they are done."""
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr]
        return None
    if user_has_device(user, confirmed=True):
        return "accounts:verify"
    if user.requires_second_factor:  # type: ignore[union-attr]
        return "accounts:setup_totp"
    return None


class SecondFactorMiddleware:
    """Redirect to TOTP verification (or mandatory set-up) before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = needs_second_factor(request)
        # Kept for the template context: asking again would query the devices a second time.
        # Every view that completes the second factor redirects, so the value cannot go stale.
        request.second_factor_step = step  # type: ignore[attr-defined]
        # The API authenticates by token and ignores sessions, so a half-signed-in browser
        # session must not turn API calls into redirects.
        if step is not None and not request.path.startswith(("/static/", "/api/")):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name not in _ALLOWED_VIEWS:
                target = redirect(step)
                target["Location"] += "?" + urlencode({"next": request.get_full_path()})
                return target
        return self.get_response(request)
