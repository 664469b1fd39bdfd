"""Score a walk through a scenario: reward noticing, asking and the meldcode; penalise haste.

The weights are fixed here, not in content, so every scenario is scored by the same yardstick. A
choice counts once per run even when a loop offers it again, so a learner cannot farm points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ketenwijs.learning.quiz import seeded_order
from ketenwijs.learning.schema import Choice, Effect, Ending, Node, ScenarioFile
from ketenwijs.learning.state import (
    RunError,
    RunState,
    apply,
    available_choices,
    initial_state,
    next_node,
    replay,
)

__all__ = [
    "RETRY_WAIT",
    "WEIGHTS",
    "FinishedRun",
    "RunError",
    "RunResult",
    "best_path",
    "choice_points",
    "counting_runs",
    "evaluate_run",
    "is_wrong_choice",
    "max_score",
    "offered_choices",
    "ordered_choices",
]

WEIGHTS: dict[Effect, int] = {
    Effect.NOTICES_SIGNAL: 2,
    Effect.ASKS_OPEN_QUESTION: 2,
    Effect.FOLLOWS_MELDCODE: 2,
    Effect.CHECKS_ALTERNATIVE: 2,
    Effect.JUMPS_TO_CONCLUSION: -3,
    Effect.ASKS_LEADING_QUESTION: -1,
    Effect.IGNORES_SIGNAL: -2,
}


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


def evaluate_run(scenario: ScenarioFile, path: Sequence[str]) -> RunResult:
    """Replay a sequence of choice ids from the start (with its state) and score it."""
    played = replay(scenario, path)
    counted: set[tuple[str, str]] = set()
    score = 0
    effects: dict[Effect, int] = {}
    for taken in played.steps:
        if (taken.node_id, taken.choice.id) not in counted:
            counted.add((taken.node_id, taken.choice.id))
            score += choice_points(taken.choice)
            for effect in taken.choice.effects:
                effects[effect] = effects.get(effect, 0) + 1
    ending = scenario.nodes[played.node_id].ending
    best = max_score(scenario)
    return RunResult(
        node_id=played.node_id,
        finished=ending is not None,
        score=min(score, best),
        max_score=best,
        ending=ending,
        effects=effects,
    )


def best_path(scenario: ScenarioFile) -> tuple[int, list[str]]:
    """Return the best score of any path to an ending that visits no node twice, and its path.

    The walk carries the state, so options and branches follow the choices made before.
    """
    best: tuple[int, list[str]] | None = None

    def walk(
        node_id: str, state: RunState, seen: frozenset[str], total: int, path: list[str]
    ) -> None:
        nonlocal best
        if scenario.nodes[node_id].ending is not None:
            if best is None or total > best[0]:
                best = (total, path)
            return
        for choice in available_choices(scenario, node_id, state):
            after = apply(scenario, state, choice)
            target = next_node(choice, after)
            if target not in seen:
                walk(
                    target,
                    after,
                    seen | {target},
                    total + choice_points(choice),
                    [*path, choice.id],
                )

    walk(scenario.start, initial_state(scenario), frozenset({scenario.start}), 0, [])
    return best if best is not None else (0, [])


def max_score(scenario: ScenarioFile) -> int:
    """Return the best score of any path from start to an ending that visits no node twice."""
    return best_path(scenario)[0]


def ordered_choices(node: Node, seed: int, node_id: str) -> list[Choice]:
    """Return a node's choices in one run's order (its seed): the best is not always first."""
    return seeded_order(node.choices, seed, node_id)


def offered_choices(
    scenario: ScenarioFile, node_id: str, seed: int, state: RunState | None = None
) -> list[Choice]:
    """Return the choices offered at a node in `state` (the start state when None), in the run's
    order; the order of the offered ones is the same as in `ordered_choices`."""
    offered = {c.id for c in available_choices(scenario, node_id, state or initial_state(scenario))}
    return [c for c in ordered_choices(scenario.nodes[node_id], seed, node_id) if c.id in offered]


# Issue 13: a replay right after a run can follow the path the debrief just showed, so only a
# first completed run, or one started at least this long after the previous completed run, counts
# towards a certificate. A day lets the learner practise freely while the count stays honest.
RETRY_WAIT = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class FinishedRun:
    """A completed run as the certificate rule sees it: when it started and ended, and whether
    it reached a good ending. `key` identifies it to the caller (a database id)."""

    key: int
    scenario_id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    good: bool


def counting_runs(runs: Iterable[FinishedRun]) -> list[FinishedRun]:
    """Return the completed runs that count for a certificate: per scenario the first to be
    completed, and each one started at least RETRY_WAIT after the run completed before it.

    Runs played side by side do not help: the one that finishes later was started before the
    other one had finished, so it does not count.
    """
    counted: list[FinishedRun] = []
    previous: dict[str, dt.datetime] = {}
    for run in sorted(runs, key=lambda r: (r.finished_at, r.key)):
        before = previous.get(run.scenario_id)
        if before is None or run.started_at >= before + RETRY_WAIT:
            counted.append(run)
        previous[run.scenario_id] = run.finished_at
    return counted
