"""URLs of `/api/v1/`: ninja's patterns, each wrapped to log the call and to skip the session login.

The wrapper (a) marks the view `login_not_required`, because the API authenticates by token, not
by session (ninja views are CSRF-exempt and ignore session cookies); (b) answers 429 past the rate
limits (calls per token; 401s per client address) and refuses a body above MAX_BODY_BYTES with 413
before anything reads it; (c) runs the operation in its own transaction and
logs the call afterwards, so even a failed call leaves its log line (method, route template,
status, duration; never a body, query string or path value); (d) refuses a query parameter
the operation does not know, names twice, or names in both its camelCase and its deprecated
spelling, with 400; (e) turns ninja's bare 405 into a problem and sets `API-Version` on every
answer. Paths under /api/v1/ that match no operation get a 404 problem, not the HTML page.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import URLPattern, path, re_path

from ketenwijs.web.api import services
from ketenwijs.web.api.api import QUERY_ALIASES, api
from ketenwijs.web.api.constants import MAX_BODY_BYTES
from ketenwijs.web.api.problems import is_problem, problem, with_version
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
    return problem(413, "The request body is too large.", [{"field": "(body)", "message": message}])


def _too_many(verdict: ratelimit.Verdict, detail: str) -> JsonResponse:
    response = problem(429, detail)
    response["Retry-After"] = str(max(verdict.retry_after, 1))
    return response


def _rate_limited(request: HttpRequest) -> JsonResponse | None:
    """429 when this address sent too many bad tokens, or this token (or address) too many calls."""
    address = ratelimit.client_address(request)
    failures = ratelimit.peek("api_auth_failures", address)
    if not failures.allowed:
        return _too_many(
            failures, "Too many requests with a missing or invalid token; try again later."
        )
    # Keyed on the token itself as authentication reads it (scheme in any case, spaces around
    # it), not on the raw header: 72 spellings of one token used to get 72 budgets.
    secret = bearer_secret(request.META.get("HTTP_AUTHORIZATION", ""))
    subject = f"token:{services.hash_secret(secret)}" if secret else f"address:{address}"
    verdict = ratelimit.hit("api", subject)
    if not verdict.allowed:
        return _too_many(verdict, f"Rate limit of {verdict.limit} calls reached; try again later.")
    return None


@functools.cache
def query_keys() -> Mapping[str, frozenset[str]]:
    """Operation id -> the query keys it accepts: its documented ones and their old aliases."""
    accepted: dict[str, frozenset[str]] = {}
    for operations in api.get_openapi_schema()["paths"].values():
        for operation in operations.values():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            names |= {old for old, camel in QUERY_ALIASES.items() if camel in names}
            accepted[operation["operationId"]] = frozenset(names)
    return accepted


def _bad_query(request: HttpRequest, operation: str | None) -> JsonResponse | None:
    """400 for a query key the operation does not know, gives twice, or gives in both spellings."""
    known = query_keys().get(operation or "")
    if known is None:
        return None  # not an operation of the document (the index, the document itself)
    errors = []
    for key in request.GET:
        if key not in known:
            errors.append({"field": key, "message": "this operation has no such query parameter"})
        elif len(request.GET.getlist(key)) > 1:
            errors.append({"field": key, "message": "give this query parameter once"})
    for old, camel in QUERY_ALIASES.items():
        if old in request.GET and camel in request.GET:
            message = f"give either {camel} or its deprecated alias {old}, not both"
            errors.append({"field": camel, "message": message})
    if not errors:
        return None
    return problem(400, "The query string is invalid; see errors per parameter.", errors)


def _not_allowed(response: HttpResponseBase, request: HttpRequest) -> HttpResponseBase:
    """ninja's plain-text 405 as a problem, keeping its Allow header."""
    allowed = response.get("Allow", "")
    answer = problem(405, f"{request.method} is not allowed here; use {allowed}.")
    answer["Allow"] = allowed
    return answer


def bearer_secret(header: str) -> str:
    """The secret of an `Authorization: Bearer …` header, or "" when there is none."""
    scheme, _, secret = header.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def logged(
    view: Callable[..., HttpResponseBase], operation: str | None = None
) -> Callable[..., HttpResponseBase]:
    """Wrap an API view: token instead of login, body and query checks, own transaction, call
    log, problem answers and the API-Version header."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        started = time.perf_counter()
        status = 500
        try:
            response = (
                _rate_limited(request) or _body_too_large(request) or _bad_query(request, operation)
            )
            if response is None:
                with transaction.atomic():
                    response = view(request, *args, **kwargs)
            if response.status_code == 405 and not is_problem(response):
                response = _not_allowed(response, request)
            with_version(response)
            if operation == "openapi-json":
                # /core/publish-openapi: any site may read the (public) document.
                response["Access-Control-Allow-Origin"] = "*"
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


def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other path under /api/v1/ (a trailing slash too: /core/no-trailing-slash): 404."""
    return problem(404, "Not found.")


def _patterns() -> list[URLPattern]:
    patterns: list[URLPattern] = []
    for entry in api.urls[0]:
        assert isinstance(entry, URLPattern), entry
        callback = index if entry.name == "api-root" else entry.callback
        patterns.append(path(str(entry.pattern), logged(callback, entry.name), name=entry.name))
    patterns.append(re_path(r"^(?P<rest>.*)$", logged(not_found)))  # unnamed: not a page
    return patterns


urlpatterns = _patterns()
