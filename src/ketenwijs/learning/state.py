"""Scenario state: counters (such as trust), signals noticed and weeks passed, carried forward.

A run's state is never stored: it is replayed from the choices made, so the same path always
gives the same state, and content changes cannot leave a stored state out of step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketenwijs.learning.schema import Choice, Requirement, ScenarioFile, Text


class RunError(ValueError):
    """A path that does not fit the scenario (an unknown or impossible choice)."""


@dataclass(frozen=True, slots=True)
class RunState:
    """Where a run stands: counter values (sorted by name), signals noticed, weeks passed."""

    counters: tuple[tuple[str, int], ...]
    seen: frozenset[str]
    week: int = 0

    def value(self, counter: str) -> int:
        """Return a counter's current value (0 for a counter the scenario does not declare)."""
        return dict(self.counters).get(counter, 0)

    def key(self) -> tuple[tuple[tuple[str, int], ...], frozenset[str]]:
        """Return what conditions can read (weeks are shown, never tested), for graph checks."""
        return self.counters, self.seen


def initial_state(scenario: ScenarioFile) -> RunState:
    """Return the state at the start node."""
    counters = tuple(sorted((name, c.initial) for name, c in scenario.counters.items()))
    return RunState(counters=counters, seen=frozenset())


def holds(requirement: Requirement | None, state: RunState) -> bool:
    """Return whether a condition holds in a state (no condition always holds)."""
    if requirement is None:
        return True
    return (
        all(state.value(name) >= bound for name, bound in requirement.at_least.items())
        and all(state.value(name) <= bound for name, bound in requirement.at_most.items())
        and all(signal in state.seen for signal in requirement.seen)
        and not any(signal in state.seen for signal in requirement.not_seen)
    )


def apply(scenario: ScenarioFile, state: RunState, choice: Choice) -> RunState:
    """Return the state after a choice: counters changed within their range, signals, weeks."""
    values = dict(state.counters)
    for name, delta in choice.changes.items():
        counter = scenario.counters.get(name)
        if counter is not None:
            values[name] = max(counter.min, min(counter.max, values.get(name, 0) + delta))
    return RunState(
        counters=tuple(sorted(values.items())),
        seen=state.seen | frozenset(choice.notices),
        week=state.week + choice.weeks,
    )


def next_node(choice: Choice, after: RunState) -> str:
    """Return the node a choice leads to in the state after it: the first branch that holds."""
    for branch in choice.branches:
        if holds(branch.requires, after):
            return branch.next
    return choice.next


def targets(choice: Choice) -> list[str]:
    """Return every node a choice can lead to, whatever the state."""
    return [choice.next, *(branch.next for branch in choice.branches)]


def available_choices(scenario: ScenarioFile, node_id: str, state: RunState) -> list[Choice]:
    """Return the choices offered at a node in a state (those whose `requires` holds)."""
    return [c for c in scenario.nodes[node_id].choices if holds(c.requires, state)]


@dataclass(frozen=True, slots=True)
class Step:
    """One choice in a replayed path: where it was made, and the state before and after."""

    node_id: str
    choice: Choice
    before: RunState
    after: RunState


@dataclass(frozen=True, slots=True)
class Replay:
    """A path replayed from the start: its steps, the node reached and the state there."""

    node_id: str
    state: RunState
    steps: tuple[Step, ...]


def replay(scenario: ScenarioFile, path: Sequence[str]) -> Replay:
    """Replay choice ids from the start; raise RunError for a choice not offered on the way."""
    node_id = scenario.start
    state = initial_state(scenario)
    steps: list[Step] = []
    for choice_id in path:
        node = scenario.nodes.get(node_id)
        if node is None:
            raise RunError(f"unknown node '{node_id}'")
        if node.ending is not None:
            raise RunError(f"the path continues after the ending '{node_id}'")
        choice = next((c for c in node.choices if c.id == choice_id), None)
        if choice is None or not holds(choice.requires, state):
            raise RunError(f"node '{node_id}' offers no choice '{choice_id}'")
        after = apply(scenario, state, choice)
        steps.append(Step(node_id, choice, state, after))
        node_id, state = next_node(choice, after), after
    return Replay(node_id=node_id, state=state, steps=tuple(steps))


_NUMBERS_NL = ("Een", "Twee", "Drie", "Vier", "Vijf", "Zes", "Zeven", "Acht", "Negen", "Tien")
_NUMBERS_EN = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def weeks_later(weeks: int) -> Text | None:
    """Return 'Twee weken later…' for time passed between two steps (None when none passed)."""
    if weeks <= 0:
        return None
    if weeks == 1:
        return Text(nl="Een week later…", en="A week later…")
    if weeks <= len(_NUMBERS_NL):
        return Text(
            nl=f"{_NUMBERS_NL[weeks - 1]} weken later…", en=f"{_NUMBERS_EN[weeks - 1]} weeks later…"
        )
    return Text(nl=f"{weeks} weken later…", en=f"{weeks} weeks later…")


@dataclass(frozen=True)
class CounterChange:
    """How a counter ended compared with where it started, for the debrief."""

    label: Text
    start: int
    end: int


@dataclass(frozen=True)
class Debrief:
    """What the path shows: the signals there, noticed and missed, the assumptions behind the
    choices, how the counters moved and how many weeks the case took."""

    noticed: tuple[str, ...]
    missed: tuple[str, ...]
    assumptions: tuple[tuple[Choice, Text], ...]
    counters: tuple[CounterChange, ...]
    weeks: int


def debrief(scenario: ScenarioFile, path: Sequence[str]) -> Debrief:
    """Return the debrief of a path: signal ids noticed and missed (in scenario order), etc."""
    played = replay(scenario, path)
    start = initial_state(scenario)
    noticed = tuple(s.id for s in scenario.signals if s.id in played.state.seen)
    missed = tuple(s.id for s in scenario.signals if s.id not in played.state.seen)
    assumptions: list[tuple[Choice, Text]] = []
    for taken in played.steps:
        if taken.choice.assumption is not None and all(
            taken.choice.id != c.id for c, _ in assumptions
        ):
            assumptions.append((taken.choice, taken.choice.assumption))
    counters = tuple(
        CounterChange(counter.label, start.value(name), played.state.value(name))
        for name, counter in scenario.counters.items()
    )
    return Debrief(noticed, missed, tuple(assumptions), counters, played.state.week)
