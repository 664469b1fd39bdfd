"""Grade a quiz honestly: options in a per-attempt order, no grade for unanswered questions,
and correct answers shown only after a pass or after a limited number of attempts."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ketenwijs.learning.schema import Answer, Question, QuizFile

T = TypeVar("T")

# After this many attempts without a pass the result page shows the correct answers (ADR 0006).
ATTEMPTS_BEFORE_REVEAL = 3


@dataclass(frozen=True)
class GradedQuestion:
    """One question as answered: the chosen answer (None when skipped) and the correct one."""

    question: Question
    chosen: Answer | None
    correct_answer: Answer

    @property
    def is_correct(self) -> bool:
        """Return whether the chosen answer is the correct one."""
        return self.chosen is not None and self.chosen.id == self.correct_answer.id


@dataclass(frozen=True)
class QuizResult:
    """The graded quiz."""

    questions: tuple[GradedQuestion, ...]
    threshold: float

    @property
    def correct(self) -> int:
        """Return the number of correctly answered questions."""
        return sum(1 for q in self.questions if q.is_correct)

    @property
    def total(self) -> int:
        """Return the number of questions."""
        return len(self.questions)

    @property
    def percent(self) -> int:
        """Return the score as a whole percentage."""
        return round(100 * self.correct / self.total) if self.total else 0

    @property
    def passed(self) -> bool:
        """Return whether the score reaches the threshold (compared exactly, not rounded)."""
        return self.total > 0 and self.correct >= self.threshold * self.total


def correct_answer(question: Question) -> Answer:
    """Return the single correct answer of a question (the loader guarantees there is one)."""
    return next(answer for answer in question.answers if answer.correct)


def grade_quiz(quiz: QuizFile, answers: Mapping[str, str], threshold: float) -> QuizResult:
    """Grade `answers` (question id → answer id); unknown answer ids count as unanswered."""
    graded = []
    for question in quiz.questions:
        chosen_id = answers.get(question.id)
        chosen = next((a for a in question.answers if a.id == chosen_id), None)
        graded.append(GradedQuestion(question, chosen, correct_answer(question)))
    return QuizResult(tuple(graded), threshold)


def seeded_order(items: Sequence[T], seed: int, key: str) -> list[T]:
    """Return `items` shuffled by a seed and a key (question or node id): same input, same order."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    ordered = list(items)
    # Reproducible on purpose (the seed itself comes from `secrets`, and the order is shown anyway).
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(ordered)  # noqa: S311
    return ordered


def _position_share_ok(orders: Mapping[str, list[Answer]], threshold: float) -> bool:
    # No single position may hold enough correct answers to pass: "always the first (or second,
    # or last) option" must fail in every draw, not merely in most.
    total = len(orders)
    counts: dict[int, int] = {}
    for answers in orders.values():
        position = next(i for i, answer in enumerate(answers) if answer.correct)
        counts[position] = counts.get(position, 0) + 1
    return all(count < threshold * total for count in counts.values())


def draw_quiz(quiz: QuizFile, seed: int, threshold: float) -> dict[str, list[Answer]]:
    """Return the answer order of every question for one attempt, fixed by the attempt's seed.

    Orders in which one position holds a passing share of the correct answers are skipped
    (deterministically, by trying seed variants in turn), so a position strategy cannot pass.
    """
    for variant in range(1000):
        orders = {q.id: seeded_order(q.answers, seed, f"{variant}:{q.id}") for q in quiz.questions}
        if _position_share_ok(orders, threshold):
            return orders
    raise ValueError("no answer order keeps every position below the pass mark")


def answers_from_positions(
    orders: Mapping[str, list[Answer]], posted: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Map posted 1-based option positions to answer ids; return them and the unanswered ids."""
    answers: dict[str, str] = {}
    unanswered: list[str] = []
    for question_id, ordered in orders.items():
        raw = posted.get(question_id, "")
        if raw.isdigit() and 1 <= int(raw) <= len(ordered):
            answers[question_id] = ordered[int(raw) - 1].id
        else:
            unanswered.append(question_id)
    return answers, unanswered


def reveals_answers(passed: bool, attempts_so_far: int) -> bool:
    """Return whether a result may show the correct answers: after a pass, or enough attempts."""
    return passed or attempts_so_far >= ATTEMPTS_BEFORE_REVEAL
