"""Forms of the Delen pages: the start form and the "save as decision" form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenwijs.sharing import load_rulebook

MOTIVATION_MAX_LENGTH = 4000


class StartForm(forms.Form):
    """The date whose law applies; empty means today."""

    reference_date = forms.DateField(
        label=_("Assess the law as it stood on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Leave empty for today. Choose an earlier date to assess a share made in the past, "
            "for example before the WGS took effect on 1 March 2025."
        ),
    )

    def clean_reference_date(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("reference_date")
        first = load_rulebook().versions[0].version.valid_from
        if day is not None and day < first:
            raise forms.ValidationError(
                _("The rules start on %(date)s; choose that date or a later one."),
                params={"date": first.isoformat()},
                code="before_rules",
            )
        return day


class CompareForm(forms.Form):
    """Another reference date to compare the result with (the law as it stood then)."""

    compare_date = forms.DateField(
        label=_("Compare with another reference date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For example 28 February 2025 (before the WGS) or 30 September 2022 (before the "
            "Bibob amendment). The page shows per check what differs between the two dates "
            "and why."
        ),
        error_messages={
            "required": _("Enter a date to compare with."),
            "invalid": _("Enter a date as YYYY-MM-DD, for example 2025-02-28."),
        },
    )

    def clean_compare_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["compare_date"]
        first = load_rulebook().versions[0].version.valid_from
        if day < first:
            raise forms.ValidationError(
                _("The rules start on %(date)s; choose that date or a later one."),
                params={"date": first.isoformat()},
                code="before_rules",
            )
        return day


class DecisionForm(forms.Form):
    """The user's own motivation for the decision log (checked by the privacy guard)."""

    motivation = forms.CharField(
        label=_("Your motivation"),
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why you share or do not share, and how you meet the conditions. Do not write names, "
            "addresses, dates of birth, BSNs or other details of the people concerned: the log "
            "refuses them."
        ),
    )
    corrects = forms.IntegerField(
        label=_("Corrects decision no. (optional)"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_(
            "A saved decision is never edited. If this assessment corrects one, give its number: "
            "both are then shown together."
        ),
    )
