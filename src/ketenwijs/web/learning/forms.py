"""Forms of the learning pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.learning.models import RETENTION_MAX_PERCENT, RETENTION_MIN_PERCENT


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

    desired_retention = forms.IntegerField(
        label=_("How well should colleagues still know a key card when it comes back? (%)"),
        min_value=RETENTION_MIN_PERCENT,
        max_value=RETENTION_MAX_PERCENT,
        required=False,
        help_text=_(
            "A whole number from 80 to 95; 90 unless you change it. A higher number brings cards "
            "back sooner and more often; a lower number means fewer reviews and more forgetting."
        ),
    )
