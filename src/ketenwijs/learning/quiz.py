"""Grade a quiz: feedback per answer, a score and whether the pass threshold is met."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ketenwijs.learning.schema import Answer, Question, QuizFile


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
