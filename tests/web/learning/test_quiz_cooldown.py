"""Answer harvesting through HTTP: a failed attempt that reveals its answers starts a cooldown,
the next attempt draws questions the learner has not seen answered, and a role track's quiz
draws from the track's lessons."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.quiz import ATTEMPTS_BEFORE_REVEAL, QUIZ_DRAW_SIZE
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import QuizAnswer, QuizAttempt, QuizDraw
from tests.web.learning.conftest import end_cooldown, open_quiz, quiz_answers

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]
WAIT = "Je volgende poging is mogelijk vanaf"


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(learner: User, client_for: ClientFor) -> Client:
    return client_for(learner)


def _fail(client: Client) -> QuizAttempt:
    response = client.post(reverse("learning:quiz"), quiz_answers(client, correct=False))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.order_by("-pk").first()
    assert attempt is not None
    assert not attempt.passed
    return attempt


def _questions(attempt: QuizAttempt) -> set[str]:
    return set(QuizAnswer.objects.filter(attempt=attempt).values_list("question_id", flat=True))


def test_the_revealing_attempt_starts_a_cooldown(client: Client, learner: User) -> None:
    for _ in range(ATTEMPTS_BEFORE_REVEAL - 1):
        before = _fail(client)
    assert WAIT not in client.get(reverse("learning:quiz")).content.decode()
    earlier = client.get(reverse("learning:quiz_result", args=[before.pk])).content.decode()
    assert "Probeer opnieuw" in earlier
    revealing = _fail(client)
    result = client.get(reverse("learning:quiz_result", args=[revealing.pk])).content.decode()
    assert "Het juiste antwoord:" in result  # revealed once, for this attempt
    assert "Je hebt nu de juiste antwoorden gezien." in result
    assert "Probeer opnieuw" not in result  # no "try again" link during the cooldown
    draws = QuizDraw.objects.count()
    page = client.get(reverse("learning:quiz"))
    assert page.status_code == 200
    assert WAIT in page.content.decode()
    assert 'name="draw"' not in page.content.decode()
    assert QuizDraw.objects.count() == draws  # no new questions to look at
    # A draw opened before the reveal cannot be graded during the cooldown either.
    open_before = QuizDraw.objects.create(
        user=learner,
        seed=2,
        content_sha256=services.content().sha256,
        question_ids=sorted(_questions(revealing)),
    )
    form = {"draw": str(open_before.pk), **{f"q-{q}": "1" for q in open_before.question_ids}}
    refused = client.post(reverse("learning:quiz"), form)
    assert refused.status_code == 429
    assert WAIT in refused.content.decode()
    assert QuizAttempt.objects.count() == ATTEMPTS_BEFORE_REVEAL


def test_after_the_cooldown_unseen_questions_come_first(client: Client, learner: User) -> None:
    pool = {q.id for q in load_learning_content().quiz.questions}
    for _ in range(ATTEMPTS_BEFORE_REVEAL - 1):
        _fail(client)  # not revealed: these questions may come back
    revealed: set[str] = set()
    while len(pool - revealed) >= QUIZ_DRAW_SIZE:
        attempt = _fail(client)
        assert not _questions(attempt) & revealed  # never a question seen answered
        revealed |= _questions(attempt)
        assert WAIT in client.get(reverse("learning:quiz")).content.decode()
        end_cooldown()
    # Fewer unseen questions than an attempt: all of them, topped up with revealed ones.
    unseen = pool - revealed
    assert 0 < len(unseen) < QUIZ_DRAW_SIZE
    _, orders = open_quiz(client)
    assert unseen <= set(orders)
    assert len(orders) == QUIZ_DRAW_SIZE
    assert revealed == services.revealed_question_ids(learner)


def test_a_pass_starts_no_cooldown(client: Client) -> None:
    for _ in range(ATTEMPTS_BEFORE_REVEAL):
        client.post(reverse("learning:quiz"), quiz_answers(client))
    assert QuizAttempt.objects.filter(passed=True).count() == ATTEMPTS_BEFORE_REVEAL
    assert 'name="draw"' in client.get(reverse("learning:quiz")).content.decode()


def test_a_role_tracks_quiz_draws_from_its_own_lessons(client: Client, learner: User) -> None:
    content = load_learning_content()
    track = content.track("horeca-hotel")
    assert track is not None
    assert not track.everything
    lesson_of = {q.id: q.lesson for q in content.quiz.questions}
    assert sum(1 for q in content.quiz.questions if q.lesson in track.lessons) >= QUIZ_DRAW_SIZE
    services.record_track_choice(learner, track.id)
    outside = set()
    for _ in range(5):
        _, orders = open_quiz(client)
        assert len(orders) == QUIZ_DRAW_SIZE
        outside |= {lesson_of[q] for q in orders} - set(track.lessons)
        client.post(reverse("learning:quiz"), quiz_answers(client))  # a pass: no cooldown
    assert outside == set()
