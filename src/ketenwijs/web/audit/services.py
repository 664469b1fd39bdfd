"""The only code that writes the decision log: record, verify and purge (Verantwoorden)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ketenwijs.audit import (
    ANCHOR_PURPOSE,
    CHECKPOINT_PURPOSE,
    HEAD_PURPOSE,
    Anchor,
    AnchorError,
    BrokenLink,
    ChainLink,
    Problem,
    VerifyResult,
    chain_hash,
    check_anchor,
    check_head,
    checkpoint_for_purge,
    derive_key,
    genesis,
    make_link,
    new_salt,
    read_anchor,
    sign_head,
    text_commitment,
    verify_chain,
    write_anchor,
)
from ketenwijs.privacy import Hit, check_text, refusal_message
from ketenwijs.sharing import Assessment, Case
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import AdminEvent, Organisation, User
from ketenwijs.web.accounts.services import log_event, notify_users
from ketenwijs.web.audit.models import (
    RECORD_FORMAT,
    AuditSettings,
    ChainHead,
    DecisionRecord,
    LogEvent,
    PurgeCheckpoint,
    VerificationRun,
    chain_id,
)
from ketenwijs.web.audit.tree import TreeUnavailableError, chain_rows_of, extend_tree

logger = logging.getLogger("ketenwijs.audit")

ChainRow = DecisionRecord | LogEvent


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


def _anchor_key() -> bytes:
    return derive_key(settings.SECRET_KEY, ANCHOR_PURPOSE)


def anchor_dir() -> Path:
    """The directory outside the database that holds each chain's last head (DEPLOYMENT.md)."""
    return Path(settings.AUDIT_ANCHOR_DIR)


def _write_anchor(organisation_id: int, sequence: int, last_hash: str) -> None:
    anchor = Anchor(chain_id(organisation_id), sequence, last_hash).signed(_anchor_key())
    try:
        current = read_anchor(anchor_dir(), anchor.organisation)
    except (AnchorError, OSError):
        current = None
    if current is not None and current.last_sequence < sequence:
        stored = _chain_hash_at_id(organisation_id, current.last_sequence)
        if stored is not None and stored != current.last_chain_hash:
            # The chain no longer contains the anchored record (a rollback was appended over):
            # keep the file as evidence instead of moving it onto the rewritten chain.
            logger.error(
                "audit anchor kept: chain diverged", extra={"organisation": organisation_id}
            )
            return
    try:
        write_anchor(anchor_dir(), anchor)
    except OSError:
        # The record is committed; a missing anchor weakens rollback detection, it loses nothing.
        logger.exception("audit anchor not written", extra={"organisation": organisation_id})


class ChainWiped(RuntimeError):  # noqa: N818 -- a state, like PrivacyRefused
    """The organisation's log was wiped (its head is gone) or rolled back below its signed
    Merkle tree: nothing is appended to it until it is restored."""


def _append(organisation_id: int, build: Callable[[int, dt.datetime], ChainRow]) -> ChainRow:
    """Append one row (decision or event) to the organisation's chain, serialised by the head.

    The chain head row is bumped first: that UPDATE takes the row lock on PostgreSQL and the
    write lock on SQLite, so parallel saves queue up instead of forking the chain. After the
    commit the new head is also written to the anchor file outside the database.
    """
    if not ChainHead.objects.filter(organisation_id=organisation_id).exists():
        started = Organisation.objects.filter(pk=organisation_id).values_list(
            "audit_log_started_at", flat=True
        )
        if started.first() is not None:
            # Starting a fresh chain would paper over the wipe; the log stays broken until an
            # administrator restores it from a backup (DEPLOYMENT.md).
            raise ChainWiped(f"the decision log of organisation {organisation_id} was wiped")
    ChainHead.objects.get_or_create(organisation_id=organisation_id)
    with transaction.atomic():
        ChainHead.objects.filter(organisation_id=organisation_id).update(appends=F("appends") + 1)
        head = ChainHead.objects.select_for_update().get(organisation_id=organisation_id)
        prev_hash = head.last_chain_hash or genesis(chain_id(organisation_id))
        # Whole seconds: the stored and hashed time must match on every database.
        row = build(head.last_sequence + 1, timezone.now().replace(microsecond=0))
        link = make_link(row.sequence, row.chain_content(), prev_hash)
        row.content_hash = link.content_hash
        row.prev_hash = link.prev_hash
        row.chain_hash = link.chain_hash
        row.save()
        # The Merkle leaf (decisions and events alike) and an Ed25519-signed checkpoint, in the
        # same transaction (ADR 0019).
        try:
            extend_tree(row)
        except TreeUnavailableError as exc:
            # A sequence the signed tree already holds: the head was put back (a rollback).
            raise ChainWiped(str(exc)) from exc
        head.last_sequence = row.sequence
        head.last_chain_hash = row.chain_hash
        head.signature = sign_head(
            chain_id(organisation_id), row.sequence, row.chain_hash, _head_key()
        )
        head.save(update_fields=["last_sequence", "last_chain_hash", "signature"])
        Organisation.objects.filter(pk=organisation_id, audit_log_started_at__isnull=True).update(
            audit_log_started_at=row.created_at
        )
        sequence, last_hash = row.sequence, row.chain_hash
        transaction.on_commit(lambda: _write_anchor(organisation_id, sequence, last_hash))
    return row


# What a record keeps of each cited article's wording: whether it was read and when. The words
# themselves (about 46 kB per assessment) follow from the rule set, whose SHA-256 the record holds.
_LAW_TEXT_KEPT = ("status", "read_on", "official", "version_date")


def stored_assessment(assessment: dict[str, Any]) -> dict[str, Any]:
    """The assessment as a decision record keeps it: the law texts reduced to their status."""
    entries = assessment.get("law_texts")
    if not isinstance(entries, list):
        return assessment
    kept = []
    for entry in entries:
        text = entry.get("law_text") if isinstance(entry, dict) else None
        if not isinstance(text, dict):
            continue
        status = {k: text[k] for k in _LAW_TEXT_KEPT if k in text}
        kept.append({**{k: v for k, v in entry.items() if k != "law_text"}, "law_text": status})
    return {**assessment, "law_texts": kept}


def record_decision(
    *,
    user: User,
    case: Case,
    assessment: Assessment,
    motivation: str,
    corrects: DecisionRecord | None = None,
) -> DecisionRecord:
    """Append a decision to the user's organisation's chain, or refuse personal data.

    `corrects` is an earlier decision of the same organisation that this one corrects: the old
    record stays as it was, the new one points back to it (decisions are never edited).
    """
    if user.organisation_id is None:
        raise PermissionError("only members of an organisation record decisions")
    if corrects is not None and corrects.organisation_id != user.organisation_id:
        raise PermissionError("a correction belongs to the organisation of the decision")
    motivation = motivation.strip()
    hits = check_text(motivation)
    if hits:
        raise PrivacyRefused(motivation, hits)
    organisation_id = user.organisation_id
    facts = case.to_dict()
    assessment_dict = stored_assessment(assessment.to_dict())
    salt = new_salt()

    def build(sequence: int, created_at: dt.datetime) -> DecisionRecord:
        return DecisionRecord(
            organisation_id=organisation_id,
            sequence=sequence,
            created_at=created_at,
            format_version=RECORD_FORMAT,
            user=user,
            author_id=user.pk,
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
            motivation_salt=salt,
            motivation_sha256=text_commitment(salt, motivation),
            corrects=corrects.sequence if corrects is not None else None,
        )

    record = _append(organisation_id, build)
    assert isinstance(record, DecisionRecord)
    return record


def append_event(
    organisation: Organisation | int,
    kind: str,
    *,
    actor: User | None,
    decision: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> LogEvent | None:
    """Append one "who looked / what changed" record to the organisation's chain.

    `details` must hold no names or identifiers of data subjects and no staff names: ids, roles,
    counts, filter values and old/new setting values only. Returns None (and logs an error)
    when the organisation's log was wiped: a new chain must not cover that up.
    """
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    if not organisation_id:
        return None

    def build(sequence: int, created_at: dt.datetime) -> LogEvent:
        return LogEvent(
            organisation_id=organisation_id,
            sequence=sequence,
            created_at=created_at,
            kind=kind,
            actor_id=actor.pk if actor is not None else None,
            actor_role=actor.role if actor is not None else "system",
            decision=decision,
            details=dict(details or {}),
        )

    try:
        event = _append(organisation_id, build)
    except ChainWiped:
        logger.error("audit event not appended: log wiped", extra={"organisation": organisation_id})
        return None
    assert isinstance(event, LogEvent)
    return event


# Values that name or reach a staff member: the chain keeps that they changed, not what to.
_IDENTITY_KEYS = frozenset({"email", "to", "username", "first_name", "last_name", "requested_by"})


def _without_identities(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: ("(gewijzigd / changed)" if key in _IDENTITY_KEYS else _without_identities(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_without_identities(item) for item in value]
    return value


def record_admin_event(event: AdminEvent) -> LogEvent | None:
    """Append a settings change (already an `AdminEvent`) to its organisation's chain.

    One record per change: the chain copy holds the action, the ids involved, the old and new
    values (staff e-mail addresses and names only as "changed") and the `AdminEvent` id as link.
    """
    if event.organisation_id is None:
        return None  # platform-level changes have no organisation log
    return append_event(
        event.organisation_id,
        LogEvent.Kind.SETTINGS_CHANGED,
        actor=event.actor,
        details={
            "action": event.action,
            "admin_event": event.pk,
            "target_id": event.target_id,
            "changes": _without_identities(event.changes),
        },
    )


def chain_rows(organisation: Organisation) -> Iterator[ChainRow]:
    """Every stored row of the organisation's chain (decisions and events) in sequence order."""
    return chain_rows_of(organisation.pk, with_user=True)


def redacted_sequences(organisation: Organisation) -> set[int]:
    """Sequences of decisions whose motivation a redaction record in the chain erased."""
    return set(
        LogEvent.objects.filter(
            organisation=organisation, kind=LogEvent.Kind.MOTIVATION_REDACTED
        ).values_list("decision", flat=True)
    )


def chain_links(organisation: Organisation) -> Iterator[ChainLink]:
    """The organisation's chain as the pure core sees it, in order: what verification (and a
    Merkle tree over the log) is built from. Each link's `content_hash` is the record's leaf."""
    redacted = redacted_sequences(organisation)
    for row in chain_rows(organisation):
        yield row.as_link(redacted) if isinstance(row, DecisionRecord) else row.as_link()


def _chain_hash_at(organisation: Organisation, sequence: int) -> str | None:
    return _chain_hash_at_id(organisation.pk, sequence)


def _chain_hash_at_id(organisation_id: int, sequence: int) -> str | None:
    """The stored chain hash of row `sequence` (decision or event), or None if not stored."""
    for model in (DecisionRecord, LogEvent):
        found = (
            model.objects.filter(organisation_id=organisation_id, sequence=sequence)  # type: ignore[attr-defined]
            .values_list("chain_hash", flat=True)
            .first()
        )
        if found is not None:
            return str(found)
    return None


def _wiped(result: VerifyResult, nl: str, en: str) -> VerifyResult:
    broken = BrokenLink(result.verified_count, 0, Problem.HEAD_MISMATCH, nl, en)
    return replace(result, ok=False, first_broken=broken)


def verify_organisation(organisation: Organisation) -> VerifyResult:
    """Recompute the organisation's chain from the stored rows and report the first break.

    Beyond the rows: the signed head must match the last row, an organisation whose log was ever
    started must still have its head, and the head must not be behind the anchor file.
    """
    checkpoint_row = PurgeCheckpoint.objects.filter(organisation=organisation).first()
    result = verify_chain(
        chain_links(organisation),
        organisation=chain_id(organisation.pk),
        checkpoint=checkpoint_row.as_checkpoint() if checkpoint_row else None,
        key=_checkpoint_key(),
    )
    head = ChainHead.objects.filter(organisation=organisation).first()
    result = check_head(
        result,
        organisation=chain_id(organisation.pk),
        last_sequence=head.last_sequence if head else 0,
        last_chain_hash=head.last_chain_hash if head else "",
        signature=head.signature if head else "",
        key=_head_key(),
    )
    if not result.ok:
        return result
    started = Organisation.objects.filter(pk=organisation.pk).values_list(
        "audit_log_started_at", flat=True
    )
    if (head is None or head.last_sequence == 0) and started.first() is not None:
        return _wiped(
            result,
            "de organisatie had een besluitenlog, maar de keten en haar kop ontbreken (gewist)",
            "the organisation had a decision log, but the chain and its head are gone (wiped)",
        )
    try:
        anchor = read_anchor(anchor_dir(), chain_id(organisation.pk))
    except AnchorError as exc:
        return _wiped(
            result,
            f"het externe ankerbestand is onleesbaar ({exc})",
            f"the external anchor file is unreadable ({exc})",
        )
    if anchor is not None and head is None:
        return _wiped(
            result,
            "het externe anker noemt een keten die in de database ontbreekt (gewist)",
            "the external anchor names a chain that is missing from the database (wiped)",
        )
    return check_anchor(
        result,
        anchor,
        key=_anchor_key(),
        head_sequence=head.last_sequence if head else 0,
        chain_hash_at=lambda sequence: _chain_hash_at(organisation, sequence),
    )


def run_verification(
    organisation: Organisation, *, trigger: str, actor: User | None = None
) -> VerifyResult:
    """Verify, keep the outcome for the pages (warnings), log it, and record who verified.

    The verification record is appended after the check, so it never changes what was checked;
    on a broken chain nothing is appended (a new link would sit on a broken one).
    """
    result = verify_organisation(organisation)
    broken = result.first_broken
    VerificationRun.objects.create(
        organisation=organisation,
        ran_at=timezone.now(),
        trigger=trigger,
        ok=result.ok,
        verified_count=result.verified_count,
        first_broken_sequence=broken.sequence if broken else None,
        detail_nl=broken.detail_nl if broken else "",
        detail_en=broken.detail_en if broken else "",
    )
    log = logger.info if result.ok else logger.error
    log(
        "audit chain verified",
        extra={
            "organisation": organisation.pk,
            "ok": result.ok,
            "verified": result.verified_count,
            "problem": broken.problem.value if broken else None,
            "broken_sequence": broken.sequence if broken else None,
            "trigger": trigger,
        },
    )
    if result.ok:
        append_event(
            organisation,
            LogEvent.Kind.CHAIN_VERIFIED,
            actor=actor,
            details={"trigger": trigger, "verified_count": result.verified_count},
        )
    return result


@dataclass(frozen=True)
class IntegrityStatus:
    """What the list, detail and PDF show: the last full verification plus cheap live checks."""

    ok: bool
    broken_from: int | None  # records from this sequence on cannot be vouched for
    detail_nl: str
    detail_en: str

    def detail(self, lang: str) -> str:
        return self.detail_en if lang.startswith("en") else self.detail_nl


def integrity_status(organisation: Organisation) -> IntegrityStatus:
    """The organisation's log status for the pages, without re-reading the whole chain.

    Combines the latest full verification (page, CLI or daily job) with the O(1) checks of the
    head against the anchor file and the "log started" marker, so a wipe or a rollback shows at
    once. Single records are checked in full by `record_problem`.
    """
    last = VerificationRun.objects.filter(organisation=organisation).first()
    if last is not None and not last.ok:
        return IntegrityStatus(False, last.first_broken_sequence, last.detail_nl, last.detail_en)
    head = ChainHead.objects.filter(organisation=organisation).first()
    head_sequence = head.last_sequence if head else 0
    started = Organisation.objects.filter(pk=organisation.pk).values_list(
        "audit_log_started_at", flat=True
    )
    if head_sequence == 0 and started.first() is not None:
        return IntegrityStatus(
            False, 1, "de keten en haar kop ontbreken (gewist)", "the chain and its head are gone"
        )
    try:
        anchor = read_anchor(anchor_dir(), chain_id(organisation.pk))
    except AnchorError:
        return IntegrityStatus(
            False, None, "het externe ankerbestand is onleesbaar", "the anchor file is unreadable"
        )
    if anchor is not None and (
        not anchor.is_authentic(_anchor_key()) or anchor.last_sequence > head_sequence
    ):
        return IntegrityStatus(
            False,
            head_sequence or 1,
            "de keten is teruggezet: het externe anker noemt nieuwere records",
            "the chain was rolled back: the external anchor names newer records",
        )
    return IntegrityStatus(True, None, "", "")


def predecessor_hashes(organisation: Organisation, sequences: Iterable[int]) -> dict[int, str]:
    """The stored chain hashes of the rows just before `sequences` (decisions, events or the
    purge checkpoint), in two queries, so a page can check the links of all records it shows."""
    wanted = {sequence - 1 for sequence in sequences if sequence > 1}
    found: dict[int, str] = {}
    for model in (DecisionRecord, LogEvent):
        rows = model.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, sequence__in=wanted
        ).values_list("sequence", "chain_hash")
        found.update({int(sequence): str(value) for sequence, value in rows})
    checkpoint = PurgeCheckpoint.objects.filter(organisation=organisation).first()
    if checkpoint is not None and checkpoint.last_sequence in wanted:
        found.setdefault(checkpoint.last_sequence, checkpoint.chain_hash)
    return found


def record_problem(
    record: DecisionRecord,
    redacted: set[int] | None = None,
    previous: Mapping[int, str] | None = None,
    *,
    full: bool = True,
) -> str | None:
    """Check one record (shown columns, text, stored hashes, link to its predecessor and, when
    `full`, its content hash recomputed from the content).

    Returns the problem code or None; pages call this for the records they show, so a changed
    record is flagged even before the next full verification. `previous` is the result of
    `predecessor_hashes` for a page of records (looked up here when not given). Without `full`
    (the list page: hashing 50 assessments costs ~0.2 s) a change to the content columns alone
    is caught by the detail page, the PDF and the next verification.
    """
    if redacted is None:
        redacted = redacted_sequences(record.organisation)
    if previous is None:
        previous = predecessor_hashes(record.organisation, [record.sequence])
    if record.row_problem(redacted) is not None:
        return Problem.CONTENT_CHANGED.value
    try:
        if full:
            link = record.as_link(redacted)
            if make_link(record.sequence, link.content, record.prev_hash) != link:
                return Problem.CONTENT_CHANGED.value
        if chain_hash(record.prev_hash, record.content_hash) != record.chain_hash:
            return Problem.CHAIN_HASH_CHANGED.value
    except (ValueError, TypeError):
        return Problem.CONTENT_CHANGED.value
    expected = (
        previous.get(record.sequence - 1)
        if record.sequence > 1
        else genesis(chain_id(record.organisation_id))
    )
    if expected != record.prev_hash:
        return Problem.PREVIOUS_LINK_BROKEN.value
    return None


class RedactionError(ValueError):
    """The redaction cannot be done; the message says why (nothing was changed)."""


def redact_motivation(record: DecisionRecord, *, actor: User, reason: str) -> LogEvent:
    """Erase a decision's motivation text (AVG arts 16/17) without breaking the chain.

    Only the organisation's auditor (its FG role) may do this, with a reason that passes the
    privacy guard. The text and its salt are removed, the hashed commitment stays, and a
    redaction record (who, when, why) is appended to the chain in the same transaction.
    """
    from ketenwijs.web.audit.permissions import can_redact

    if not can_redact(actor) or actor.organisation_id != record.organisation_id:
        raise PermissionError("only the organisation's auditor redacts a motivation")
    reason = reason.strip()
    if not reason:
        raise RedactionError("give the reason for the redaction (AVG art 16 or 17 request)")
    if check_text(reason):
        raise PrivacyRefused(reason, check_text(reason))
    if record.format_version < 2:
        raise RedactionError(
            "this record was saved in format 1, which hashed the text itself; redacting it would "
            "break the chain (see docs/avg-correction-and-erasure.md for the procedure)"
        )
    if record.is_redacted:
        raise RedactionError("this motivation was already redacted")
    with transaction.atomic():
        table = DecisionRecord.objects.filter(pk=record.pk)
        table.update(motivation="", motivation_salt="")
        event = append_event(
            record.organisation_id,
            LogEvent.Kind.MOTIVATION_REDACTED,
            actor=actor,
            decision=record.sequence,
            details={"field": "motivation", "reason": reason},
        )
        if event is None:
            raise RedactionError("the decision log is broken (wiped); nothing was redacted")
    record.motivation = ""
    record.motivation_salt = ""
    return event


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
    log_event(  # also appended to the organisation's chain (accounts.services.log_event)
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
    # A prefix of the whole chain (decisions and events) in time order.
    expired = _rows_before(organisation, cutoff)
    if not expired:
        return PurgeResult(organisation, 0, cutoff)
    redacted = redacted_sequences(organisation)
    previous_row = PurgeCheckpoint.objects.filter(organisation=organisation).first()
    checkpoint = checkpoint_for_purge(
        chain_id(organisation.pk),
        [
            row.as_link(redacted) if isinstance(row, DecisionRecord) else row.as_link()
            for row in expired
        ],
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
    DecisionRecord.objects.filter(
        pk__in=[row.pk for row in expired if isinstance(row, DecisionRecord)]
    ).delete()
    LogEvent.objects.filter(
        pk__in=[row.pk for row in expired if isinstance(row, LogEvent)]
    ).delete()
    return PurgeResult(organisation, len(expired), cutoff)


def _rows_before(organisation: Organisation, cutoff: dt.datetime) -> list[ChainRow]:
    """The chain's oldest rows created before `cutoff`, stopping at the first newer one."""
    rows: list[ChainRow] = []
    for row in chain_rows(organisation):
        if row.created_at >= cutoff:
            break
        rows.append(row)
    return rows
