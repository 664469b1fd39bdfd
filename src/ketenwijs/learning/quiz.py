"""Grade a quiz honestly: each attempt draws its own questions from a pool, spread over the
lessons, with the options in a per-attempt order; no grade for unanswered questions; correct
answers shown only after a pass or after a limited number of attempts."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ketenwijs.learning.schema import Answer, Question, QuizFile, Track

T = TypeVar("T")

# After this many attempts without a pass the result page shows the correct answers (ADR 0006).
ATTEMPTS_BEFORE_REVEAL = 3
# The pool must be large enough that revealed answers of a few attempts do not cover the next
# one, and every attempt draws the same number, so results are comparable (issue 13).
QUIZ_MINIMUM_POOL = 40
QUIZ_DRAW_SIZE = 15
# After an attempt that failed and showed its answers, a new attempt waits this long, so the pool
# cannot be harvested by submitting anything over and over (issue 13).
QUIZ_COOLDOWN = dt.timedelta(hours=24)
# The correct option may be the strictly longest (or shortest) in at most this share of the
# questions; above it "always pick the longest" becomes a winning strategy (issue 13).
LENGTH_CUE_MAX_SHARE = 0.40


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


def grade_quiz(
    quiz: QuizFile,
    answers: Mapping[str, str],
    threshold: float,
    question_ids: Collection[str] | None = None,
) -> QuizResult:
    """Grade `answers` (question id → answer id) on the drawn `question_ids` (default: the whole
    pool); unknown answer ids count as unanswered."""
    graded = []
    for question in quiz.questions:
        if question_ids is not None and question.id not in question_ids:
            continue
        chosen_id = answers.get(question.id)
        chosen = next((a for a in question.answers if a.id == chosen_id), None)
        graded.append(GradedQuestion(question, chosen, correct_answer(question)))
    return QuizResult(tuple(graded), threshold)


def _seeded_random(seed: int, key: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    # Reproducible on purpose (the seed itself comes from `secrets`, and the order is shown anyway).
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311


def seeded_order(items: Sequence[T], seed: int, key: str) -> list[T]:
    """Return `items` shuffled by a seed and a key (question or node id): same input, same order."""
    ordered = list(items)
    _seeded_random(seed, key).shuffle(ordered)
    return ordered


def track_quiz_lessons(track: Track, quiz: QuizFile) -> frozenset[str] | None:
    """Return the lessons a track's quiz draws from: the track's own when they hold at least a
    full attempt of questions, else None (the whole pool), so a role is tested on its lessons."""
    if track.everything:
        return None
    lessons = frozenset(track.lessons)
    available = sum(1 for question in quiz.questions if question.lesson in lessons)
    return lessons if available >= quiz.per_attempt else None


def _spread(questions: Sequence[Question], wanted: int, rng: random.Random) -> set[str]:
    # Take questions in turn from each lesson (seeded order), so every lesson is tested before
    # any lesson gets a second question.
    by_lesson: dict[str, list[Question]] = {}
    for question in questions:
        by_lesson.setdefault(question.lesson, []).append(question)
    lessons = sorted(by_lesson)
    rng.shuffle(lessons)
    for lesson in lessons:
        rng.shuffle(by_lesson[lesson])
    wanted = min(wanted, len(questions))
    picked: set[str] = set()
    while len(picked) < wanted:
        for lesson in lessons:
            if by_lesson[lesson] and len(picked) < wanted:
                picked.add(by_lesson[lesson].pop().id)
    return picked


def draw_questions(
    quiz: QuizFile,
    seed: int,
    lessons: Collection[str] | None = None,
    avoid: Collection[str] = (),
) -> list[Question]:
    """Return the questions of one attempt: `per_attempt` of the pool (or of `lessons`), spread
    over the lessons, preferring questions not in `avoid` (those whose answers were revealed).

    The drawn questions keep their order in the pool, which groups them by lesson.
    """
    rng = _seeded_random(seed, "questions")
    eligible = [q for q in quiz.questions if lessons is None or q.lesson in lessons]
    fresh = [q for q in eligible if q.id not in avoid]
    picked = _spread(fresh, quiz.per_attempt, rng)
    if len(picked) < quiz.per_attempt:
        # Too few unseen questions left: fill up with revealed ones (spread as well).
        seen = [q for q in eligible if q.id in avoid]
        picked |= _spread(seen, quiz.per_attempt - len(picked), rng)
    return [question for question in quiz.questions if question.id in picked]


def _position_share_ok(orders: Mapping[str, list[Answer]], threshold: float) -> bool:
    # No single position may hold enough correct answers to pass: "always the first (or second,
    # or last) option" must fail in every draw, not merely in most.
    total = len(orders)
    counts: dict[int, int] = {}
    for answers in orders.values():
        position = next(i for i, answer in enumerate(answers) if answer.correct)
        counts[position] = counts.get(position, 0) + 1
    return all(count < threshold * total for count in counts.values())


def draw_quiz(
    quiz: QuizFile,
    seed: int,
    threshold: float,
    lessons: Collection[str] | None = None,
    avoid: Collection[str] = (),
) -> dict[str, list[Answer]]:
    """Return the drawn questions of one attempt (in pool order) with their answer order, both
    fixed by the attempt's seed (and the lessons and revealed questions it draws around)."""
    return order_answers(draw_questions(quiz, seed, lessons, avoid), seed, threshold)


def order_answers(
    drawn: Sequence[Question], seed: int, threshold: float
) -> dict[str, list[Answer]]:
    """Return each drawn question's answers in the attempt's seeded order.

    Orders in which one position holds a passing share of the correct answers are skipped
    (deterministically, by trying seed variants in turn), so a position strategy cannot pass.
    """
    for variant in range(1000):
        orders = {q.id: seeded_order(q.answers, seed, f"{variant}:{q.id}") for q in drawn}
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


def cooldown_until(
    revealed_failures: Sequence[dt.datetime], now: dt.datetime
) -> dt.datetime | None:
    """Return until when a new attempt must wait: QUIZ_COOLDOWN after the latest failed attempt
    that showed its answers, or None when no wait applies."""
    if not revealed_failures:
        return None
    until = max(revealed_failures) + QUIZ_COOLDOWN
    return until if until > now else None


@dataclass(frozen=True)
class LengthCue:
    """How often the correct option stands out by length in one language."""

    language: str
    longest: tuple[str, ...]  # ids of questions whose correct option is strictly the longest
    shortest: tuple[str, ...]  # ... strictly the shortest
    total: int
    worst: tuple[tuple[str, float], ...]  # (id, correct length / longest other), worst first

    @property
    def longest_share(self) -> float:
        """Return the share of questions whose correct option is strictly the longest."""
        return len(self.longest) / self.total if self.total else 0.0

    @property
    def shortest_share(self) -> float:
        """Return the share of questions whose correct option is strictly the shortest."""
        return len(self.shortest) / self.total if self.total else 0.0


def length_cue(questions: Sequence[Question], language: str) -> LengthCue:
    """Measure the length cue of the correct options in `language` ("nl" or "en")."""
    longest: list[str] = []
    shortest: list[str] = []
    ratios: list[tuple[str, float]] = []
    for question in questions:
        right = len(correct_answer(question).text.in_language(language))
        others = [len(a.text.in_language(language)) for a in question.answers if not a.correct]
        if not others:
            continue
        if right > max(others):
            longest.append(question.id)
            ratios.append((question.id, right / max(max(others), 1)))
        if right < min(others):
            shortest.append(question.id)
    ratios.sort(key=lambda item: item[1], reverse=True)
    return LengthCue(language, tuple(longest), tuple(shortest), len(questions), tuple(ratios))
