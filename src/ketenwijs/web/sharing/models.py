"""Unfinished Delen assessments (drafts), stored per user so they survive logout.

A draft holds the wizard state only: the case facts (§4.1 values from fixed choices), which
questions were answered "I don't know", the answer order and the start step. Never free text:
the motivation is typed on the save page and goes straight to the decision log.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Draft(models.Model):
    """One assessment in progress of one user; expires KETENWIJS_DRAFT_DAYS after a change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_drafts"
    )
    state = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "updated_at"])]

    def __str__(self) -> str:
        return f"Delen draft {self.id}"

    def expires_at(self) -> dt.datetime:
        """Return the moment this draft stops being resumable."""
        return self.updated_at + dt.timedelta(days=settings.KETENWIJS_DRAFT_DAYS)

    def is_expired(self) -> bool:
        """Return whether the draft is past its keeping period."""
        return timezone.now() >= self.expires_at()
