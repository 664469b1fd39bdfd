"""The only code that writes Signaleren data: save and delete a note (after the privacy guard)."""

from __future__ import annotations

from django.db.models import QuerySet

from ketenwijs.privacy import Hit, check_text, refusal_message
from ketenwijs.web.accounts.models import User
from ketenwijs.web.signals.models import SavedNote


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
