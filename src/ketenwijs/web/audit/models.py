"""The decision log: append-only records chained by hash per organisation (Verantwoorden).

Records hold the facts (closed enums), the outcome, the checks with their sources and the
professional's motivation; never names or identifiers of the people a decision is about (the
motivation passes the privacy guard before it gets here, see services.record_decision).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketenwijs.audit import ChainLink, Checkpoint, canonical_json, text_matches
from ketenwijs.audit.signing import TreeCheckpoint
from ketenwijs.web.accounts.models import Organisation, User

OUTCOME_CHOICES = [
    ("allowed", _("Allowed")),
    ("allowed_with_conditions", _("Allowed with conditions")),
    ("not_allowed", _("Not allowed")),
    ("seek_advice", _("Seek advice")),
]

# Five years: a common retention for accountability records under the Archiefwet selection lists
# of municipalities; each organisation sets its own period (AVG art 5(1)(e): no longer than needed).
DEFAULT_RETENTION_DAYS = 5 * 365


# Format of the hashed content of records saved from now on. Format 1 (before issue 14) hashed
# the motivation in plain text and not the author's account id; its records keep verifying as
# format 1 (the stored `format_version` picks the form, and format 2 hashes the version itself).
RECORD_FORMAT = 2
# Shown where a redacted text stood; the text and its salt are gone, its commitment stays hashed.
TOMBSTONE = "[verwijderd / redacted]"

# Columns kept beside the hashed content for filtering and access, with the fact they copy: they
# are checked against the hashed facts on every verification (issue 14, "hash what is shown").
DERIVED_COLUMNS = ("sender", "recipient", "purpose")


def chain_id(organisation_id: int) -> str:
    """Return the identifier an organisation's chain is anchored to (its genesis input)."""
    return f"organisation:{organisation_id}"


class AuditSettings(models.Model):
    """Per-organisation settings of the decision log."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="audit_settings"
    )
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"), default=DEFAULT_RETENTION_DAYS
    )

    class Meta:
        verbose_name = _("decision log settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.retention_days} days"


class ChainHead(models.Model):
    """The last link of an organisation's chain; its row lock serialises appends."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="audit_chain_head"
    )
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_chain_hash = models.CharField(max_length=64, blank=True)
    # HMAC over (organisation, last_sequence, last_chain_hash): reveals deleted newest records.
    signature = models.CharField(max_length=64, blank=True)
    appends = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.last_sequence}"


class DecisionRecord(models.Model):
    """One saved sharing decision; never updated, only purged after its retention period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="decision_records"
    )
    sequence = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="decision_records"
    )
    # Copied into the record: the chain must verify even after the account is removed.
    decision_maker = models.JSONField()
    ruleset_id = models.CharField(max_length=100)
    ruleset_version = models.CharField(max_length=50)
    ruleset_valid_on = models.DateField()
    ruleset_sha256 = models.CharField(max_length=64)
    sender = models.CharField(max_length=40, blank=True)
    recipient = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=40, choices=OUTCOME_CHOICES)
    facts = models.JSONField()
    assessment = models.JSONField()
    # Format 1: the text itself is hashed. Format 2: the text lives here beside its salted
    # commitment (`motivation_sha256`, hashed); a redaction empties the text and the salt.
    motivation = models.TextField()
    format_version = models.PositiveSmallIntegerField(default=1)
    motivation_salt = models.CharField(max_length=32, blank=True)
    motivation_sha256 = models.CharField(max_length=64, blank=True)
    # The account that made the decision, as hashed (format 2); `user` is the access column and is
    # emptied only when the account is deleted.
    author_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The sequence of the decision this record corrects (format 2, hashed); decisions are never
    # edited, a correction is a new record that points back.
    corrects = models.PositiveBigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["organisation", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="decision_sequence_unique_per_org"
            )
        ]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}#{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an existing record is never rewritten through the application.
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise PermissionError("decision records are append-only")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("audit:detail", kwargs={"sequence": self.sequence})

    def chain_content(self) -> dict[str, Any]:
        """Return the canonical content the hash covers: every field a person relies on.

        This is the one definition of a record's hashed content: `canonical_json` of it is the
        record's canonical bytes and `content_hash` (SHA-256 of those bytes) its leaf hash.
        """
        if self.format_version >= 2:
            return {
                "format": self.format_version,
                "type": "decision",
                "organisation": chain_id(self.organisation_id),
                "sequence": self.sequence,
                "created_at": self.created_at,
                "decision_maker": {**self.decision_maker, "id": self.author_id},
                "ruleset": {
                    "id": self.ruleset_id,
                    "version": self.ruleset_version,
                    "valid_on": self.ruleset_valid_on,
                    "sha256": self.ruleset_sha256,
                },
                "facts": self.facts,
                "outcome": self.outcome,
                "assessment": self.assessment,
                "motivation_sha256": self.motivation_sha256,
                "corrects": self.corrects,
            }
        return {
            "organisation": chain_id(self.organisation_id),
            "sequence": self.sequence,
            "created_at": self.created_at,
            "decision_maker": self.decision_maker,
            "ruleset": {
                "id": self.ruleset_id,
                "version": self.ruleset_version,
                "valid_on": self.ruleset_valid_on,
                "sha256": self.ruleset_sha256,
            },
            "facts": self.facts,
            "outcome": self.outcome,
            "assessment": self.assessment,
            "motivation": self.motivation,
        }

    @property
    def is_redacted(self) -> bool:
        """A format-2 record whose motivation text was erased (the commitment stays hashed)."""
        return self.format_version >= 2 and not self.motivation_salt

    @property
    def shown_motivation(self) -> str:
        """The motivation as pages show it: the text, or the tombstone once redacted."""
        return TOMBSTONE if self.is_redacted else self.motivation

    def fact(self, name: str) -> str:
        """A request fact (sender, recipient, purpose) read from the hashed facts, for display."""
        return str(self.facts.get(name, "")) if isinstance(self.facts, dict) else ""

    def export_dict(self) -> dict[str, Any]:
        """The record as exports and the API give it: hashed content (JSON) plus its three hashes.

        With these four fields anyone can recompute `content_hash` offline (`canonical_json`).
        Format 2 adds `motivation` (the text beside its commitment, or null once redacted) and
        `motivation_salt`, so `text_commitment(salt, motivation)` can be checked as well.
        """
        exported: dict[str, Any] = {
            "content": json.loads(canonical_json(self.chain_content())),
            "content_hash": self.content_hash,
            "prev_hash": self.prev_hash,
            "chain_hash": self.chain_hash,
        }
        if self.format_version >= 2:
            exported["motivation"] = None if self.is_redacted else self.motivation
            exported["motivation_salt"] = self.motivation_salt or None
        return exported

    def row_problem(self, redacted_by: set[int] | None = None) -> tuple[str, str] | None:
        """Say (nl, en) how a stored value beside the hashed content disagrees with it, if it does.

        `redacted_by` holds the sequences of decisions that have a redaction record in the chain:
        only those may lack their motivation text.
        """
        for column in DERIVED_COLUMNS:
            if getattr(self, column) != self.fact(column):
                return (
                    f"de kolom '{column}' wijkt af van de vastgelegde feiten",
                    f"the column '{column}' differs from the recorded facts",
                )
        wrong_owner = (
            "het record is aan een ander account toegewezen dan dat het besluit nam",
            "the record is assigned to another account than the one that made the decision",
        )
        if self.format_version < 2:
            user = self.user if self.user_id is not None else None
            if user is not None and user.username != self.decision_maker.get("username"):
                return wrong_owner
            return None
        if self.user_id is not None and self.user_id != self.author_id:
            return wrong_owner
        if self.is_redacted:
            if self.motivation or self.sequence not in (redacted_by or set()):
                return (
                    "de motivering is verwijderd of vervangen zonder redactierecord",
                    "the motivation was removed or replaced without a redaction record",
                )
            return None
        if not text_matches(self.motivation_salt, self.motivation, self.motivation_sha256):
            return (
                "de tekst van de motivering is gewijzigd na het opslaan",
                "the motivation text was changed after it was saved",
            )
        return None

    def as_link(self, redacted_by: set[int] | None = None) -> ChainLink:
        """Return this record as the pure audit core sees it."""
        return ChainLink(
            sequence=self.sequence,
            content=self.chain_content(),
            content_hash=self.content_hash,
            prev_hash=self.prev_hash,
            chain_hash=self.chain_hash,
            row_problem=self.row_problem(redacted_by),
        )


class LogEvent(models.Model):
    """A record of the organisation's log that is not a decision: who looked, what changed.

    Shares the organisation's chain (and sequence numbers) with `DecisionRecord`, so deleting or
    editing one breaks the chain like a decision would. Holds account ids and roles, never names
    of staff or anything about the people a decision concerns.
    """

    class Kind(models.TextChoices):
        DECISION_VIEWED = "decision_viewed", _("Decision viewed")
        DECISION_PRINTED = "decision_printed", _("Decision printed (PDF)")
        LOG_EXPORTED = "log_exported", _("Decision log exported")
        CHAIN_VERIFIED = "chain_verified", _("Log verified")
        SETTINGS_CHANGED = "settings_changed", _("Users, roles, tokens or settings changed")
        MOTIVATION_REDACTED = "motivation_redacted", _("Motivation redacted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_log_events"
    )
    sequence = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)  # None: the system (cron)
    actor_role = models.CharField(max_length=40, blank=True)
    decision = models.PositiveBigIntegerField(null=True, blank=True)  # the decision's sequence
    details = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["organisation", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="log_event_sequence_unique_per_org"
            )
        ]
        indexes = [models.Index(fields=["organisation", "kind", "sequence"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}#{self.sequence} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("log events are append-only")
        super().save(*args, **kwargs)

    def chain_content(self) -> dict[str, Any]:
        """The hashed content of the event (its canonical bytes are the leaf, as for decisions)."""
        return {
            "format": RECORD_FORMAT,
            "type": self.kind,
            "organisation": chain_id(self.organisation_id),
            "sequence": self.sequence,
            "created_at": self.created_at,
            "actor": {"id": self.actor_id, "role": self.actor_role},
            "decision": self.decision,
            "details": self.details,
        }

    def export_dict(self) -> dict[str, Any]:
        return {
            "content": json.loads(canonical_json(self.chain_content())),
            "content_hash": self.content_hash,
            "prev_hash": self.prev_hash,
            "chain_hash": self.chain_hash,
        }

    def as_link(self) -> ChainLink:
        return ChainLink(
            sequence=self.sequence,
            content=self.chain_content(),
            content_hash=self.content_hash,
            prev_hash=self.prev_hash,
            chain_hash=self.chain_hash,
        )


class VerificationRun(models.Model):
    """The outcome of one full verification: pages show a failed one on the affected records."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_verifications"
    )
    ran_at = models.DateTimeField()
    trigger = models.CharField(max_length=20)  # page, cli, daily
    ok = models.BooleanField()
    verified_count = models.PositiveBigIntegerField()
    first_broken_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    detail_nl = models.TextField(blank=True)
    detail_en = models.TextField(blank=True)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return (
            f"{self.organisation_id} {self.ran_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"
        )


class PurgeCheckpoint(models.Model):
    """The signed statement that replaces purged records at the start of the chain."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="audit_checkpoint"
    )
    last_sequence = models.PositiveBigIntegerField()
    chain_hash = models.CharField(max_length=64)
    purged_count = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    signature = models.CharField(max_length=128)

    def __str__(self) -> str:
        return f"{self.organisation_id}: purged up to {self.last_sequence}"

    def as_checkpoint(self) -> Checkpoint:
        return Checkpoint(
            organisation=chain_id(self.organisation_id),
            last_sequence=self.last_sequence,
            chain_hash=self.chain_hash,
            purged_count=self.purged_count,
            created_at=self.created_at,
            signature=self.signature,
        )


# Merkle tree and public-key checkpoints (ADR 0019). New tables only: the records stay as they are.


class SigningKey(models.Model):
    """A public key that has signed checkpoints; kept after rotation so old ones still verify.

    Only the public half: the private key comes from the environment and never enters the database.
    """

    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64)  # base64 of the raw 32-byte Ed25519 key
    first_used_at = models.DateTimeField()

    class Meta:
        ordering = ["first_used_at", "key_id"]

    def __str__(self) -> str:
        return self.key_id


class MerkleNode(models.Model):
    """The hash of one perfect subtree of an organisation's tree (level 0: a record's leaf).

    Kept when records are purged (hashes only), so proofs for the remaining records still work.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "level", "index"], name="merkle_node_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.level}/{self.index}"


class SignedCheckpoint(models.Model):
    """An Ed25519-signed (log id, tree size, root, time, key id), one per append."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signed_checkpoints"
    )
    tree_size = models.PositiveBigIntegerField()
    root_hash = models.CharField(max_length=64)
    timestamp = models.CharField(
        max_length=20
    )  # exactly the signed text, e.g. 2026-12-05T07:00:00Z
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)
    # The tree's right edge at this size (hex hashes of its perfect subtrees, largest first): the
    # next append starts from here without reading nodes. Not trusted: a wrong edge gives a root
    # that no recomputation from the records matches.
    right_edge = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tree_size"], name="signed_checkpoint_unique_size"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.tree_size}"

    def as_checkpoint(self) -> TreeCheckpoint:
        return TreeCheckpoint(
            log_id=chain_id(self.organisation_id),
            tree_size=self.tree_size,
            root_hash=self.root_hash,
            timestamp=self.timestamp,
            key_id=self.key_id,
            signature=self.signature,
        )
