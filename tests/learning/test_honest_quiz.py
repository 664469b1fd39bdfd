"""Honest assessment in the core: options in a per-attempt order that no position strategy can
pass, positions mapped back to answers, unanswered questions named, answers revealed late."""

from __future__ import annotations

import pytest

from ketenwijs.learning import grade_quiz, load_learning_content
from ketenwijs.learning.quiz import (
    ATTEMPTS_BEFORE_REVEAL,
    answers_from_positions,
    draw_quiz,
    reveals_answers,
    seeded_order,
)
from ketenwijs.learning.scoring import ordered_choices

SEEDS = range(400)


def test_the_same_seed_gives_the_same_order_and_seeds_differ() -> None:
    items = list(range(6))
    assert seeded_order(items, 42, "q") == seeded_order(items, 42, "q")
    assert len({tuple(seeded_order(items, seed, "q")) for seed in range(30)}) > 10
    assert sorted(seeded_order(items, 7, "q")) == items


@pytest.mark.parametrize("position", [1, 2, 3, 4])
def test_always_choosing_the_same_position_never_passes(position: int) -> None:
    content = load_learning_content()
    threshold = content.module.quiz_pass_threshold
    for seed in SEEDS:
        orders = draw_quiz(content.quiz, seed, threshold)
        posted = {question_id: str(position) for question_id in orders}
        answers, _ = answers_from_positions(orders, posted)
        result = grade_quiz(content.quiz, answers, threshold, list(orders))
        assert result.total == content.quiz.per_attempt
        assert not result.passed, (seed, position, result.correct)


def test_an_empty_attempt_never_passes() -> None:
    content = load_learning_content()
    threshold = content.module.quiz_pass_threshold
    for seed in range(50):
        orders = draw_quiz(content.quiz, seed, threshold)
        answers, unanswered = answers_from_positions(orders, {})
        assert unanswered == list(orders)
        assert not grade_quiz(content.quiz, answers, threshold, list(orders)).passed


def test_the_correct_answer_is_not_always_in_the_same_place() -> None:
    content = load_learning_content()
    threshold = content.module.quiz_pass_threshold
    draws = [draw_quiz(content.quiz, seed, threshold) for seed in range(200)]
    for question in content.quiz.questions:
        right = next(a.id for a in question.answers if a.correct)
        places = {
            [a.id for a in orders[question.id]].index(right)
            for orders in draws
            if question.id in orders
        }
        assert len(places) == len(question.answers), question.id


def test_positions_map_back_to_the_answers_of_that_order() -> None:
    content = load_learning_content()
    orders = draw_quiz(content.quiz, 5, content.module.quiz_pass_threshold)
    first = next(iter(orders))
    answers, unanswered = answers_from_positions(orders, {first: "2"})
    assert answers == {first: orders[first][1].id}
    assert unanswered == [q for q in orders if q != first]


@pytest.mark.parametrize("raw", ["", "0", "99", "x", "-1", "1.0", "nee"])
def test_missing_or_invalid_positions_are_unanswered(raw: str) -> None:
    content = load_learning_content()
    orders = draw_quiz(content.quiz, 1, content.module.quiz_pass_threshold)
    answers, unanswered = answers_from_positions(orders, dict.fromkeys(orders, raw))
    assert answers == {}
    assert unanswered == list(orders)


def test_answers_are_revealed_only_after_a_pass_or_enough_attempts() -> None:
    assert ATTEMPTS_BEFORE_REVEAL == 3
    assert reveals_answers(passed=True, attempts_so_far=1)
    assert not reveals_answers(passed=False, attempts_so_far=1)
    assert not reveals_answers(passed=False, attempts_so_far=2)
    assert reveals_answers(passed=False, attempts_so_far=3)


def test_scenario_choices_are_shuffled_per_run_and_stable_within_a_run() -> None:
    content = load_learning_content()
    for scenario in content.scenarios:
        node = scenario.nodes[scenario.start]
        assert ordered_choices(node, 3, scenario.start) == ordered_choices(node, 3, scenario.start)
        firsts = {ordered_choices(node, seed, scenario.start)[0].id for seed in range(40)}
        assert firsts == {choice.id for choice in node.choices}, scenario.id
