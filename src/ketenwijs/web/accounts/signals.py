"""Log failed logins so that a monitor can correlate them, without storing who or where.

django-axes masks both the username and the address in its own log lines, so repeated failures
cannot be tied together. Here each failure is logged with a keyed hash (HMAC-SHA256 with the
secret key) of the username and of the client address: the same user or address always gives the
same value, and the value reveals neither (AVG art. 5(1)(c), data minimisation).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ketenwijs.web.core.ratelimit import client_address

logger = logging.getLogger("ketenwijs.security")


def keyed_hash(value: str) -> str:
    """A short, stable pseudonym of `value` for logs (16 hex characters of an HMAC)."""
    key = f"log-pseudonym|{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


@receiver(user_login_failed)
def log_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "").strip().lower()
    address = client_address(request) if request is not None else ""
    logger.warning(
        "login failed",
        extra={"user_ref": keyed_hash(username), "address_ref": keyed_hash(address)},
    )
