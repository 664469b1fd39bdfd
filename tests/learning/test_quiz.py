"""Quiz grading: feedback per answer, skipped questions, the pass threshold."""

from __future__ import annotations

from ketenwijs.learning import grade_quiz, load_learning_content
from ketenwijs.learning.quiz import correct_answer


def _all_correct() -> dict[str, str]:
    quiz = load_learning_content().quiz
    return {q.id: correct_answer(q).id for q in quiz.questions}


def test_all_correct_passes_with_100_percent() -> None:
    result = grade_quiz(load_learning_content().quiz, _all_correct(), 0.8)
    assert (result.correct, result.percent, result.passed) == (result.total, 100, True)


def test_the_threshold_is_compared_exactly() -> None:
    quiz = load_learning_content().quiz
    answers = _all_correct()
    wrong = list(quiz.questions)[:2]
    for question in wrong:
        answers[question.id] = next(a.id for a in question.answers if not a.correct)
    result = grade_quiz(quiz, answers, 0.8)
    assert result.correct == result.total - 2
    assert result.passed is (result.correct >= 0.8 * result.total)


def test_skipped_and_unknown_answers_count_as_wrong_with_no_chosen_answer() -> None:
    quiz = load_learning_content().quiz
    first = quiz.questions[0]
    result = grade_quiz(quiz, {first.id: "no-such-answer"}, 0.8)
    assert result.questions[0].chosen is None
    assert result.correct == 0
    assert result.passed is False


def test_every_answer_has_feedback_and_every_question_a_known_source() -> None:
    content = load_learning_content()
    for question in content.quiz.questions:
        assert question.source in content.sources
        for answer in question.answers:
            assert answer.feedback.nl
            assert answer.feedback.en
