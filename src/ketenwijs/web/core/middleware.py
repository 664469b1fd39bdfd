"""Request-wide middleware: Dutch first (unless the user chose English), and a body budget."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignore the browser's Accept-Language header.

    Ketenwijs is a Dutch government tool: colleagues on an English-language browser still get
    Dutch, and anyone can switch explicitly (the choice is kept in a cookie).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# The largest body a form needs: a 2 MB note file plus its form fields (a pasted note of 200,000
# characters is at most 1.8 MB percent-encoded). The API has its own, smaller limit.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


class RequestBudgetMiddleware:
    """Refuse a body above MAX_REQUEST_BYTES with the service's own 413 page, before any of it
    is read (Content-Length is checked; without one, Django reads no body at all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES and not request.path.startswith("/api/"):
            logger.warning("request body refused", extra={"bytes": length})
            return render(
                request,
                "core/413.html",
                {"limit_mb": MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer to a signed-in user and on the API.

    Decision records, their PDFs and exports, notes and account pages must not stay in a browser
    cache or a shared proxy (a shared workstation is common in the chain). Public pages (landing,
    login, static files) keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response
