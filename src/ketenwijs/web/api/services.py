"""The only code that writes API tokens and the call log."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import AdminEvent, User
from ketenwijs.web.accounts.services import log_event
from ketenwijs.web.api.constants import (
    DEFAULT_LIFETIME_DAYS,
    DISPLAY_PREFIX_LENGTH,
    LIFETIME_CHOICES,
    SCOPES,
    TOKEN_BYTES,
    TOKEN_PREFIX,
)
from ketenwijs.web.api.models import ApiCallLog, ApiToken
from ketenwijs.web.audit.models import DecisionRecord
from ketenwijs.web.audit.permissions import visible_records


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just created, with its secret: the only moment the secret exists in clear."""

    token: ApiToken
    secret: str


def can_manage_tokens(user: User) -> bool:
    """Organisation admins (all of their organisation's tokens) and auditors (their own)."""
    return user.organisation_id is not None and user.role in (Role.ORG_ADMIN, Role.AUDITOR)


def record_token(
    *,
    created_by: User,
    name: str,
    scopes: Iterable[str],
    lifetime_days: int = DEFAULT_LIFETIME_DAYS,
) -> NewToken:
    """Create a token for the creator's organisation; return it with its one-time secret.

    A token acts with its creator's rights and never more: `decisions:read` reads what the
    creator may read in the web application (see token_records), and the token stops working
    when the creator is deactivated or it expires.
    """
    if not can_manage_tokens(created_by):
        raise PermissionError("only organisation admins and auditors create API tokens")
    if lifetime_days not in LIFETIME_CHOICES:
        raise ValueError(f"lifetime must be one of {', '.join(map(str, LIFETIME_CHOICES))} days")
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
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    log_event(
        created_by,
        AdminEvent.Action.TOKEN_CREATED,
        organisation=created_by.organisation,
        changes={
            "name": token.name,
            "scopes": chosen,
            "expires": token.expires_at.date().isoformat(),
        },
    )
    return NewToken(token=token, secret=secret)


def may_revoke(user: User, token: ApiToken) -> bool:
    """The creator may revoke a token; an org admin any of the organisation's, except an
    auditor's (separation of duties)."""
    if token.created_by_id == user.pk:
        return True
    creator_is_auditor = token.created_by is not None and token.created_by.role == Role.AUDITOR
    return (
        user.is_org_admin
        and token.organisation_id == user.organisation_id
        and not (creator_is_auditor and token.created_by is not None and token.created_by.is_active)
    )


def token_records(token: ApiToken) -> QuerySet[DecisionRecord]:
    """The decision records a token may read: exactly those its creator may see (never more)."""
    if token.created_by is None:
        return DecisionRecord.objects.none()
    return visible_records(token.created_by)


def revoke_tokens_of(user: User) -> int:
    """Revoke every active token `user` created (they were deactivated); return how many."""
    return ApiToken.objects.filter(created_by=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def record_revocation(token: ApiToken, actor: User) -> None:
    """Revoke a token for good (idempotent: the first revocation time is kept); log it."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(
            actor,
            AdminEvent.Action.TOKEN_REVOKED,
            organisation=token.organisation,
            changes={"name": token.name, "starts_with": token.display_prefix},
        )


def find_active_token(secret: str) -> ApiToken | None:
    """Return the unrevoked token with this secret, or None; marks it as used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organisation", "created_by")
        .filter(
            secret_sha256=hash_secret(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            organisation__is_active=True,
            # The creator's rights are the token's: no active creator, no access.
            created_by__is_active=True,
            created_by__organisation_id=F("organisation_id"),
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
