"""Completion: all lessons read, a good ending in every required scenario, quiz passed."""

from __future__ import annotations

from ketenwijs.learning import evaluate_progress, load_learning_content


def test_everything_done_is_complete() -> None:
    content = load_learning_content()
    progress = evaluate_progress(
        content,
        {lesson.id for lesson in content.lessons},
        {s.id for s in content.scenarios},
        quiz_passed=True,
    )
    assert progress.is_complete is True
    assert progress.percent == 100


def test_one_missing_scenario_blocks_completion_and_is_named() -> None:
    content = load_learning_content()
    finished = {s.id for s in content.scenarios} - {"geen-uitbuiting"}
    progress = evaluate_progress(
        content, {lesson.id for lesson in content.lessons}, finished, quiz_passed=True
    )
    assert progress.is_complete is False
    assert progress.scenarios_missing == ("geen-uitbuiting",)


def test_a_failed_quiz_blocks_completion() -> None:
    content = load_learning_content()
    progress = evaluate_progress(
        content,
        {lesson.id for lesson in content.lessons},
        {s.id for s in content.scenarios},
        quiz_passed=False,
    )
    assert progress.is_complete is False


def test_ids_of_removed_content_do_not_count() -> None:
    content = load_learning_content()
    progress = evaluate_progress(content, {"old-lesson"}, set(), quiz_passed=False)
    assert progress.lessons_done == 0
    assert progress.percent == 0


def test_only_required_scenarios_count() -> None:
    import dataclasses

    content = load_learning_content()
    optional = content.scenarios[0].model_copy(update={"required": False})
    changed = dataclasses.replace(content, scenarios=(optional, *content.scenarios[1:]))
    good = {s.id for s in content.scenarios[1:]}
    progress = evaluate_progress(
        changed, {lesson.id for lesson in content.lessons}, good, quiz_passed=True
    )
    assert progress.is_complete is True
    assert progress.scenarios_total == len(content.scenarios) - 1
