"""URLs of `/api/v1/`: ninja's patterns, each wrapped to log the call and to skip the session login.

The wrapper (a) marks the view `login_not_required`, because the API authenticates by token, not
by session (ninja views are CSRF-exempt and ignore session cookies); (b) answers 429 past the rate
limits (calls per token; 401s per client address) and refuses a body above MAX_BODY_BYTES with 413
before anything reads it; (c) runs the operation in its own transaction and
logs the call afterwards, so even a failed call leaves its log line (method, route template,
status, duration; never a body, query string or path value).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import URLPattern, path

from ketenwijs.web.api import services
from ketenwijs.web.api.api import api
from ketenwijs.web.api.constants import MAX_BODY_BYTES
from ketenwijs.web.core import ratelimit

app_name = "api"

_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def route_template(request: HttpRequest) -> str:
    """Return the matched route with `{name}` per value: `/api/v1/decisions/{sequence}`."""
    match = request.resolver_match
    route = match.route if match is not None else ""
    return "/" + _CONVERTER.sub(r"{\1}", route)


def _body_too_large(request: HttpRequest) -> JsonResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= MAX_BODY_BYTES:
        return None
    message = f"the body has {length:,} bytes; at most {MAX_BODY_BYTES:,} are accepted"
    return JsonResponse(
        {
            "detail": "The request body is too large.",
            "errors": [{"field": "(body)", "message": message}],
        },
        status=413,
    )


def _rate_limited(request: HttpRequest) -> JsonResponse | None:
    """429 when this address sent too many bad tokens, or this token (or address) too many calls."""
    address = ratelimit.client_address(request)
    failures = ratelimit.peek("api_auth_failures", address)
    if not failures.allowed:
        return ratelimit.too_many_requests_json(
            failures, "Too many requests with a missing or invalid token; try again later."
        )
    # Keyed on the token itself as authentication reads it (scheme in any case, spaces around
    # it), not on the raw header: 72 spellings of one token used to get 72 budgets.
    secret = bearer_secret(request.META.get("HTTP_AUTHORIZATION", ""))
    subject = f"token:{services.hash_secret(secret)}" if secret else f"address:{address}"
    verdict = ratelimit.hit("api", subject)
    if not verdict.allowed:
        return ratelimit.too_many_requests_json(
            verdict, f"Rate limit of {verdict.limit} calls reached; try again later."
        )
    return None


def bearer_secret(header: str) -> str:
    """The secret of an `Authorization: Bearer …` header, or "" when there is none."""
    scheme, _, secret = header.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def logged(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap an API view: token instead of login, body limit, own transaction, call log."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        started = time.perf_counter()
        status = 500
        try:
            response = _rate_limited(request) or _body_too_large(request)
            if response is None:
                with transaction.atomic():
                    response = view(request, *args, **kwargs)
            status = response.status_code
            if status == 401:
                ratelimit.hit("api_auth_failures", ratelimit.client_address(request))
            return response
        finally:
            services.record_call(
                token=getattr(request, "api_token", None),
                method=request.method or "",
                path=route_template(request),
                status_code=status,
                duration_ms=round((time.perf_counter() - started) * 1000),
            )

    wrapper.csrf_exempt = True  # type: ignore[attr-defined] -- token auth, no cookies
    return transaction.non_atomic_requests(login_not_required(wrapper))


def index(request: HttpRequest) -> JsonResponse:
    """`/api/v1/`: where the OpenAPI document is (ninja uses this name to find its root)."""
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri("openapi.json"),
        }
    )


def _patterns() -> list[URLPattern]:
    patterns: list[URLPattern] = []
    for entry in api.urls[0]:
        assert isinstance(entry, URLPattern), entry
        callback = index if entry.name == "api-root" else entry.callback
        patterns.append(path(str(entry.pattern), logged(callback), name=entry.name))
    return patterns


urlpatterns = _patterns()
