"""Fixed-window rate limits in the shared cache (Redis in production): all workers count together.

Counters live under a hash of the client address or token, never the address itself: the cache is
not a place for personal data (AVG art. 5(1)(c), data minimisation). When the cache cannot be
reached the limit fails open and says so in the log: an outage of Redis must not lock everyone out
of the decision log.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go on, and when the current window ends."""

    allowed: bool
    count: int
    limit: int
    retry_after: int


def _ip(entry: str) -> str | None:
    """The IP address in an X-Forwarded-For entry ("203.0.113.5", "203.0.113.5:4711",
    "[2001:db8::1]:443"), or None for anything else ("unknown", a host name)."""
    entry = entry.strip()
    if entry.startswith("["):  # [IPv6]:port
        entry = entry[1 : entry.find("]")] if "]" in entry else entry
    elif entry.count(":") == 1:  # IPv4:port
        entry = entry.split(":", 1)[0]
    try:
        # Without an IPv6 zone ("fe80::1%eth0"): the lockout stores plain addresses.
        return str(ipaddress.ip_address(entry.split("%", 1)[0]))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's X-Forwarded-For entry only behind a trusted proxy.

    Always a valid IP address: rate limits and the login lockout store it, and an entry with a
    port or the word "unknown" once broke every login behind such a proxy.
    """
    if settings.CONFIG.trusted_proxy:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The last entry is the one our own load balancer added; earlier ones are client claims.
        last = _ip(forwarded.rsplit(",", 1)[-1])
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(scope: str, subject: str, period: int, now: float) -> tuple[str, int]:
    window = int(now // period)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{subject}".encode()).hexdigest()[:32]
    retry_after = period - int(now % period)
    return f"ratelimit:{scope}:{digest}:{window}", retry_after


def _limit(scope: str) -> tuple[int, int]:
    limits: dict[str, tuple[int, int]] = settings.CONFIG.rate_limits
    return limits[scope]


def hit(scope: str, subject: str) -> Verdict:
    """Count one request of `subject` in `scope`; refuse it when the window's limit is passed."""
    limit, period = _limit(scope)
    key, retry_after = _key(scope, subject, period, time.time())
    try:
        # add() is atomic: only the first request of a window creates the counter.
        count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr(): this request starts a new window.
        cache.set(key, 1, timeout=period + 1)
        count = 1
    except Exception:  # the cache is down: fail open, loudly
        logger.warning("rate limit %s not applied: the cache is unreachable", scope)
        return Verdict(True, 0, limit, 0)
    return Verdict(count <= limit, count, limit, retry_after)


def peek(scope: str, subject: str) -> Verdict:
    """Look at a counter without counting (e.g. failures so far) and say if it is exhausted."""
    limit, period = _limit(scope)
    key, retry_after = _key(scope, subject, period, time.time())
    try:
        count = int(cache.get(key) or 0)
    except Exception:
        logger.warning("rate limit %s not applied: the cache is unreachable", scope)
        return Verdict(True, 0, limit, 0)
    return Verdict(count < limit, count, limit, retry_after)


def too_many_requests(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    """The page a person sees: what happened and when to try again (429 with Retry-After)."""
    response = render(
        request, "core/429.html", {"retry_after": max(verdict.retry_after, 1)}, status=429
    )
    response["Retry-After"] = str(max(verdict.retry_after, 1))
    return response


def rate_limited(
    scope: str,
    methods: Iterable[str] = ("POST",),
    when: Callable[[HttpRequest], bool] | None = None,
    subject: Callable[[HttpRequest], str] = client_address,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorate a view: count its `methods` requests in `scope` per client address (or per
    `subject`, e.g. the signed-in user)."""
    counted = frozenset(method.upper() for method in methods)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in counted and (when is None or when(request)):
                verdict = hit(scope, subject(request))
                if not verdict.allowed:
                    logger.warning("rate limit %s reached", scope, extra={"limit": verdict.limit})
                    return too_many_requests(request, verdict)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
