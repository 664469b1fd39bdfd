"""The only code that writes API tokens and the call log."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from ketenwijs.web.accounts.models import User
from ketenwijs.web.api.constants import (
    DISPLAY_PREFIX_LENGTH,
    SCOPES,
    TOKEN_BYTES,
    TOKEN_PREFIX,
)
from ketenwijs.web.api.models import ApiCallLog, ApiToken


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just created, with its secret: the only moment the secret exists in clear."""

    token: ApiToken
    secret: str


def record_token(*, created_by: User, name: str, scopes: Iterable[str]) -> NewToken:
    """Create a token for the creator's organisation; return it with its one-time secret."""
    if not created_by.is_org_admin or created_by.organisation_id is None:
        raise PermissionError("only organisation admins create API tokens")
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise ValueError(f"scopes must be a non-empty subset of {', '.join(SCOPES)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(
        organisation_id=created_by.organisation_id,
        name=name.strip(),
        scopes=chosen,
        secret_sha256=hash_secret(secret),
        display_prefix=secret[:DISPLAY_PREFIX_LENGTH],
        created_by=created_by,
    )
    return NewToken(token=token, secret=secret)


def record_revocation(token: ApiToken) -> None:
    """Revoke a token for good (idempotent: the first revocation time is kept)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def find_active_token(secret: str) -> ApiToken | None:
    """Return the unrevoked token with this secret, or None; marks it as used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(
            secret_sha256=hash_secret(secret),
            revoked_at__isnull=True,
            organisation__is_active=True,
        )
        .first()
    )
    if token is not None:
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def record_call(
    *,
    token: ApiToken | None,
    method: str,
    path: str,
    status_code: int,
    duration_ms: int,
) -> ApiCallLog:
    """Log one API call: no body, no query string, no path values."""
    return ApiCallLog.objects.create(
        token=token,
        organisation_id=token.organisation_id if token is not None else None,
        method=method[:10],
        path=path[:200],
        status_code=status_code,
        duration_ms=max(0, duration_ms),
    )


def purge_call_log(older_than_days: int) -> int:
    """Delete call-log rows older than the given number of days; return how many went.

    The log is for operations (who called what, with what result), not an archive: it is kept
    no longer than needed (AVG art. 5(1)(e), storage limitation). Decisions have their own log.
    """
    if older_than_days < 1:
        raise ValueError("keep the call log for at least one day")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = ApiCallLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
