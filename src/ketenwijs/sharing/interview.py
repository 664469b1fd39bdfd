"""A guided interview: the next relevant question for the facts known so far.

Stateless by design, so a web page can rebuild it from the request: `Interview(rulebook, case)`
answers `next_question()`, `answer(fact, value)` returns a new interview, `back()` forgets the last
answer. Questions whose `relevant_when` is false for the known facts are skipped (e.g. no consent
question when there are no personal data; the data-category question stays, because secrecy rules
apply to anonymous information too). When the urgency path is met, the interview stops and the
answer comes first. `start_at` (a step id from the infographic, or a fact id) begins there.
`answer_unknown(fact)` records "I don't know": the fact stays absent from the case (so the engine's
checks on it are `unknown`, which asks for advice) but the question is not asked again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ketenwijs.sharing.case import Case, CaseError, FieldError
from ketenwijs.sharing.engine import Assessment, evaluate
from ketenwijs.sharing.rulebook import CompiledVersion, Question, Rulebook


@dataclass(frozen=True)
class Progress:
    """How far the interview is: answered and still-relevant questions."""

    answered: int
    remaining: int

    @property
    def total(self) -> int:
        """Return the number of questions relevant so far."""
        return self.answered + self.remaining


@dataclass(frozen=True)
class Interview:
    """The state of one interview: the case so far, an optional start step, answer order."""

    rulebook: Rulebook
    case: Case = field(default_factory=Case)
    start_at: str | None = None
    history: tuple[str, ...] = ()
    today: dt.date | None = None
    # Facts the user answered with "I don't know": absent from the case, not asked again.
    unknown: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.start_at is not None:
            steps = {s.id for s in self.rulebook.steps}
            facts = {q.fact for q in self.rulebook.questions}
            if self.start_at not in steps | facts:
                raise CaseError(
                    [FieldError("start_at", f"unknown step or question '{self.start_at}'")]
                )

    @property
    def _version(self) -> CompiledVersion:
        return self.rulebook.version_for(self.case.reference_date or self.today or dt.date.today())

    def _ordered(self) -> list[Question]:
        questions = list(self.rulebook.questions)
        if self.start_at is None:
            return questions
        for i, q in enumerate(questions):
            if self.start_at in (q.step, q.fact):
                return questions[i:] + questions[:i]
        return questions

    def is_relevant(self, question: Question) -> bool:
        """Return whether the question can matter for the facts known so far."""
        fn = self._version.relevance.get(question.fact)
        if fn is None:
            return True
        # The secrecy the sender's own duty implies counts too (ruleset.yaml implied_secrecy).
        return fn(self.rulebook.effective_facts(self.case.facts), {}, None) is not False

    def is_urgent(self) -> bool:
        """Return whether the urgency path is already met (answer first, paperwork after)."""
        return self.assessment().urgent

    def open_questions(self) -> list[Question]:
        """Return the unanswered relevant questions in asking order, urgency or not.

        After an urgent answer these are the paperwork that still has to be done.
        """
        return [q for q in self._ordered() if self._is_open(q)]

    def _is_open(self, question: Question) -> bool:
        return (
            question.fact not in self.case.facts
            and question.fact not in self.unknown
            and self.is_relevant(question)
        )

    def next_question(self) -> Question | None:
        """Return the next unanswered relevant question, or None when the interview is done."""
        if self.is_urgent():
            return None
        for question in self._ordered():
            if self._is_open(question):
                return question
        return None

    def answer(self, fact_id: str, value: object) -> Interview:
        """Return the interview with one more (validated) answer."""
        case = self.case.with_fact(fact_id, value)
        history = (*[h for h in self.history if h != fact_id], fact_id)
        unknown = self.unknown - {fact_id}
        return Interview(self.rulebook, case, self.start_at, history, self.today, unknown)

    def answer_unknown(self, fact_id: str) -> Interview:
        """Return the interview with "I don't know" for one asked fact (left out of the case)."""
        if not any(q.fact == fact_id for q in self.rulebook.questions):
            raise CaseError([FieldError(fact_id, "unknown question")])
        history = (*[h for h in self.history if h != fact_id], fact_id)
        return Interview(
            self.rulebook,
            self.case.without_fact(fact_id),
            self.start_at,
            history,
            self.today,
            self.unknown | {fact_id},
        )

    def without_irrelevant(self) -> Interview:
        """Return the interview without answers to questions that no longer matter.

        After a changed answer (e.g. personal data "none"), earlier answers to questions that
        are now skipped would otherwise stay in the case and the summary.
        """
        state = self
        while True:
            stale = [
                q.fact
                for q in self.rulebook.questions
                if (q.fact in state.case.facts or q.fact in state.unknown)
                and not state.is_relevant(q)
            ]
            if not stale:
                return state
            case = state.case
            for fact in stale:
                case = case.without_fact(fact)
            state = Interview(
                self.rulebook,
                case,
                self.start_at,
                tuple(h for h in state.history if h not in stale),
                self.today,
                state.unknown - set(stale),
            )

    def back(self) -> Interview:
        """Return the interview with the last answer forgotten (no-op at the start)."""
        if not self.history:
            return self
        last = self.history[-1]
        return Interview(
            self.rulebook,
            self.case.without_fact(last),
            self.start_at,
            self.history[:-1],
            self.today,
            self.unknown - {last},
        )

    def progress(self) -> Progress:
        """Count answered and remaining relevant questions."""
        answered = sum(
            1
            for q in self.rulebook.questions
            if q.fact in self.case.facts or q.fact in self.unknown
        )
        remaining = sum(1 for q in self.rulebook.questions if self._is_open(q))
        return Progress(answered, 0 if self.is_urgent() else remaining)

    def assessment(self, explain: bool = False) -> Assessment:
        """Evaluate the facts known so far (missing facts make checks unknown).

        `explain` also lists the answers that would change the outcome (engine `Change`s).
        """
        return evaluate(self.case, self.rulebook, self.today, explain=explain)
