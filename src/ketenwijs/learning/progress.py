"""Decide whether a learner has completed the module, and what is still missing.

Completion means all three: every lesson of the current content marked as read, a good ending
(an ending with `outcome: good` in the content) reached at least once in every required scenario,
and one quiz attempt at or above the module's pass threshold (at least 80 %). Replaying a scenario
is allowed and encouraged: the debrief is the lesson. Reviewing key cards is ongoing practice and
not part of completion.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # content.py imports the tracks, which build a Progress
    from ketenwijs.learning.content import LearningContent


@dataclass(frozen=True)
class Progress:
    """A learner's progress against the current content."""

    lessons_total: int
    lessons_missing: tuple[str, ...]
    scenarios_total: int
    scenarios_missing: tuple[str, ...]
    quiz_passed: bool

    @property
    def lessons_done(self) -> int:
        """Return the number of lessons read."""
        return self.lessons_total - len(self.lessons_missing)

    @property
    def scenarios_done(self) -> int:
        """Return the number of required scenarios with a good ending reached."""
        return self.scenarios_total - len(self.scenarios_missing)

    @property
    def is_complete(self) -> bool:
        """Return whether the module is completed (certificate may be issued)."""
        return not self.lessons_missing and not self.scenarios_missing and self.quiz_passed

    @property
    def percent(self) -> int:
        """Return overall progress as a whole percentage (the quiz counts as one step)."""
        steps = self.lessons_total + self.scenarios_total + 1
        done = self.lessons_done + self.scenarios_done + (1 if self.quiz_passed else 0)
        return round(100 * done / steps)


def evaluate_progress(
    content: LearningContent,
    lessons_read: Collection[str],
    scenarios_ended_well: Collection[str],
    quiz_passed: bool,
) -> Progress:
    """Compare what the learner did with the current content; old ids no longer count.

    `scenarios_ended_well` holds the ids of scenarios in which the learner reached a good ending.
    """
    required = [s for s in content.scenarios if s.required]
    return Progress(
        lessons_total=len(content.lessons),
        lessons_missing=tuple(les.id for les in content.lessons if les.id not in lessons_read),
        scenarios_total=len(required),
        scenarios_missing=tuple(s.id for s in required if s.id not in scenarios_ended_well),
        quiz_passed=quiz_passed,
    )
