"""Saved case notes (Signaleren): stored only when a user explicitly saves a note.

A scan keeps the note in memory; this table holds nothing until "save this note" passes the
privacy guard (services.record_note), so a saved note is pseudonymised text, not a case file.
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
