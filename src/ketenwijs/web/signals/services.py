"""The only code that writes Signaleren data: save and delete a note (after the privacy guard),
and record professionals' feedback on findings (ids only; a sentence only when asked for)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from ketenwijs.privacy import Hit, check_text, refusal_message
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import User
from ketenwijs.web.signals.feedback import FindingKey
from ketenwijs.web.signals.models import EvaluationSentence, SavedNote, SignalFeedback


class NoteRefused(ValueError):  # noqa: N818 -- reads as a verdict: "note refused"
    """The note or its title holds personal data; nothing was stored."""

    def __init__(self, field: str, text: str, hits: list[Hit]) -> None:
        self.field = field
        self.hits = hits
        self._message = refusal_message(text, hits)
        super().__init__(self._message.en)

    def message(self, lang: str = "nl") -> str:
        """Say what was found and where, in the user's language, without repeating the value."""
        return self._message.en if lang.startswith("en") else self._message.nl


def notes_of(user: User) -> QuerySet[SavedNote]:
    """Return the notes `user` may see: their own, saved within their current organisation."""
    if user.organisation_id is None:
        return SavedNote.objects.none()
    return SavedNote.objects.filter(user=user, organisation_id=user.organisation_id)


def record_note(*, user: User, text: str, title: str = "") -> SavedNote:
    """Store a note for `user`, or raise NoteRefused when the guard finds personal data."""
    if user.organisation_id is None:
        raise PermissionError("only members of an organisation save notes")
    title = title.strip()
    for field, value in (("text", text), ("title", title)):
        hits = check_text(value)
        if hits:
            raise NoteRefused(field, value, hits)
    return SavedNote.objects.create(
        user=user, organisation_id=user.organisation_id, title=title, text=text
    )


def delete_note(note: SavedNote) -> None:
    """Remove a saved note for good."""
    note.delete()


def can_give_feedback(user: User) -> bool:
    """Feedback is counted per organisation: members give it, platform admins have none."""
    return user.organisation_id is not None


def can_read_feedback(user: User) -> bool:
    """Only content editors read their organisation's counts and saved sentences."""
    return user.organisation_id is not None and user.role == Role.CONTENT_EDITOR


def feedback_of(
    user: User, *, since: date | None = None, until: date | None = None
) -> QuerySet[SignalFeedback]:
    """The feedback of the user's own organisation (never another's), within the period."""
    if not can_read_feedback(user):
        return SignalFeedback.objects.none()
    rows = SignalFeedback.objects.filter(organisation_id=user.organisation_id)
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    return rows


def sentences_of(
    user: User, *, since: date | None = None, until: date | None = None
) -> QuerySet[EvaluationSentence]:
    """The evaluation sentences of the user's own organisation, within the period."""
    if not can_read_feedback(user):
        return EvaluationSentence.objects.none()
    rows = EvaluationSentence.objects.filter(organisation_id=user.organisation_id)
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    return rows


def delete_sentence(user: User, pk: int) -> bool:
    """Erase one saved sentence of the editor's own organisation (AVG art. 17); the missed-signal
    count it came with stays, as it holds no text. False when there is no such sentence."""
    deleted, _ = sentences_of(user).filter(pk=pk).delete()
    return deleted > 0


def record_verdict(*, user: User, verdict: str, key: FindingKey) -> SignalFeedback:
    """Store "klopt" or "klopt niet" on one finding: the ids of the key, nothing of the note."""
    if not can_give_feedback(user):
        raise PermissionError("only members of an organisation give feedback")
    if verdict not in (SignalFeedback.Verdict.CONFIRMED, SignalFeedback.Verdict.REJECTED):
        raise ValueError(f"not a verdict on a finding: {verdict!r}")
    return SignalFeedback.objects.create(
        organisation_id=user.organisation_id,
        verdict=verdict,
        indicator=key.indicator,
        rule_kind=key.rule_kind,
        rule=key.rule,
        context=key.context,
        role=key.role,
        content_version=key.version,
    )


class SentenceRefused(NoteRefused):
    """The sentence to keep holds personal data; nothing was stored, not even the signal."""


def record_missed(
    *, user: User, indicator: str, version: str, sentence: str | None = None
) -> SignalFeedback:
    """Store a missed signal (its indicator id) and, only when given, the one sentence that
    shows it: after the privacy guard, or not at all (SentenceRefused)."""
    if not can_give_feedback(user):
        raise PermissionError("only members of an organisation give feedback")
    if sentence is not None:
        hits = check_text(sentence)
        if hits:
            raise SentenceRefused("sentence", sentence, hits)
    with transaction.atomic():
        feedback = SignalFeedback.objects.create(
            organisation_id=user.organisation_id,
            verdict=SignalFeedback.Verdict.MISSED,
            indicator=indicator,
            content_version=version,
        )
        if sentence is not None:
            EvaluationSentence.objects.create(
                organisation_id=user.organisation_id, feedback=feedback, text=sentence
            )
    return feedback
