"""Filters of the decision log; invalid input is shown per field, never silently ignored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.accounts.models import User
from ketenwijs.web.audit.labels import option_choices
from ketenwijs.web.audit.models import OUTCOME_CHOICES, AuditSettings, DecisionRecord, LogEvent

REASON_MAX_LENGTH = 500


class RetentionForm(forms.ModelForm):
    """How long this organisation keeps decision records (AVG art 5(1)(e))."""

    class Meta:
        model = AuditSettings
        fields = ["retention_days"]

    retention_days = forms.IntegerField(
        label=_("Retention period (days)"),
        min_value=30,
        max_value=36500,
        help_text=_(
            "Records older than this are removed by `ketenwijs audit purge`; a signed checkpoint "
            "keeps the log verifiable. Check your organisation's archive selection list."
        ),
    )


class LogFilterForm(forms.Form):
    """Narrow the log by date, outcome, partner, purpose and (for auditors) user."""

    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    partner = forms.ChoiceField(
        label=_("Partner"),
        required=False,
        help_text=_("Records where this partner is the sender or the recipient."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)
    user = forms.ChoiceField(label=_("Decision-maker"), required=False)

    def __init__(
        self, *args: Any, organisation_users: QuerySet[User] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("(all)"))]
        self.fields["outcome"].choices = anything + list(OUTCOME_CHOICES)
        self.fields["partner"].choices = anything + option_choices("recipient")
        self.fields["purpose"].choices = anything + option_choices("purpose")
        if organisation_users is None:
            del self.fields["user"]
        else:
            self.fields["user"].choices = anything + [
                (str(u.pk), u.get_full_name() or u.username) for u in organisation_users
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def apply(self, records: QuerySet[DecisionRecord]) -> QuerySet[DecisionRecord]:
        """Return `records` narrowed by the valid filters."""
        data = self.cleaned_data
        if data.get("date_from"):
            records = records.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            records = records.filter(created_at__date__lte=data["date_to"])
        if data.get("outcome"):
            records = records.filter(outcome=data["outcome"])
        if data.get("partner"):
            records = records.filter(Q(sender=data["partner"]) | Q(recipient=data["partner"]))
        if data.get("purpose"):
            records = records.filter(purpose=data["purpose"])
        if data.get("user"):
            records = records.filter(user_id=int(data["user"]))
        return records


class ActivityFilterForm(forms.Form):
    """Narrow the organisation's activity records by type."""

    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("(all)")), *LogEvent.Kind.choices]

    def apply(self, events: QuerySet[LogEvent]) -> QuerySet[LogEvent]:
        kind = self.cleaned_data.get("kind")
        return events.filter(kind=kind) if kind else events


class RedactionForm(forms.Form):
    """Why a motivation is erased: the request under AVG art 16 or 17 it answers."""

    reason = forms.CharField(
        label=_("Reason for the redaction"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: request under AVG art 17 of 3 March, motivation held personal data. "
            "No names or other details of the people concerned."
        ),
    )
