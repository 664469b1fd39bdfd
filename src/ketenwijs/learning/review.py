"""Spaced repetition of key cards with FSRS (the `fsrs` package), behind a small stable API.

The web layer stores the card state as a plain dict (JSON) and the due moment as a column, so it
can count due cards in SQL. Fuzzing is off: the same review gives the same next date, which keeps
the schedule explainable and the tests exact.

Professionals review between other work, not in one sitting: the learning and relearning steps
are days, never minutes, so no card comes back within the same day. How often a card returns
follows the desired retention (the share of cards a learner should still know when they come
back), which each organisation sets within bounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, cast

from fsrs import Card, Rating, Scheduler
from fsrs.card import CardDict

# A new card comes back after one day, then after three; a forgotten card after one day.
LEARNING_STEPS = (dt.timedelta(days=1), dt.timedelta(days=3))
RELEARNING_STEPS = (dt.timedelta(days=1),)
# Retention bounds: below 80 % too much is forgotten to be worth the review; above 95 % the
# number of reviews grows steeply for little gain (the FSRS authors advise 0.70-0.97).
DEFAULT_RETENTION = 0.90
MINIMUM_RETENTION = 0.80
MAXIMUM_RETENTION = 0.95
# Facts in the deck carry yearly review dates: no card waits longer than a year to come back.
MAXIMUM_INTERVAL_DAYS = 365


@cache
def _scheduler(retention: float) -> Scheduler:
    if not MINIMUM_RETENTION <= retention <= MAXIMUM_RETENTION:
        raise ValueError(
            f"desired retention {retention} is outside {MINIMUM_RETENTION}-{MAXIMUM_RETENTION}"
        )
    return Scheduler(
        desired_retention=retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


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


def review(
    schedule: CardSchedule,
    rating: ReviewRating,
    now: dt.datetime,
    retention: float = DEFAULT_RETENTION,
) -> CardSchedule:
    """Apply one review at the given desired retention; return the new state and due moment."""
    if now.tzinfo is None:
        raise ValueError("review time must be timezone-aware")
    card = Card.from_dict(cast(CardDict, schedule.state))
    updated, _log = _scheduler(retention).review_card(card, _TO_FSRS[rating], now)
    return CardSchedule(state=dict(updated.to_dict()), due=updated.due)


def next_intervals(
    schedule: CardSchedule, now: dt.datetime, retention: float = DEFAULT_RETENTION
) -> dict[ReviewRating, dt.timedelta]:
    """Return, per rating, how long until the card would be due again (shown on the buttons)."""
    return {rating: review(schedule, rating, now, retention).due - now for rating in ReviewRating}
