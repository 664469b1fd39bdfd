"""Who may read which decision records: auditors their whole organisation, others their own."""

from __future__ import annotations

from django.db.models import QuerySet

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import User
from ketenwijs.web.audit.models import DecisionRecord

# Roles that make sharing decisions themselves and so have records of their own.
_RECORDING_ROLES = {Role.PROFESSIONAL, Role.TRAINER, Role.CONTENT_EDITOR, Role.ORG_ADMIN}


def can_read_log(user: User) -> bool:
    """Return whether the user has a decision log to look at (platform admins have none)."""
    return bool(user.organisation_id) and (
        user.role == Role.AUDITOR or user.role in _RECORDING_ROLES
    )


def can_verify(user: User) -> bool:
    """Only auditors verify the chain and export the whole organisation's log."""
    return bool(user.organisation_id) and user.role == Role.AUDITOR


def can_run_verification(user: User) -> bool:
    """Auditors and organisation admins verify their own organisation's chain (issue 14)."""
    return bool(user.organisation_id) and user.role in {Role.AUDITOR, Role.ORG_ADMIN}


def can_read_activity(user: User) -> bool:
    """Auditors and organisation admins read who looked and what changed in their organisation."""
    return can_run_verification(user)


def can_redact(user: User) -> bool:
    """Only the auditor role (the organisation's privacy officer, FG) erases a motivation text."""
    return bool(user.organisation_id) and user.role == Role.AUDITOR


def visible_records(user: User) -> QuerySet[DecisionRecord]:
    """Records this user may see: never another organisation's, for any role."""
    if not can_read_log(user):
        return DecisionRecord.objects.none()
    records = DecisionRecord.objects.filter(organisation_id=user.organisation_id)
    if user.role != Role.AUDITOR:
        records = records.filter(user=user)
    return records
