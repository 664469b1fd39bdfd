"""Spaced repetition of key cards with FSRS (the `fsrs` package), behind a small stable API.

The web layer stores the card state as a plain dict (JSON) and the due moment as a column, so it
can count due cards in SQL. Fuzzing is off: the same review gives the same next date, which keeps
the schedule explainable and the tests exact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from fsrs import Card, Rating, Scheduler
from fsrs.card import CardDict

_SCHEDULER = Scheduler(enable_fuzzing=False)


class ReviewRating(StrEnum):
    """How well the learner remembered a card (the four FSRS grades)."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


_TO_FSRS = {
    ReviewRating.AGAIN: Rating.Again,
    ReviewRating.HARD: Rating.Hard,
    ReviewRating.GOOD: Rating.Good,
    ReviewRating.EASY: Rating.Easy,
}


@dataclass(frozen=True)
class CardSchedule:
    """A card's scheduling state: serialisable, with the moment it is due."""

    state: dict[str, Any]
    due: dt.datetime


def new_schedule(card_number: int, now: dt.datetime) -> CardSchedule:
    """Return the state of a card never reviewed, due now."""
    # An explicit card_id: without it fsrs derives one from the clock and sleeps 1 ms per card.
    card = Card(card_id=card_number, due=now)
    return CardSchedule(state=dict(card.to_dict()), due=now)


def review(schedule: CardSchedule, rating: ReviewRating, now: dt.datetime) -> CardSchedule:
    """Apply one review and return the new state with its next due moment."""
    if now.tzinfo is None:
        raise ValueError("review time must be timezone-aware")
    card = Card.from_dict(cast(CardDict, schedule.state))
    updated, _log = _SCHEDULER.review_card(card, _TO_FSRS[rating], now)
    return CardSchedule(state=dict(updated.to_dict()), due=updated.due)


def next_intervals(schedule: CardSchedule, now: dt.datetime) -> dict[ReviewRating, dt.timedelta]:
    """Return, per rating, how long until the card would be due again (shown on the buttons)."""
    return {rating: review(schedule, rating, now).due - now for rating in ReviewRating}
