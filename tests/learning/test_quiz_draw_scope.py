"""Which questions an attempt draws: the learner's track's lessons when they hold a full attempt,
questions whose answers were revealed only once the unseen ones run out, and the cooldown."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.quiz import (
    QUIZ_COOLDOWN,
    QUIZ_DRAW_SIZE,
    cooldown_until,
    draw_questions,
    track_quiz_lessons,
)
from ketenwijs.learning.schema import ALL_TRACK, Track


def _track(*lessons: str) -> Track:
    return Track.model_validate(
        {
            "id": "proef",
            "title": {"nl": "Proef", "en": "Trial"},
            "description": {"nl": "Proef", "en": "Trial"},
            "lessons": list(lessons),
            "scenarios": ["x"],
            "material_version": 1,
            "changes": [{"version": 1, "date": "2026-12-05", "text": {"nl": "a", "en": "a"}}],
        }
    )


def test_a_track_with_a_full_attempt_of_questions_draws_only_from_its_lessons() -> None:
    content = load_learning_content()
    role_tracks = [t for t in content.tracks if not t.everything]
    assert role_tracks
    for track in role_tracks:
        available = sum(1 for q in content.quiz.questions if q.lesson in track.lessons)
        assert available >= QUIZ_DRAW_SIZE, track.id  # so every role track is scoped today
        lessons = track_quiz_lessons(track, content.quiz)
        assert lessons == frozenset(track.lessons)
        for seed in range(60):
            drawn = draw_questions(content.quiz, seed, lessons)
            assert len(drawn) == QUIZ_DRAW_SIZE
            assert {q.lesson for q in drawn} <= lessons, (track.id, seed)


def test_the_module_track_and_a_track_with_too_few_questions_use_the_whole_pool() -> None:
    content = load_learning_content()
    everything = content.track(ALL_TRACK)
    assert everything is not None
    assert track_quiz_lessons(everything, content.quiz) is None
    per_lesson = Counter(q.lesson for q in content.quiz.questions)
    small = min(per_lesson, key=per_lesson.__getitem__)
    assert per_lesson[small] < QUIZ_DRAW_SIZE
    assert track_quiz_lessons(_track(small), content.quiz) is None
    # One question short of a full attempt is still too few.
    lessons = sorted(per_lesson, key=per_lesson.__getitem__)
    chosen: list[str] = []
    for lesson in lessons:
        if sum(per_lesson[x] for x in [*chosen, lesson]) >= QUIZ_DRAW_SIZE:
            break
        chosen.append(lesson)
    assert 0 < sum(per_lesson[x] for x in chosen) < QUIZ_DRAW_SIZE
    assert track_quiz_lessons(_track(*chosen), content.quiz) is None


def test_revealed_questions_are_not_drawn_while_unseen_ones_remain() -> None:
    quiz = load_learning_content().quiz
    pool = [q.id for q in quiz.questions]
    for seed in range(100):
        revealed = {q.id for q in draw_questions(quiz, seed)}
        drawn = {q.id for q in draw_questions(quiz, seed + 1000, avoid=revealed)}
        assert len(drawn) == QUIZ_DRAW_SIZE
        assert not drawn & revealed, seed
    # Fewer unseen than an attempt: all unseen ones are drawn, the rest from the revealed.
    unseen = set(pool[:5])
    drawn = {q.id for q in draw_questions(quiz, 7, avoid=set(pool[5:]))}
    assert len(drawn) == QUIZ_DRAW_SIZE
    assert unseen <= drawn


def test_the_cooldown_runs_from_the_latest_revealing_failure() -> None:
    now = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
    assert cooldown_until([], now) is None
    recent = now - dt.timedelta(hours=1)
    assert cooldown_until([now - dt.timedelta(days=3), recent], now) == recent + QUIZ_COOLDOWN
    assert cooldown_until([now - QUIZ_COOLDOWN], now) is None
    assert dt.timedelta(hours=24) == QUIZ_COOLDOWN
