"""Forms for login's second step, TOTP set-up and user management by organisation admins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.accounts.constants import ORG_ASSIGNABLE_ROLES, OrganisationKind
from ketenwijs.web.accounts.models import Organisation


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("Six digits, as your authenticator app shows them now."),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return token


class StepUpForm(forms.Form):
    """The acting admin's own current code: re-authentication before changing another account."""

    code = forms.CharField(
        label=_("Your own code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_(
            "Changes to someone else's account need your own current code. A code works once: "
            "if you just used it, wait for the next one."
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return code


class ReplaceDeviceForm(StepUpForm):
    """Replacing one's own authenticator: the password and a code from the current app."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["password", "code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from your current authenticator app")
        self.fields["code"].help_text = _(
            "Lost the phone with your app? Ask an administrator to reset two-step verification."
        )


class OrganisationForm(forms.ModelForm):
    """Create or rename an organisation (platform admins only)."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "is_active"]

    kind = forms.ChoiceField(label=_("kind"), choices=OrganisationKind.choices)


class UserCreateForm(forms.ModelForm):
    """Invite a user into the admin's own organisation; they set their own password by e-mail."""

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "role"]

    role = forms.ChoiceField(
        label=_("role"), choices=[(r.value, r.label) for r in ORG_ASSIGNABLE_ROLES]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


class UserUpdateForm(forms.ModelForm):
    """Change a user's role or deactivate them."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email", "role", "is_active"]

    role = forms.ChoiceField(
        label=_("role"), choices=[(r.value, r.label) for r in ORG_ASSIGNABLE_ROLES]
    )
