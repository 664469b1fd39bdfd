"""Score a walk through a scenario: reward noticing, asking and the meldcode; penalise haste.

The weights are fixed here, not in content, so every scenario is scored by the same yardstick. A
choice counts once per run even when a loop offers it again, so a learner cannot farm points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ketenwijs.learning.quiz import seeded_order
from ketenwijs.learning.schema import Choice, Effect, Ending, Node, ScenarioFile

WEIGHTS: dict[Effect, int] = {
    Effect.NOTICES_SIGNAL: 2,
    Effect.ASKS_OPEN_QUESTION: 2,
    Effect.FOLLOWS_MELDCODE: 2,
    Effect.CHECKS_ALTERNATIVE: 2,
    Effect.JUMPS_TO_CONCLUSION: -3,
    Effect.ASKS_LEADING_QUESTION: -1,
    Effect.IGNORES_SIGNAL: -2,
}


class RunError(ValueError):
    """A path that does not fit the scenario (an unknown or impossible choice)."""


def choice_points(choice: Choice) -> int:
    """Return the points a choice is worth (may be negative)."""
    return sum(WEIGHTS[effect] for effect in choice.effects)


def is_wrong_choice(choice: Choice) -> bool:
    """Return whether a choice is a mistake worth showing a trainer (it costs points)."""
    return choice_points(choice) < 0


@dataclass(frozen=True)
class RunResult:
    """Where a path through a scenario stands, and its score so far."""

    node_id: str
    finished: bool
    score: int
    max_score: int
    ending: Ending | None
    effects: dict[Effect, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        """Return the score as a whole percentage of the best possible path (0 to 100)."""
        if self.max_score <= 0:
            return 100
        return max(0, min(100, round(100 * self.score / self.max_score)))


def step(scenario: ScenarioFile, node_id: str, choice_id: str) -> Choice:
    """Return the choice `choice_id` at `node_id`, or raise RunError when it is not offered."""
    node = scenario.nodes.get(node_id)
    if node is None:
        raise RunError(f"unknown node '{node_id}'")
    for choice in node.choices:
        if choice.id == choice_id:
            return choice
    raise RunError(f"node '{node_id}' offers no choice '{choice_id}'")


def evaluate_run(scenario: ScenarioFile, path: Sequence[str]) -> RunResult:
    """Replay a sequence of choice ids from the start and score it."""
    node_id = scenario.start
    counted: set[tuple[str, str]] = set()
    score = 0
    effects: dict[Effect, int] = {}
    for choice_id in path:
        if scenario.nodes[node_id].ending is not None:
            raise RunError(f"the path continues after the ending '{node_id}'")
        choice = step(scenario, node_id, choice_id)
        if (node_id, choice_id) not in counted:
            counted.add((node_id, choice_id))
            score += choice_points(choice)
            for effect in choice.effects:
                effects[effect] = effects.get(effect, 0) + 1
        node_id = choice.next
    ending = scenario.nodes[node_id].ending
    best = max_score(scenario)
    return RunResult(
        node_id=node_id,
        finished=ending is not None,
        score=min(score, best),
        max_score=best,
        ending=ending,
        effects=effects,
    )


def max_score(scenario: ScenarioFile) -> int:
    """Return the best score of any path from start to an ending that visits no node twice."""
    best: int | None = None

    def walk(node_id: str, visited: frozenset[str], total: int) -> None:
        nonlocal best
        node = scenario.nodes[node_id]
        if node.ending is not None:
            best = total if best is None else max(best, total)
            return
        for choice in node.choices:
            if choice.next not in visited:
                walk(choice.next, visited | {choice.next}, total + choice_points(choice))

    walk(scenario.start, frozenset({scenario.start}), 0)
    return best if best is not None else 0


def ordered_choices(node: Node, seed: int, node_id: str) -> list[Choice]:
    """Return a node's choices in one run's order (its seed): the best is not always first."""
    return seeded_order(node.choices, seed, node_id)
