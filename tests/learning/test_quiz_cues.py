"""No answer cue: the correct option does not give itself away by its length, and the simple
test-taking strategies (longest, shortest, first, last as shown) cannot reach the pass mark."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

import pytest
import yaml

from ketenwijs.learning import PACKAGED_CONTENT, check_learning_content, load_learning_content
from ketenwijs.learning.quiz import (
    LENGTH_CUE_MAX_SHARE,
    answers_from_positions,
    draw_quiz,
    grade_quiz,
    length_cue,
)
from ketenwijs.learning.schema import Answer, QuizFile

SEEDS = range(600)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_correct_option_is_rarely_the_longest_or_the_shortest(language: str) -> None:
    cue = length_cue(load_learning_content().quiz.questions, language)
    assert LENGTH_CUE_MAX_SHARE == 0.40
    # The content target of issue 13: about a third each, so length says nothing.
    assert cue.longest_share <= 0.30, cue.longest
    assert cue.shortest_share <= 0.35, cue.shortest


def _pick_by_length(language: str, longest: bool) -> Callable[[list[Answer]], int]:
    def pick(options: list[Answer]) -> int:
        lengths = [len(a.text.in_language(language)) for a in options]
        return lengths.index(max(lengths) if longest else min(lengths)) + 1  # ties: first shown

    return pick


STRATEGIES: dict[str, Callable[[list[Answer]], int]] = {
    "longest (nl)": _pick_by_length("nl", longest=True),
    "shortest (nl)": _pick_by_length("nl", longest=False),
    "longest (en)": _pick_by_length("en", longest=True),
    "shortest (en)": _pick_by_length("en", longest=False),
    "first": lambda options: 1,
    "last": lambda options: len(options),
}


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_no_simple_strategy_reaches_the_pass_mark(strategy: str) -> None:
    content = load_learning_content()
    threshold = content.module.quiz_pass_threshold
    pick = STRATEGIES[strategy]
    scores = []
    for seed in SEEDS:
        orders = draw_quiz(content.quiz, seed, threshold)
        posted = {qid: str(pick(options)) for qid, options in orders.items()}
        answers, unanswered = answers_from_positions(orders, posted)
        assert not unanswered
        result = grade_quiz(content.quiz, answers, threshold, list(orders))
        assert not result.passed, (strategy, seed, result.correct)
        scores.append(result.correct / result.total)
    # Not even close on average: no better than a blind guess among three, with some margin.
    assert mean(scores) < 0.45, (strategy, mean(scores))


def _copy_with_quiz(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    copy = tmp_path / "learning"
    shutil.copytree(PACKAGED_CONTENT, copy)
    data = yaml.safe_load((copy / "quiz.yaml").read_text(encoding="utf-8"))
    edit(data)
    (copy / "quiz.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def _pad_correct(data: dict[str, Any]) -> None:
    for question in data["questions"]:
        for answer in question["answers"]:
            if answer.get("correct"):
                answer["text"]["nl"] += " Dit geldt, mits je het zorgvuldig afweegt en vastlegt."


def test_validation_refuses_a_pool_whose_correct_option_is_mostly_the_longest(
    tmp_path: Path,
) -> None:
    content, errors = check_learning_content(_copy_with_quiz(tmp_path, _pad_correct))
    assert content is None
    messages = [e.reason for e in errors if "longest (nl)" in e.reason]
    assert len(messages) == 1, [e.reason for e in errors]
    assert "at most 40% allowed" in messages[0]
    padded = yaml.safe_load((tmp_path / "learning" / "quiz.yaml").read_text(encoding="utf-8"))
    cue = length_cue(QuizFile.model_validate(padded).questions, "nl")
    assert cue.longest_share > LENGTH_CUE_MAX_SHARE
    # The worst offenders are named first, so the author knows where to start.
    assert f"wrong length): '{cue.worst[0][0]}'" in messages[0]
    assert all(e.path is not None and e.path.name == "quiz.yaml" for e in errors)


def test_validation_refuses_a_pool_whose_correct_option_is_mostly_the_shortest(
    tmp_path: Path,
) -> None:
    def shorten(data: dict[str, Any]) -> None:
        for question in data["questions"]:
            for answer in question["answers"]:
                if answer.get("correct"):
                    answer["text"]["en"] = "Yes."

    content, errors = check_learning_content(_copy_with_quiz(tmp_path, shorten))
    assert content is None
    assert any("shortest (en)" in e.reason for e in errors), [e.reason for e in errors]


def test_the_packaged_pool_passes_the_length_check() -> None:
    _, errors = check_learning_content(PACKAGED_CONTENT)
    assert errors == []
