"""Roles and what each may do; one place so views, menus and tests agree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    TRAINER = "trainer", _("Trainer")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    AUDITOR = "auditor", _("Auditor")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


# Roles that must use a second factor: they can see or change other people's accounts or records.
SECOND_FACTOR_REQUIRED = frozenset({Role.ORG_ADMIN, Role.AUDITOR, Role.PLATFORM_ADMIN})

# Roles an organisation admin may hand out within the own organisation (never platform admin).
ORG_ASSIGNABLE_ROLES = (
    Role.PROFESSIONAL,
    Role.TRAINER,
    Role.CONTENT_EDITOR,
    Role.AUDITOR,
    Role.ORG_ADMIN,
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    PUBLIC_PROSECUTOR = "public_prosecutor", _("Public Prosecution Service")
    TAX_AUTHORITY = "tax_authority", _("Tax authority")
    RIEC = "riec", _("RIEC/LIEC")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    YOUTH_CARE = "youth_care", _("Youth care")
    HEALTHCARE = "healthcare_provider", _("Healthcare provider")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")
