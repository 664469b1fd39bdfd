"""Forms of the signal checker: a note (pasted or uploaded), the minor choice, a title to save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenwijs.signals import default_library
from ketenwijs.signals.text import split_sentences
from ketenwijs.web.signals.extract import (
    MAX_TEXT_CHARS,
    MAX_UPLOAD_BYTES,
    ExtractionError,
    extract_text,
)
from ketenwijs.web.signals.models import SENTENCE_LENGTH, TITLE_LENGTH
from ketenwijs.web.signals.presenters import pick

MINOR_CHOICES = [
    ("text", _("Let the text decide")),
    ("yes", _("Yes, under 18")),
    ("no", _("No, 18 or older")),
]
MINOR_VALUES = {"text": None, "yes": True, "no": False}

UPLOAD_ERRORS = {
    "wrong_type": _("Upload a .txt, .docx or .pdf file."),
    "empty": _("The file is empty."),
    "too_large": _(
        "The file is larger than %(limit)s MB. Upload a smaller file or paste the text."
    ),
    "unreadable": _("The file could not be read. Save it again as .txt, .docx or .pdf and retry."),
    "encrypted": _("The PDF is protected with a password. Upload it without protection."),
    "no_text": _(
        "The file contains no text (a scan or an image?). Paste the text or upload another file."
    ),
    "too_long": _(
        "The text is longer than %(chars)s characters. Split the note and check the parts."
    ),
    "too_complex": _(
        "The file is too complex to read in time. Save it as .txt, or paste the text."
    ),
}


def upload_error(code: str) -> str:
    """Return the field message for an extraction error code."""
    return str(UPLOAD_ERRORS[code]) % {
        "limit": MAX_UPLOAD_BYTES // (1024 * 1024),
        "chars": f"{MAX_TEXT_CHARS:,}".replace(",", "."),
    }


class MinorField(forms.ChoiceField):
    """Yes / no / let the text decide; `minor_value()` turns the answer into True/False/None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Is the person a minor?"))
        kwargs.setdefault(
            "help_text",
            _("Next steps differ for minors. 'Let the text decide' looks for an age in the note."),
        )
        super().__init__(choices=MINOR_CHOICES, widget=forms.RadioSelect, initial="text", **kwargs)


class NoteForm(forms.Form):
    """A note to check: pasted text or an uploaded file, plus the minor choice and a save title."""

    text = forms.CharField(
        label=_("Case note"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "Paste the note. It is checked in memory and not stored unless you save it. "
            "Leave out names and other details that identify people."
        ),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
        help_text=_("A .txt, .docx or .pdf file of at most 2 MB."),
    )
    minor = MinorField()
    title = forms.CharField(
        label=_("Title (only when you save)"),
        required=False,
        max_length=TITLE_LENGTH,
        help_text=_("For example 'Intake school, week 12'. No names."),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        text = data.get("text") or ""
        if self.too_large:
            self.add_error("file", upload_error("too_large"))
            return data
        if upload and text.strip():
            self.add_error("file", _("Paste a note or upload a file, not both."))
        elif upload:
            try:
                data["text"] = extract_text(upload.name or "", upload.read())
            except ExtractionError as exc:
                self.add_error("file", upload_error(exc.code))
        elif not text.strip() and "text" not in self.errors:
            self.add_error("text", _("Paste a note or upload a file."))
        return data

    @property
    def minor_value(self) -> bool | None:
        """Return the minor choice as True, False or None (let the text decide)."""
        return MINOR_VALUES[self.cleaned_data.get("minor") or "text"]


class MinorForm(forms.Form):
    """Only the minor choice: re-check a saved note or a checklist."""

    minor = MinorField()

    @property
    def minor_value(self) -> bool | None:
        """Return the minor choice as True, False or None (let the text decide)."""
        return MINOR_VALUES[self.cleaned_data.get("minor") or "text"]


NOTE_FORM_ID = "note-form"  # the missed-signal fields are posted with the note (form="…")


def _indicator_choices() -> list[tuple[str, Any]]:
    """Every indicator of the library, grouped by category, in the active language."""
    library = default_library()
    groups: list[tuple[str, Any]] = [("", _("Choose the signal"))]
    for key, label in library.meta.categories.items():
        items = [
            (spec.id, pick(spec.label))
            for spec in library.indicators.values()
            if spec.category == key
        ]
        if items:
            groups.append((f"{key} · {pick(label)}", items))
    return groups


class MissedSignalForm(forms.Form):
    """A signal the checker missed: the indicator, and optionally the one sentence to keep.

    The sentence is bounded (SENTENCE_LENGTH) before anything reads it, must be one sentence of
    the checked note, and is kept only when `keep_sentence` is ticked (services.record_missed
    runs the privacy guard first).
    """

    indicator = forms.ChoiceField(label=_("Which signal was missed?"))
    sentence = forms.CharField(
        label=_("The sentence in the note (optional)"),
        required=False,
        max_length=SENTENCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SENTENCE_LENGTH}),
        help_text=_(
            "Copy one sentence from the note that shows the signal. It is only stored if you "
            "tick the box below; otherwise only the signal is counted."
        ),
    )
    keep_sentence = forms.BooleanField(
        label=_("Save this sentence in my organisation's evaluation set"),
        required=False,
        help_text=_(
            "The sentence is checked for names, addresses, numbers and other personal data "
            "first and refused when some are found. Content editors of your organisation can "
            "read and export it."
        ),
    )

    def __init__(self, *args: Any, note: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "missed")
        super().__init__(*args, **kwargs)
        self.note = note
        self.fields["indicator"].choices = _indicator_choices()
        for field in self.fields.values():
            field.widget.attrs["form"] = NOTE_FORM_ID

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sentence = " ".join((data.get("sentence") or "").split())
        data["sentence"] = sentence
        if "sentence" in self.errors:
            return data  # too long: not read any further
        if data.get("keep_sentence") and not sentence:
            self.add_error("sentence", _("Copy the sentence you want to save from the note."))
        elif sentence and sentence not in " ".join(self.note.split()):
            self.add_error(
                "sentence", _("This sentence is not in the checked note. Copy it from the note.")
            )
        elif sentence and len(split_sentences(sentence)) > 1:
            self.add_error("sentence", _("Copy one sentence, not more."))
        return data


class FeedbackPeriodForm(forms.Form):
    """The period of the feedback counts a content editor reads or exports."""

    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data
