"""The assessment wizard's state: one interview per assessment id, kept in the user's session.

The pure `Interview` decides which question comes next; this module only keeps its state between
requests (the session is per signed-in user, so another user's assessment id is simply unknown),
reads answers and hand-off parameters from a request, and remembers answers that `back` forgot,
so going back and forward again keeps them preselected. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.http import QueryDict

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

SESSION_KEY = "sharing_assessments"
# A session keeps the most recent assessments only, so it cannot grow without bound.
MAX_ASSESSMENTS = 10
# The "none of these" box of a several-answers question (an empty list of categories).
NONE_OF_THESE = "none"
# Request keys that are not case facts.
_NOT_FACTS = frozenset({"csrfmiddlewaretoken", "entry", "start"})
_BOOLS = {"true": True, "false": False}

JSONValue = str | bool | list[str]


class AnswerError(ValueError):
    """The form came back without a usable answer: a user's slip, shown on the same page.

    `code` is `missing` (nothing chosen) or `none_combined` ("none of these" plus others).
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

    @property
    def rulebook(self) -> Rulebook:
        return load_rulebook()

    @property
    def interview(self) -> Interview:
        return Interview(self.rulebook, self.case, self.start_at, self.history)

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
        """Return the wizard with one more answer (validated by the core; CaseError if not)."""
        interview = self.interview.answer(fact, value)
        kept = {k: v for k, v in self.kept.items() if k != fact}
        return replace(
            self,
            case=interview.case,
            history=interview.history,
            kept=kept,
            suggested=self.suggested - {fact},
            saved_url=None,
        )

    def back(self) -> Wizard:
        """Return the wizard with the last answer forgotten but kept for preselection."""
        if not self.history:
            return self
        last = self.history[-1]
        interview = self.interview.back()
        kept = {**self.kept, last: _json_value(self.case, last)}
        return replace(
            self, case=interview.case, history=interview.history, kept=kept, saved_url=None
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
            "touched": dt.datetime.now(dt.UTC).isoformat(),
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
    if urgent:
        wizard = wizard.answer("acute_danger", True)
    return wizard


def load(session: MutableMapping[str, Any], wizard_id: str) -> Wizard | None:
    """Return this session's assessment with that id, or None (unknown, or someone else's)."""
    stored = session.get(SESSION_KEY, {}).get(str(wizard_id))
    if stored is None:
        return None
    return Wizard.from_session(str(wizard_id), stored)


def store(session: MutableMapping[str, Any], wizard: Wizard) -> None:
    """Save the assessment in the session, dropping the oldest beyond MAX_ASSESSMENTS."""
    assessments = dict(session.get(SESSION_KEY, {}))
    assessments[wizard.id] = wizard.to_session()
    newest = sorted(assessments.items(), key=lambda item: item[1]["touched"], reverse=True)
    session[SESSION_KEY] = dict(newest[:MAX_ASSESSMENTS])


def read_answer(question: Question, data: QueryDict) -> object:
    """Return the typed answer to `question` from a posted form.

    Raises AnswerError when nothing usable was chosen (shown on the page) and CaseError when a
    value is not one the question offers (a tampered form: 400).
    """
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
