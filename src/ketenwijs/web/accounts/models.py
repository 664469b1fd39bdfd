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
