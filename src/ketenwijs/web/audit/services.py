"""The only code that writes the decision log: record, verify and purge (Verantwoorden)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ketenwijs.audit import (
    CHECKPOINT_PURPOSE,
    HEAD_PURPOSE,
    VerifyResult,
    check_head,
    checkpoint_for_purge,
    derive_key,
    genesis,
    make_link,
    sign_head,
    verify_chain,
)
from ketenwijs.privacy import Hit, check_text, refusal_message
from ketenwijs.sharing import Assessment, Case
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import AdminEvent, Organisation, User
from ketenwijs.web.accounts.services import log_event, notify_users
from ketenwijs.web.audit.models import (
    AuditSettings,
    ChainHead,
    DecisionRecord,
    PurgeCheckpoint,
    chain_id,
)
from ketenwijs.web.audit.tree import extend_tree


class PrivacyRefused(ValueError):  # noqa: N818 -- reads as a verdict: "privacy refused"
    """The motivation holds personal data of the people concerned; nothing was stored."""

    def __init__(self, text: str, hits: list[Hit]) -> None:
        self.hits = hits
        self._message = refusal_message(text, hits)
        super().__init__(self._message.en)

    def message(self, lang: str = "nl") -> str:
        """Say what was found and where, in the user's language, without repeating the value."""
        return self._message.en if lang.startswith("en") else self._message.nl


def _checkpoint_key() -> bytes:
    return derive_key(settings.SECRET_KEY, CHECKPOINT_PURPOSE)


def _head_key() -> bytes:
    return derive_key(settings.SECRET_KEY, HEAD_PURPOSE)


def record_decision(
    *, user: User, case: Case, assessment: Assessment, motivation: str
) -> DecisionRecord:
    """Append a decision to the user's organisation's chain, or refuse personal data.

    The chain head row is bumped first: that UPDATE takes the row lock on PostgreSQL and the
    write lock on SQLite, so parallel saves queue up instead of forking the chain.
    """
    if user.organisation_id is None:
        raise PermissionError("only members of an organisation record decisions")
    motivation = motivation.strip()
    hits = check_text(motivation)
    if hits:
        raise PrivacyRefused(motivation, hits)
    organisation_id = user.organisation_id
    facts = case.to_dict()
    assessment_dict = assessment.to_dict()
    ChainHead.objects.get_or_create(organisation_id=organisation_id)
    with transaction.atomic():
        ChainHead.objects.filter(organisation_id=organisation_id).update(appends=F("appends") + 1)
        head = ChainHead.objects.select_for_update().get(organisation_id=organisation_id)
        prev_hash = head.last_chain_hash or genesis(chain_id(organisation_id))
        record = DecisionRecord(
            organisation_id=organisation_id,
            sequence=head.last_sequence + 1,
            # Whole seconds: the stored and hashed time must match on every database.
            created_at=timezone.now().replace(microsecond=0),
            user=user,
            decision_maker={"username": user.username, "role": user.role},
            ruleset_id=assessment.ruleset_id,
            ruleset_version=assessment.version,
            ruleset_valid_on=assessment.valid_on,
            ruleset_sha256=assessment.sha256,
            sender=str(facts.get("sender", "")),
            recipient=str(facts.get("recipient", "")),
            purpose=str(facts.get("purpose", "")),
            outcome=assessment.outcome,
            facts=facts,
            assessment=assessment_dict,
            motivation=motivation,
        )
        link = make_link(record.sequence, record.chain_content(), prev_hash)
        record.content_hash = link.content_hash
        record.prev_hash = link.prev_hash
        record.chain_hash = link.chain_hash
        record.save()
        # The Merkle leaf and an Ed25519-signed checkpoint, in the same transaction (ADR 0019).
        extend_tree(record)
        head.last_sequence = record.sequence
        head.last_chain_hash = record.chain_hash
        head.signature = sign_head(
            chain_id(organisation_id), record.sequence, record.chain_hash, _head_key()
        )
        head.save(update_fields=["last_sequence", "last_chain_hash", "signature"])
    return record


def verify_organisation(organisation: Organisation) -> VerifyResult:
    """Recompute the organisation's chain from the stored rows and report the first break."""
    checkpoint_row = PurgeCheckpoint.objects.filter(organisation=organisation).first()
    records = DecisionRecord.objects.filter(organisation=organisation).order_by("sequence", "pk")
    result = verify_chain(
        (record.as_link() for record in records.iterator()),
        organisation=chain_id(organisation.pk),
        checkpoint=checkpoint_row.as_checkpoint() if checkpoint_row else None,
        key=_checkpoint_key(),
    )
    head = ChainHead.objects.filter(organisation=organisation).first()
    return check_head(
        result,
        organisation=chain_id(organisation.pk),
        last_sequence=head.last_sequence if head else 0,
        last_chain_hash=head.last_chain_hash if head else "",
        signature=head.signature if head else "",
        key=_head_key(),
    )


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed for one organisation."""

    organisation: Organisation
    purged: int
    cutoff: dt.datetime


def retention_days(organisation: Organisation) -> int:
    """Return the organisation's retention period, creating the default settings row if absent."""
    audit_settings, _ = AuditSettings.objects.get_or_create(organisation=organisation)
    return audit_settings.retention_days


@transaction.atomic
def record_retention(actor: User, days: int) -> None:
    """Set the actor's organisation's retention period and log the old and new value: lowering
    it must never go unseen (it decides how soon records disappear)."""
    assert actor.organisation is not None
    audit_settings, _ = AuditSettings.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    old = audit_settings.retention_days
    if old == days:
        return
    audit_settings.retention_days = days
    audit_settings.save(update_fields=["retention_days"])
    log_event(
        actor,
        AdminEvent.Action.RETENTION_CHANGED,
        organisation=actor.organisation,
        changes={"retention_days": [old, days]},
    )
    auditors = actor.organisation.users.filter(role=Role.AUDITOR, is_active=True)
    notify_users(
        [auditor.email for auditor in auditors],
        "Ketenwijs: bewaartermijn van besluiten gewijzigd / retention period changed",
        "audit/email/retention_changed.txt",
        {"actor": actor, "old": old, "new": days},
    )


@transaction.atomic
def purge_expired(organisation: Organisation, now: dt.datetime | None = None) -> PurgeResult:
    """Remove records older than the retention period and anchor the rest with a signed checkpoint.

    Only a prefix of the chain is removed (records are in time order), and it is verified before
    it goes, so a purge can never hide earlier tampering behind a valid checkpoint.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days(organisation))
    ChainHead.objects.filter(organisation=organisation).update(appends=F("appends") + 1)
    expired = list(
        DecisionRecord.objects.select_for_update()
        .filter(organisation=organisation, created_at__lt=cutoff)
        .order_by("sequence")
    )
    if not expired:
        return PurgeResult(organisation, 0, cutoff)
    previous_row = PurgeCheckpoint.objects.filter(organisation=organisation).first()
    checkpoint = checkpoint_for_purge(
        chain_id(organisation.pk),
        [record.as_link() for record in expired],
        _checkpoint_key(),
        previous=previous_row.as_checkpoint() if previous_row else None,
        now=now,
    )
    PurgeCheckpoint.objects.update_or_create(
        organisation=organisation,
        defaults={
            "last_sequence": checkpoint.last_sequence,
            "chain_hash": checkpoint.chain_hash,
            "purged_count": checkpoint.purged_count,
            "created_at": checkpoint.created_at,
            "signature": checkpoint.signature,
        },
    )
    DecisionRecord.objects.filter(pk__in=[record.pk for record in expired]).delete()
    return PurgeResult(organisation, len(expired), cutoff)
