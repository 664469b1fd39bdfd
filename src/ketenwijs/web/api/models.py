"""API tokens per organisation, and the call log (which never holds a payload or query value)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.api.constants import Scope


class ApiToken(models.Model):
    """A secret that lets a program call the API for one organisation, within its scopes.

    Only the SHA-256 of the secret is stored: the secret is shown once, at creation. A secret of
    32 random bytes needs no salt or slow hash (nobody can guess it to test against the hash).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    secret_sha256 = models.CharField(max_length=64, unique=True)
    display_prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="created_api_tokens"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Every token ends: a forgotten integration must not hold access for ever (ASVS 3.5).
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.name} ({self.display_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        """Return the human labels of the token's scopes, in the active language."""
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]


class ApiCallLog(models.Model):
    """One API call: who, which operation, the result and how long it took; no content at all."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="api_calls"
    )
    method = models.CharField(max_length=10)
    # The route template (`/api/v1/decisions/{sequence}`), never the path with its values.
    path = models.CharField(max_length=200)
    status_code = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"
