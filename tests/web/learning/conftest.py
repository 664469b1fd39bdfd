"""Helpers for learning web tests: drive a learner to completion through HTTP."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.quiz import correct_answer
from ketenwijs.learning.schema import ScenarioFile
from ketenwijs.learning.scoring import choice_points


def best_path(scenario: ScenarioFile) -> list[str]:
    """Return the choice ids of a highest-scoring path to an ending (no revisits)."""
    best: tuple[int, list[str]] | None = None

    def walk(node_id: str, seen: frozenset[str], score: int, path: list[str]) -> None:
        nonlocal best
        node = scenario.nodes[node_id]
        if node.ending is not None:
            if best is None or score > best[0]:
                best = (score, path)
            return
        for choice in node.choices:
            if choice.next not in seen:
                walk(
                    choice.next,
                    seen | {choice.next},
                    score + choice_points(choice),
                    [*path, choice.id],
                )

    walk(scenario.start, frozenset({scenario.start}), 0, [])
    assert best is not None
    return best[1]


def play(client: Client, scenario_id: str, path: list[str] | None = None) -> int:
    """Start a scenario and post the choices; return the run id."""
    scenario = load_learning_content().scenario(scenario_id)
    assert scenario is not None
    response = client.post(reverse("learning:scenario_start", args=[scenario_id]))
    assert response.status_code == 302
    run_url = response["Location"]
    for choice_id in path if path is not None else best_path(scenario):
        assert client.post(run_url, {"choice": choice_id}).status_code == 302
    return int(run_url.rstrip("/").split("/")[-1])


def quiz_answers(correct: bool = True) -> dict[str, str]:
    answers = {}
    for question in load_learning_content().quiz.questions:
        right = correct_answer(question)
        pick = right if correct else next(a for a in question.answers if not a.correct)
        answers[f"q-{question.id}"] = pick.id
    return answers


def complete_module(client: Client) -> None:
    """Read every lesson, finish every scenario and pass the quiz, all through HTTP."""
    content = load_learning_content()
    for lesson in content.lessons:
        assert client.post(reverse("learning:lesson", args=[lesson.id])).status_code == 302
    for scenario in content.scenarios:
        play(client, scenario.id)
    assert client.post(reverse("learning:quiz"), quiz_answers()).status_code == 302
