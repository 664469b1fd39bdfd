"""Forms of the learning pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    """A certificate code to check."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=60,
        help_text=_("As printed on the certificate, for example KW-ABCD-EFGH-…"),
    )


class LearningSettingsForm(forms.Form):
    """The organisation's choice about individual results."""

    show_individual_results = forms.BooleanField(
        label=_("Show individual results to trainers"),
        required=False,
        help_text=_(
            "When off, trainers see only anonymous totals, and only for groups of at least five "
            "learners. Tell your colleagues before you switch this on."
        ),
    )
