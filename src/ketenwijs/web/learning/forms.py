"""Forms of the learning pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenwijs.web.accounts.models import User
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


class TrackChoiceForm(forms.Form):
    """The role track a learner follows."""

    track = forms.ChoiceField(label=_("Learning track"), choices=())

    def __init__(self, *args: Any, tracks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = tracks  # type: ignore[attr-defined]


class AssignmentForm(forms.Form):
    """A trainer assigns a track with a deadline to chosen colleagues, or to all of them."""

    track = forms.ChoiceField(label=_("Learning track"), choices=())
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Learners get a reminder by e-mail shortly before and after this date."),
    )
    all_learners = forms.BooleanField(label=_("All colleagues in my organisation"), required=False)
    learners = forms.ModelMultipleChoiceField(
        label=_("Or choose colleagues"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        tracks: list[tuple[str, str]],
        learners: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = tracks  # type: ignore[attr-defined]
        field = self.fields["learners"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = learners
        field.label_from_instance = (  # type: ignore[method-assign]
            lambda user: user.get_full_name() or user.username
        )

    def clean_deadline(self) -> dt.date:
        deadline: dt.date = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        if deadline > timezone.localdate() + dt.timedelta(days=3 * 366):
            raise forms.ValidationError(_("Choose a deadline within three years."))
        return deadline

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("all_learners") and not cleaned.get("learners"):
            self.add_error("learners", _("Choose at least one colleague, or all colleagues."))
        return cleaned
