"""Service pages' data: the platform-wide statements and each organisation's help and contact."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenwijs.site.statements import MAX_STATEMENT_LENGTH, StatementKind

MAX_HELP_TEXT_LENGTH = 4_000


class SiteStatement(models.Model):
    """The platform admin's text of a statement; without a row the packaged default is shown."""

    kind = models.CharField(
        _("statement"),
        max_length=20,
        unique=True,
        choices=[(kind.value, kind.value) for kind in StatementKind],
    )
    body_nl = models.TextField(
        _("text (Dutch)"), validators=[MaxLengthValidator(MAX_STATEMENT_LENGTH)]
    )
    body_en = models.TextField(
        _("text (English)"), validators=[MaxLengthValidator(MAX_STATEMENT_LENGTH)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.kind


class OrganisationContact(models.Model):
    """Help text and contacts an organisation admin sets for colleagues, including the FG.

    The FG's contact is shown on every Delen result: the data protection officer must be involved
    in good time in questions about personal data (AVG art. 38(1)).
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="contact"
    )
    help_text_nl = models.TextField(
        _("help text (Dutch)"),
        blank=True,
        validators=[MaxLengthValidator(MAX_HELP_TEXT_LENGTH)],
    )
    help_text_en = models.TextField(
        _("help text (English)"),
        blank=True,
        validators=[MaxLengthValidator(MAX_HELP_TEXT_LENGTH)],
    )
    contact_email = models.EmailField(_("help desk e-mail address"), blank=True)
    contact_phone = models.CharField(_("help desk telephone number"), max_length=30, blank=True)
    fg_name = models.CharField(
        _("name of the data protection officer (FG)"), max_length=200, blank=True
    )
    fg_email = models.EmailField(
        _("e-mail address of the data protection officer (FG)"), blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.organisation_id}: help and contact"

    def help_text(self, language: str) -> str:
        """Return the help text in `language`, falling back to Dutch when no English is set."""
        if language.startswith("en") and self.help_text_en:
            return self.help_text_en
        return self.help_text_nl

    @property
    def has_fg(self) -> bool:
        return bool(self.fg_name or self.fg_email)
