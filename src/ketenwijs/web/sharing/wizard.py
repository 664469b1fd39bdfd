"""The assessment wizard's state: one interview per assessment id, stored as the user's draft.

The pure `Interview` decides which question comes next; this module only keeps its state between
requests (a `Draft` row per assessment, owned by one user, so another user's assessment id is
simply unknown), reads answers and hand-off parameters from a request, and remembers answers that
`back` forgot, so going back and forward again keeps them preselected. Drafts survive logout and
expire KETENWIJS_DRAFT_DAYS after their last change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from ketenwijs.sharing import (
    FACT_SPECS,
    Assessment,
    Case,
    CaseError,
    FieldError,
    Interview,
    Progress,
    Question,
    Rulebook,
    load_rulebook,
)
from ketenwijs.web.sharing.models import Draft

# A user keeps at most this many drafts; starting one more removes the least recently changed,
# so the table cannot grow without bound.
MAX_DRAFTS = 100
# The "none of these" box of a several-answers question (an empty list of categories).
NONE_OF_THESE = "none"
# The "I don't know" choice of a question with `allow_unknown` (no fact value has this name).
DONT_KNOW = "dont_know"


class _Unknown:
    """The answer "I don't know" as `read_answer` returns it."""


UNKNOWN = _Unknown()
# Request keys that are not case facts.
_NOT_FACTS = frozenset({"csrfmiddlewaretoken", "entry", "start"})
_BOOLS = {"true": True, "false": False}

JSONValue = str | bool | list[str]


class AnswerError(ValueError):
    """The form came back without a usable answer: a user's slip, shown on the same page.

    `code` is `missing` (nothing chosen), `none_combined` ("none of these" plus others) or
    `unknown_combined` ("I don't know" plus others).
    """

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class Handoff:
    """Facts suggested by a link (the signal checker, a bookmark) and where to start."""

    facts: dict[str, JSONValue] = field(default_factory=dict)
    start_at: str | None = None
    reference_date: dt.date | None = None

    def as_pairs(self) -> list[tuple[str, str]]:
        """Return the hand-off as (name, value) pairs for hidden form fields."""
        pairs: list[tuple[str, str]] = []
        for fact, value in self.facts.items():
            values = value if isinstance(value, list) else [value]
            pairs.extend((fact, _plain(v)) for v in values)
        if self.start_at is not None:
            pairs.append(("start", self.start_at))
        return pairs


def _plain(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def read_handoff(data: QueryDict, *, with_reference_date: bool = True) -> Handoff:
    """Validate hand-off parameters (`purpose=…&data_categories=…&start=…`) like a §4.1 case.

    Raises CaseError naming each bad field; nothing is stored.
    """
    raw: dict[str, Any] = {}
    necessity: dict[str, Any] = {}
    for name, values in data.lists():
        if name in _NOT_FACTS or (name == "reference_date" and not with_reference_date):
            continue
        spec = FACT_SPECS.get(name)
        value: Any = values[-1] if len(values) == 1 else values
        if spec is not None and spec.type == "enum_list":
            value = [part for v in values for part in v.split(",") if part]
        elif spec is not None and spec.type == "bool":
            value = _BOOLS.get(value, value) if isinstance(value, str) else value
        elif name == "reference_date" and value == "":
            continue
        if name.startswith("necessity.") and spec is not None:
            necessity[name.split(".", 1)[1]] = value
        else:
            raw[name] = value
    if necessity:
        raw["necessity"] = necessity
    case = Case.from_dict(raw)
    rulebook = load_rulebook()
    start_at = data.get("start") or None
    if start_at is not None:
        Interview(rulebook, case, start_at=start_at)  # raises CaseError for an unknown step
        start_at = _first_asked_step(rulebook, start_at)
    if case.reference_date is not None:
        _check_date(rulebook, case.reference_date)
    facts = {fact: _json_value(case, fact) for fact in case.facts}
    return Handoff(facts=facts, start_at=start_at, reference_date=case.reference_date)


def _first_asked_step(rulebook: Rulebook, start_at: str) -> str:
    """Return `start_at`, or for a step without questions (checks only) the next step with some.

    The interview would otherwise silently start at the beginning.
    """
    asked = {q.step for q in rulebook.questions} | {q.fact for q in rulebook.questions}
    step_ids = [s.id for s in rulebook.steps]
    if start_at in asked or start_at not in step_ids:
        return start_at
    following = step_ids[step_ids.index(start_at) :] + step_ids[: step_ids.index(start_at)]
    return next(step for step in following if step in asked)


def _check_date(rulebook: Rulebook, day: dt.date) -> None:
    first = rulebook.versions[0].version.valid_from
    if day < first:
        raise CaseError(
            [FieldError("reference_date", f"the rules start on {first.isoformat()}, not before")]
        )


def _json_value(case: Case, fact: str) -> JSONValue:
    value = case.facts[fact]
    if isinstance(value, frozenset):
        return sorted(value)
    assert isinstance(value, str | bool)
    return value


@dataclass(frozen=True)
class Wizard:
    """One assessment in progress: the interview plus what the web pages need around it."""

    id: str
    case: Case
    start_at: str | None = None
    history: tuple[str, ...] = ()
    # Answers to show preselected: suggested by a hand-off, or forgotten by `back`.
    kept: dict[str, JSONValue] = field(default_factory=dict)
    suggested: frozenset[str] = frozenset()
    # After an urgent answer, the remaining questions are asked as paperwork.
    paperwork: bool = False
    saved_url: str | None = None
    # Questions answered with "I don't know" (left out of the case; the engine asks for advice).
    unknown: frozenset[str] = frozenset()

    @property
    def rulebook(self) -> Rulebook:
        return load_rulebook()

    @property
    def interview(self) -> Interview:
        return Interview(
            self.rulebook, self.case, self.start_at, self.history, unknown=self.unknown
        )

    def _open_questions(self) -> list[Question]:
        return self.interview.open_questions()

    def current_question(self) -> Question | None:
        """Return the question to ask now, or None when the result can be shown."""
        if not self.paperwork:
            return self.interview.next_question()
        open_questions = self._open_questions()
        return open_questions[0] if open_questions else None

    def paperwork_left(self) -> int:
        """Return how many questions the urgency path left for afterwards."""
        return len(self._open_questions()) if self.is_urgent() else 0

    def is_urgent(self) -> bool:
        """Return whether the urgency path is met (answer first, paperwork after)."""
        return self.interview.is_urgent()

    def is_complete(self) -> bool:
        """Return whether the result can be shown (all asked, or the urgency path met)."""
        return self.is_urgent() or self.current_question() is None

    def progress(self) -> Progress:
        """Count answered and still-relevant questions, also while doing the paperwork."""
        if not self.paperwork:
            return self.interview.progress()
        answered = sum(1 for q in self.rulebook.questions if q.fact in self.case.facts)
        return Progress(answered, len(self._open_questions()))

    def assessment(self, explain: bool = False) -> Assessment:
        """Evaluate the facts known so far (`explain`: with what would change the outcome)."""
        return self.interview.assessment(explain=explain)

    def preselected(self, question: Question) -> JSONValue | None:
        """Return the answer to show selected: the given one, else a kept or suggested one."""
        if question.fact in self.case.facts:
            return _json_value(self.case, question.fact)
        return self.kept.get(question.fact)

    def answer(self, fact: str, value: object) -> Wizard:
        """Return the wizard with one more answer (validated by the core; CaseError if not).

        Answers to questions that no longer matter after this one are dropped (a change from
        the summary page can make them moot).
        """
        return self._with(self.interview.answer(fact, value), fact)

    def answer_unknown(self, fact: str) -> Wizard:
        """Return the wizard with "I don't know" for `fact`."""
        return self._with(self.interview.answer_unknown(fact), fact)

    def _with(self, interview: Interview, fact: str) -> Wizard:
        interview = interview.without_irrelevant()
        kept = {k: v for k, v in self.kept.items() if k != fact}
        return replace(
            self,
            case=interview.case,
            history=interview.history,
            unknown=interview.unknown,
            kept=kept,
            suggested=self.suggested - {fact},
            saved_url=None,
        )

    def answered(self, fact: str) -> bool:
        """Return whether `fact` has an answer, "I don't know" included."""
        return fact in self.case.facts or fact in self.unknown

    def entry_answers(self) -> int:
        """Return 1 when the start page's buttons answered acute danger (not numbered)."""
        return 1 if self.history[:1] == ("acute_danger",) else 0

    def can_go_back(self) -> bool:
        """Return whether there is an answer to go back to (the start page's is not one)."""
        return bool(self.history) and self.history != ("acute_danger",)

    def back(self) -> Wizard:
        """Return the wizard with the last answer forgotten but kept for preselection."""
        if not self.can_go_back():
            return self
        last = self.history[-1]
        interview = self.interview.back()
        kept = dict(self.kept)
        if last in self.case.facts:
            kept[last] = _json_value(self.case, last)
        return replace(
            self,
            case=interview.case,
            history=interview.history,
            unknown=interview.unknown,
            kept=kept,
            saved_url=None,
        )

    def to_session(self) -> dict[str, Any]:
        return {
            "case": self.case.to_dict(),
            "start_at": self.start_at,
            "history": list(self.history),
            "kept": self.kept,
            "suggested": sorted(self.suggested),
            "paperwork": self.paperwork,
            "saved_url": self.saved_url,
            "unknown": sorted(self.unknown),
        }

    @classmethod
    def from_session(cls, wizard_id: str, data: dict[str, Any]) -> Wizard:
        return cls(
            id=wizard_id,
            case=Case.from_dict(data["case"]),
            start_at=data.get("start_at"),
            history=tuple(data.get("history", ())),
            kept=dict(data.get("kept", {})),
            suggested=frozenset(data.get("suggested", ())),
            paperwork=bool(data.get("paperwork", False)),
            saved_url=data.get("saved_url"),
            unknown=frozenset(data.get("unknown", ())),
        )


def new_wizard(handoff: Handoff, *, reference_date: dt.date, urgent: bool) -> Wizard:
    """Start an assessment; the urgent entry answers the acute-danger question at once."""
    case = Case().with_fact("reference_date", reference_date)
    wizard = Wizard(
        id=str(uuid.uuid4()),
        case=case,
        start_at=handoff.start_at,
        kept=dict(handoff.facts),
        suggested=frozenset(handoff.facts),
    )
    # The start page asks about acute danger (its two buttons), so the first question does not
    # ask it again; the answer shows on the summary page and can be changed there.
    return wizard.answer("acute_danger", urgent)


class DraftExpiredError(LookupError):
    """The draft existed but is past KETENWIJS_DRAFT_DAYS: the page says so (410)."""


def load(user: Any, wizard_id: str) -> Wizard | None:
    """Return this user's draft with that id, or None (unknown, deleted, or someone else's).

    Raises DraftExpiredError (and removes the draft) when it is past its keeping period.
    """
    draft = Draft.objects.filter(id=str(wizard_id), user=user).first()
    if draft is None:
        return None
    if draft.is_expired():
        draft.delete()
        raise DraftExpiredError(str(wizard_id))
    return Wizard.from_session(str(draft.id), draft.state)


def store(user: Any, wizard: Wizard) -> None:
    """Save the assessment as the user's draft, dropping the oldest beyond MAX_DRAFTS."""
    with transaction.atomic():
        _draft, created = Draft.objects.update_or_create(
            id=wizard.id, user=user, defaults={"state": wizard.to_session()}
        )
        if created:
            old = Draft.objects.filter(user=user).order_by("-updated_at")[MAX_DRAFTS:]
            Draft.objects.filter(id__in=list(old.values_list("id", flat=True))).delete()


def drafts(user: Any) -> list[tuple[Any, Wizard]]:
    """Return the user's drafts that can still be resumed, newest first; expired ones go."""
    out = []
    for draft in Draft.objects.filter(user=user):
        if draft.is_expired():
            draft.delete()
            continue
        out.append((draft, Wizard.from_session(str(draft.id), draft.state)))
    return out


def purge_expired() -> int:
    """Delete every user's drafts past KETENWIJS_DRAFT_DAYS (the daily job); return how many.

    Drafts of users who never come back would otherwise keep their case facts.
    """
    cutoff = timezone.now() - dt.timedelta(days=settings.KETENWIJS_DRAFT_DAYS)
    deleted, _rows = Draft.objects.filter(updated_at__lte=cutoff).delete()
    return deleted


def delete(user: Any, wizard_id: str) -> bool:
    """Delete the user's draft; return whether there was one."""
    deleted, _rows = Draft.objects.filter(id=str(wizard_id), user=user).delete()
    return deleted > 0


def read_answer(question: Question, data: QueryDict) -> object:
    """Return the typed answer to `question` from a posted form.

    Returns UNKNOWN for "I don't know" (only where the question allows it). Raises AnswerError
    when nothing usable was chosen (shown on the page) and CaseError when a value is not one the
    question offers (a tampered form: 400).
    """
    if question.allow_unknown and DONT_KNOW in data.getlist("value"):
        if len(data.getlist("value")) > 1:
            raise AnswerError("unknown_combined")
        return UNKNOWN
    if question.type == "enum_list":
        values = data.getlist("value")
        if not values:
            raise AnswerError("missing")
        if NONE_OF_THESE in values:
            if len(values) > 1:
                raise AnswerError("none_combined")
            return []
        return values
    value = data.get("value")
    if value is None or value == "":
        raise AnswerError("missing")
    if question.type == "bool":
        if value not in _BOOLS:
            raise CaseError(
                [FieldError(question.fact, f"must be 'true' or 'false', not {value!r}")]
            )
        return _BOOLS[value]
    return value


def answered_pairs(wizard: Wizard) -> Iterable[tuple[Question, JSONValue]]:
    """Yield each answered question with its answer, in the order of the rules."""
    for question in wizard.rulebook.questions:
        if question.fact in wizard.case.facts:
            yield question, _json_value(wizard.case, question.fact)
