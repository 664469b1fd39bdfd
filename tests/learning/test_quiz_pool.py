"""The quiz pool: at least 40 questions, 15 drawn per attempt, spread over the lessons, and the
situations the issue's balance list asks for are in the pool."""

from __future__ import annotations

import math
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ketenwijs.learning import PACKAGED_CONTENT, check_learning_content, load_learning_content
from ketenwijs.learning.quiz import (
    QUIZ_DRAW_SIZE,
    QUIZ_MINIMUM_POOL,
    draw_questions,
    draw_quiz,
    grade_quiz,
)
from ketenwijs.learning.schema import SourceKind


def test_the_pool_is_large_enough_and_an_attempt_draws_fifteen() -> None:
    quiz = load_learning_content().quiz
    assert QUIZ_MINIMUM_POOL == 40
    assert QUIZ_DRAW_SIZE == 15
    assert len(quiz.questions) >= QUIZ_MINIMUM_POOL
    assert quiz.per_attempt == QUIZ_DRAW_SIZE
    for seed in range(100):
        drawn = draw_questions(quiz, seed)
        assert len(drawn) == QUIZ_DRAW_SIZE
        assert len({q.id for q in drawn}) == QUIZ_DRAW_SIZE


def test_every_draw_covers_every_lesson_before_repeating_one() -> None:
    content = load_learning_content()
    lessons = {q.lesson for q in content.quiz.questions}
    assert lessons == {lesson.id for lesson in content.lessons}
    most = math.ceil(QUIZ_DRAW_SIZE / len(lessons))
    for seed in range(200):
        per_lesson = Counter(q.lesson for q in draw_questions(content.quiz, seed))
        assert set(per_lesson) == lessons, seed
        assert max(per_lesson.values()) <= most, (seed, per_lesson)


def test_draws_are_reproducible_differ_by_seed_and_reach_the_whole_pool() -> None:
    quiz = load_learning_content().quiz
    assert draw_questions(quiz, 11) == draw_questions(quiz, 11)
    draws = [tuple(q.id for q in draw_questions(quiz, seed)) for seed in range(300)]
    assert len(set(draws)) > 250
    assert {qid for draw in draws for qid in draw} == {q.id for q in quiz.questions}


def test_drawn_questions_keep_their_pool_order() -> None:
    quiz = load_learning_content().quiz
    position = {q.id: i for i, q in enumerate(quiz.questions)}
    orders = draw_quiz(quiz, 3, 0.8)
    assert [position[qid] for qid in orders] == sorted(position[qid] for qid in orders)


def test_grading_counts_only_the_drawn_questions() -> None:
    content = load_learning_content()
    orders = draw_quiz(content.quiz, 8, 0.8)
    right = {
        q.id: next(a.id for a in q.answers if a.correct)
        for q in content.quiz.questions
        if q.id in orders
    }
    result = grade_quiz(content.quiz, right, 0.8, list(orders))
    assert (result.correct, result.total, result.passed) == (15, 15, True)


def _copy_with_quiz(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    data = yaml.safe_load((copy / "quiz.yaml").read_text(encoding="utf-8"))
    edit(data)
    (copy / "quiz.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def test_validation_refuses_a_pool_under_forty(tmp_path: Path) -> None:
    def truncate(data: dict[str, Any]) -> None:
        data["questions"] = data["questions"][:39]

    copy = _copy_with_quiz(tmp_path, truncate)
    content, errors = check_learning_content(copy)
    assert content is None
    assert [e.reason for e in errors] == [
        "the quiz pool has 39 questions; at least 40 are needed so that attempts differ"
    ]


def test_validation_refuses_a_draw_other_than_fifteen(tmp_path: Path) -> None:
    for per_attempt in (10, 14, 16, 40):

        def set_draw(data: dict[str, Any], n: int = per_attempt) -> None:
            data["per_attempt"] = n

        copy = _copy_with_quiz(tmp_path / str(per_attempt), set_draw)
        content, errors = check_learning_content(copy)
        assert content is None
        assert [e.reason for e in errors] == [
            f"per_attempt is {per_attempt}; every attempt draws 15 questions, "
            "so results stay comparable"
        ]


def test_a_question_naming_an_unknown_lesson_is_refused_with_a_suggestion(
    tmp_path: Path,
) -> None:
    def misspell(data: dict[str, Any]) -> None:
        data["questions"][0]["lesson"] = "wat-is-uitbuitng"

    content, errors = check_learning_content(_copy_with_quiz(tmp_path, misspell))
    assert content is None
    assert len(errors) == 1
    assert "names unknown lesson 'wat-is-uitbuitng'" in errors[0].reason
    assert errors[0].suggestion == "wat-is-uitbuiting"


def test_the_pool_covers_the_balance_list() -> None:
    ids = {q.id for q in load_learning_content().quiz.questions}
    assert {
        "vrouw-als-dader",  # a woman who is not merely a man's victim
        "moeder-als-dader",  # family: mother
        "stiefvader",  # family: stepfather
        "jongen-niet-uit-de-kast",  # LGBTQ+ boy open to blackmail
        "nepprofiel",  # boys and sextortion
        "webcam-op-afstand",  # remote exploitation
        "ontkent",  # a young person who denies
        "klant-zeventienjarige",  # clients of 16-17-year-olds
        "naaktbeeld-niet-doorsturen",  # nude images of minors: never copy or forward
        "csg-acuut",  # Centrum Seksueel Geweld
        "fier-chat",  # Fier's chat
        "veilig-voelen-gesloten",  # "do you feel safe?" is a closed question
    } <= ids


def test_the_closed_safety_question_is_a_wrong_answer() -> None:
    question = next(
        q for q in load_learning_content().quiz.questions if q.id == "veilig-voelen-gesloten"
    )
    feel_safe = next(a for a in question.answers if a.id == "voel-je-veilig")
    assert not feel_safe.correct
    assert "gesloten" in feel_safe.feedback.nl


def test_questions_on_renumbered_or_changing_law_carry_a_stand_per_date() -> None:
    content = load_learning_content()
    for question in content.quiz.questions:
        source = content.sources[question.source]
        if question.source in {"om-richtlijn-248b", "sr-240b-2010", "kst-36547-d"}:
            assert question.time_sensitive is not None, question.id
        assert source.kind in set(SourceKind)


def test_every_question_has_three_options_with_feedback() -> None:
    for question in load_learning_content().quiz.questions:
        assert len(question.answers) >= 3, question.id
        assert all(a.feedback.nl and a.feedback.en for a in question.answers), question.id


def test_cards_on_renumbered_law_carry_a_stand_per_date() -> None:
    for card in load_learning_content().cards:
        if card.source in {"om-richtlijn-248b", "sr-240b-2010", "kst-36547-d"}:
            assert card.time_sensitive is not None, card.id
