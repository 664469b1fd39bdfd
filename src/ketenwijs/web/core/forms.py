"""Forms of the service pages: a statement's text, and an organisation's help and contacts."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ketenwijs.privacy import check_text, describe_hit
from ketenwijs.site.statements import MAX_STATEMENT_LENGTH
from ketenwijs.web.core.models import MAX_HELP_TEXT_LENGTH, OrganisationContact, SiteStatement

FORMAT_HELP = _(
    "Plain text. A line starting with '## ' is a heading, lines starting with '- ' form a list, "
    "an empty line starts a new paragraph."
)


def _guard(text: str) -> None:
    """Refuse stored free text in which the privacy guard finds a name or number."""
    hits = check_text(text)
    if not hits:
        return
    english = (translation.get_language() or "nl").startswith("en")
    found = "; ".join(
        pair[1] if english else pair[0] for pair in (describe_hit(text, hit) for hit in hits)
    )
    raise forms.ValidationError(
        _(
            "Not saved: the text seems to contain a name or a number (%(found)s). Put contact "
            "details in the fields for them; names of colleagues or clients do not belong here."
        ),
        params={"found": found},
        code="personal_data",
    )


class StatementForm(forms.ModelForm):  # type: ignore[type-arg]
    """The Dutch and English text of the accessibility or privacy statement."""

    class Meta:
        model = SiteStatement
        fields = ["body_nl", "body_en"]
        widgets = {
            "body_nl": forms.Textarea(attrs={"rows": 24, "maxlength": MAX_STATEMENT_LENGTH}),
            "body_en": forms.Textarea(attrs={"rows": 24, "maxlength": MAX_STATEMENT_LENGTH}),
        }
        help_texts = {"body_nl": FORMAT_HELP, "body_en": FORMAT_HELP}

    def clean_body_nl(self) -> str:
        text: str = self.cleaned_data["body_nl"].strip()
        _guard(text)
        return text

    def clean_body_en(self) -> str:
        text: str = self.cleaned_data["body_en"].strip()
        _guard(text)
        return text


class OrganisationContactForm(forms.ModelForm):  # type: ignore[type-arg]
    """Help text, help desk and FG contact of one organisation, set by its admin."""

    class Meta:
        model = OrganisationContact
        fields = [
            "help_text_nl",
            "help_text_en",
            "contact_email",
            "contact_phone",
            "fg_name",
            "fg_email",
        ]
        widgets = {
            "help_text_nl": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_HELP_TEXT_LENGTH}),
            "help_text_en": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_HELP_TEXT_LENGTH}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "fg_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "fg_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "help_text_nl": _(
                "Where colleagues can turn with questions about Ketenwijs, for example who your "
                "aandachtsfunctionaris is by role. Plain text; an empty line starts a new "
                "paragraph. No phone numbers here: use the field below."
            ),
            "help_text_en": _("Optional; without it the Dutch text is shown."),
            "contact_phone": _("A Dutch number, for example 070 123 4567 or 0800 1234."),
            "fg_email": _(
                "Shown on every Delen result, so that a colleague in doubt can ask the FG."
            ),
        }

    def clean_help_text_nl(self) -> str:
        text: str = self.cleaned_data["help_text_nl"].strip()
        _guard(text)
        return text

    def clean_help_text_en(self) -> str:
        text: str = self.cleaned_data["help_text_en"].strip()
        _guard(text)
        return text

    def clean_contact_phone(self) -> str:
        raw: str = self.cleaned_data["contact_phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "NL")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("Enter a valid telephone number, for example 070 123 4567."), code="invalid"
            )
        fmt = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if number.country_code == 31
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return str(phonenumbers.format_number(number, fmt))

    def clean_fg_name(self) -> str:
        return str(self.cleaned_data["fg_name"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("fg_name") and not cleaned.get("fg_email") and "fg_email" not in self.errors:
            self.add_error(
                "fg_email",
                forms.ValidationError(
                    _("Give the FG's e-mail address too, so that colleagues can reach the FG."),
                    code="required",
                ),
            )
        return cleaned
