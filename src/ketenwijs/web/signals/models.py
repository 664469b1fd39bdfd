"""Signaleren data: saved notes (only when a user saves one) and professionals' feedback.

A scan keeps the note in memory; SavedNote holds nothing until "save this note" passes the
privacy guard (services.record_note), so a saved note is pseudonymised text, not a case file.
SignalFeedback holds ids only; EvaluationSentence one sentence a user explicitly chose to keep.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.accounts.models import Organisation

TITLE_LENGTH = 120


class SavedNote(models.Model):
    """A case note a user chose to keep, visible to that user only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_notes"
    )
    # Kept next to the user so a user who moves organisation cannot read notes of the old one.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="saved_notes"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=TITLE_LENGTH, blank=True)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "organisation", "-created_at"])]
        verbose_name = _("saved note")
        verbose_name_plural = _("saved notes")

    def __str__(self) -> str:
        return f"note {self.pk} ({self.user_id})"


# The longest pattern in the indicator files is about 400 characters; a rule id is bounded here.
RULE_LENGTH = 500
# One sentence for the evaluation set, bounded before the privacy guard reads it.
SENTENCE_LENGTH = 500


class SignalFeedback(models.Model):
    """A professional's verdict on one finding, or a signal the checker missed: ids only.

    Holds what the counts for content editors need (indicator, the rule that fired, its context
    and role, the content version) and nothing of the note. No user either: the counts are per
    organisation, so who answered is not needed (data minimisation, AVG art. 5(1)(c)).
    """

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", _("Correct")
        REJECTED = "rejected", _("Not correct")
        MISSED = "missed", _("Missed signal")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="signal_feedback"
    )
    # A day, not a moment: enough to filter by period, less to link to one scan.
    day = models.DateField(_("day"), auto_now_add=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    indicator = models.CharField(_("indicator"), max_length=64)
    # Empty for a missed signal: no rule fired.
    rule_kind = models.CharField(_("rule kind"), max_length=10, blank=True)
    rule = models.CharField(_("rule"), max_length=RULE_LENGTH, blank=True)
    context = models.CharField(_("context"), max_length=20, blank=True)
    role = models.CharField(_("about whom"), max_length=30, blank=True)
    content_version = models.CharField(_("content version"), max_length=64)

    class Meta:
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["organisation", "day"])]
        verbose_name = _("signal feedback")
        verbose_name_plural = _("signal feedback")

    def __str__(self) -> str:
        return f"{self.verdict} {self.indicator} ({self.organisation_id})"


class EvaluationSentence(models.Model):
    """One sentence a professional explicitly chose to keep for the organisation's evaluation
    set, with the missed signal it shows; stored only after the privacy guard passed it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="evaluation_sentences"
    )
    feedback = models.OneToOneField(
        SignalFeedback, on_delete=models.CASCADE, related_name="sentence"
    )
    day = models.DateField(_("day"), auto_now_add=True)
    text = models.CharField(_("sentence"), max_length=SENTENCE_LENGTH)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("evaluation sentence")
        verbose_name_plural = _("evaluation sentences")

    def __str__(self) -> str:
        return f"sentence {self.pk} ({self.organisation_id})"
