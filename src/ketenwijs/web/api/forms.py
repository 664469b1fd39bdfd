"""The form an organisation admin fills in to create an API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.api.constants import Scope


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
        help_text=_("Grant only what the system needs."),
        error_messages={"required": _("Choose at least one scope.")},
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
