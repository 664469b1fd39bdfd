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


def _walk(ratings: list[ReviewRating], retention: float = 0.9) -> list[dt.timedelta]:
    """Review a new card with `ratings`, each on its due day; return every interval offered."""
    from ketenwijs.learning.review import next_intervals

    schedule, now, offered = new_schedule(1, NOW), NOW, []
    for rating in ratings:
        offered += list(next_intervals(schedule, now, retention).values())
        schedule = review(schedule, rating, now, retention)
        now = schedule.due
    return offered


@pytest.mark.parametrize(
    "ratings",
    [
        [ReviewRating.GOOD] * 6,
        [ReviewRating.AGAIN, ReviewRating.HARD, ReviewRating.GOOD, ReviewRating.AGAIN] * 2,
        [ReviewRating.EASY, ReviewRating.AGAIN, ReviewRating.HARD, ReviewRating.EASY],
    ],
)
def test_no_card_comes_back_within_a_day(ratings: list[ReviewRating]) -> None:
    # Learning and relearning steps are days: a professional never sees a card twice a day.
    assert min(_walk(ratings)) >= dt.timedelta(days=1)


def test_the_learning_steps_are_one_and_three_days() -> None:
    from ketenwijs.learning.review import next_intervals

    first = next_intervals(new_schedule(1, NOW), NOW)
    assert first[ReviewRating.AGAIN] == dt.timedelta(days=1)
    assert first[ReviewRating.GOOD] == dt.timedelta(days=3)


def test_a_higher_desired_retention_brings_cards_back_sooner() -> None:
    low = _walk([ReviewRating.GOOD] * 4, retention=0.80)
    high = _walk([ReviewRating.GOOD] * 4, retention=0.95)
    assert max(high) < max(low)


def test_no_interval_exceeds_a_year() -> None:
    assert max(_walk([ReviewRating.EASY] * 8)) <= dt.timedelta(days=365)


@pytest.mark.parametrize("retention", [0.5, 0.79, 0.96, 1.0])
def test_a_retention_outside_the_bounds_is_refused(retention: float) -> None:
    with pytest.raises(ValueError, match=r"outside 0\.8-0\.95"):
        review(new_schedule(1, NOW), ReviewRating.GOOD, NOW, retention)
