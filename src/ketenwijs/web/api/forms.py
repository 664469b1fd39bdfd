"""The form an organisation admin or auditor fills in to create an API token."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.api.constants import DEFAULT_LIFETIME_DAYS, LIFETIME_CHOICES, Scope


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Grant only what the system needs. A token never has more rights than you: "
            "'read the decision log' reads the decisions you can see yourself."
        ),
        error_messages={"required": _("Choose at least one scope.")},
    )

    lifetime = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[(days, format_lazy(_("{days} days"), days=days)) for days in LIFETIME_CHOICES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME_DAYS,
        help_text=_("After this the token stops working; create a new one in time."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
