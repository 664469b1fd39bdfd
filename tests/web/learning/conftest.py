"""Helpers for learning web tests: drive a learner to completion through HTTP."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.quiz import QUIZ_COOLDOWN, correct_answer
from ketenwijs.learning.schema import Answer, ScenarioFile
from ketenwijs.learning.scoring import best_path as scoring_best_path
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import QuizAttempt, QuizDraw


def best_path(scenario: ScenarioFile) -> list[str]:
    """Return the choice ids of a highest-scoring path to an ending (no revisits, with state)."""
    return scoring_best_path(scenario)[1]


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


DRAW = re.compile(r'name="draw" value="(\d+)"')


def open_quiz(client: Client) -> tuple[int, dict[str, list[Answer]]]:
    """Open the quiz page as the learner; return the draw id and its answer order."""
    page = client.get(reverse("learning:quiz")).content.decode()
    found = DRAW.search(page)
    assert found is not None
    draw = QuizDraw.objects.get(pk=int(found.group(1)))
    return draw.pk, services.draw_order(draw)


def end_cooldown() -> None:
    """Move every quiz attempt back past the cooldown, as if a day had gone by."""
    QuizAttempt.objects.update(created_at=F("created_at") - QUIZ_COOLDOWN - dt.timedelta(minutes=1))


def quiz_answers(client: Client, correct: bool = True) -> dict[str, str]:
    """Open the quiz and return a form posting the right (or a wrong) option for every question."""
    draw_id, orders = open_quiz(client)
    answers = {"draw": str(draw_id)}
    for question in load_learning_content().quiz.questions:
        if question.id not in orders:
            continue  # not drawn in this attempt
        right = correct_answer(question)
        pick = right if correct else next(a for a in question.answers if not a.correct)
        position = [a.id for a in orders[question.id]].index(pick.id) + 1
        answers[f"q-{question.id}"] = str(position)
    return answers


def complete_module(client: Client) -> None:
    """Read every lesson, reach the best ending of every scenario and pass the quiz, via HTTP."""
    content = load_learning_content()
    for lesson in content.lessons:
        assert client.post(reverse("learning:lesson", args=[lesson.id])).status_code == 302
    for scenario in content.scenarios:
        play(client, scenario.id)
    assert client.post(reverse("learning:quiz"), quiz_answers(client)).status_code == 302
