"""Organisations and users; every user but a platform admin belongs to exactly one organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.accounts.constants import SECOND_FACTOR_REQUIRED, OrganisationKind, Role


class Organisation(models.Model):
    """A tenant: users, records and results never cross its boundary."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=40, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set with the first record of the organisation's decision log and never cleared: a log that
    # once existed and now has no chain head was wiped (issue 14). Outside the log's own rows.
    audit_log_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class KetenwijsUserManager(UserManager["User"]):
    """Default manager; platform admins are created with the platform role."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def]
        extra_fields.setdefault("role", Role.PLATFORM_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who uses Ketenwijs, with one role in one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PROFESSIONAL
    )

    objects = KetenwijsUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.PLATFORM_ADMIN) | Q(organisation__isnull=False),
                name="user_has_organisation_unless_platform_admin",
            )
        ]

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN

    @property
    def is_org_admin(self) -> bool:
        return self.role == Role.ORG_ADMIN

    @property
    def requires_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_REQUIRED

    def can_manage_organisation(self, organisation: Organisation) -> bool:
        """Return whether this user may manage the accounts of `organisation`."""
        if self.is_platform_admin:
            return True
        return self.is_org_admin and self.organisation_id == organisation.pk


class AdminEvent(models.Model):
    """One administrative change, appended and never edited: who changed what, old and new.

    Users, roles, second factors, password links, API tokens and retention: an organisation's
    admins and auditors can see every change (separation of duties). Values are about staff
    accounts and settings, never about the people a decision concerns.
    """

    class Action(models.TextChoices):
        USER_INVITED = "user_invited", _("User invited")
        USER_CHANGED = "user_changed", _("User changed")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Two-step verification reset")
        SECOND_FACTOR_REPLACED = "second_factor_replaced", _("Authenticator replaced")
        PASSWORD_LINK_SENT = "password_link_sent", _("Password link sent")
        CHANGE_REQUESTED = "change_requested", _("Change awaiting a second administrator")
        CHANGE_APPROVED = "change_approved", _("Change approved by a second administrator")
        CHANGE_REJECTED = "change_rejected", _("Change rejected by a second administrator")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        RETENTION_CHANGED = "retention_changed", _("Retention period changed")
        LEARNING_SETTINGS_CHANGED = "learning_settings_changed", _("Learning settings changed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="admin_events", null=True
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="admin_actions"
    )
    # Kept as text too: the log must still say who acted after an account is gone.
    actor_username = models.CharField(max_length=150)
    target = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="admin_events"
    )
    target_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    # {"field": [old, new], ...} or a short description of what was done.
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class PendingChange(models.Model):
    """A change to an auditor's account (or one that makes someone an auditor), waiting for a
    second organisation admin: four eyes, so one admin cannot take over the auditor role."""

    class Kind(models.TextChoices):
        INVITE = "invite", _("Invite")
        UPDATE = "update", _("Change")
        RESET_SECOND_FACTOR = "reset_second_factor", _("Reset two-step verification")
        SEND_PASSWORD_LINK = "send_password_link", _("Send password link")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pending_changes"
    )
    target = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="pending_changes"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The new values (invite or update); empty for resets and links.
    payload = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="requested_changes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id} by {self.requested_by_id}"
