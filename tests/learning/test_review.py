"""The FSRS wrapper: new cards are due now, ratings push the due date out in order."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenwijs.learning import ReviewRating, new_schedule, review
from ketenwijs.learning.review import next_intervals

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_new_card_is_due_now() -> None:
    assert new_schedule(1, NOW).due == NOW


def test_better_ratings_give_longer_intervals() -> None:
    intervals = next_intervals(new_schedule(1, NOW), NOW)
    ordered = [intervals[r] for r in ReviewRating]
    assert ordered == sorted(ordered)
    assert intervals[ReviewRating.AGAIN] < intervals[ReviewRating.EASY]


def test_the_state_round_trips_through_plain_json_types() -> None:
    import json

    schedule = review(new_schedule(7, NOW), ReviewRating.GOOD, NOW)
    again = json.loads(json.dumps(schedule.state))
    from ketenwijs.learning import CardSchedule

    later = review(CardSchedule(state=again, due=schedule.due), ReviewRating.GOOD, schedule.due)
    assert later.due > schedule.due
    assert later.state["card_id"] == 7


def test_scheduling_is_deterministic() -> None:
    one = review(new_schedule(1, NOW), ReviewRating.EASY, NOW)
    two = review(new_schedule(1, NOW), ReviewRating.EASY, NOW)
    assert one.due == two.due


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        review(new_schedule(1, NOW), ReviewRating.GOOD, NOW.replace(tzinfo=None))
