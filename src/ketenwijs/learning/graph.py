"""Check a scenario's branching graph: no dead ends, no unreachable nodes, every path can end.

Cycles are allowed ("ask again" loops back), but only when every node on them can still reach an
ending; a loop with no way out would trap the learner.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ketenwijs.learning.schema import ScenarioFile


@dataclass(frozen=True, slots=True)
class GraphProblem:
    """One defect in a scenario graph, with the YAML path it points at."""

    message: str
    loc: tuple[str | int, ...]


def check_scenario_graph(scenario: ScenarioFile) -> list[GraphProblem]:
    """Return every structural problem of the scenario graph, in file order."""
    problems: list[GraphProblem] = []
    nodes = scenario.nodes
    if scenario.start not in nodes:
        problems.append(GraphProblem(f"start node '{scenario.start}' does not exist", ("start",)))
        return problems
    for node_id, node in nodes.items():
        at: tuple[str | int, ...] = ("nodes", node_id)
        if node.ending is not None and node.choices:
            problems.append(GraphProblem(f"node '{node_id}' has both an ending and choices", at))
        elif node.ending is None and not node.choices:
            problems.append(
                GraphProblem(f"node '{node_id}' is a dead end: it has no choices and no ending", at)
            )
        seen_choices: set[str] = set()
        for index, choice in enumerate(node.choices):
            if choice.id in seen_choices:
                problems.append(
                    GraphProblem(
                        f"node '{node_id}' has two choices with id '{choice.id}'",
                        (*at, "choices", index, "id"),
                    )
                )
            seen_choices.add(choice.id)
            if choice.next not in nodes:
                problems.append(
                    GraphProblem(
                        f"choice '{choice.id}' of node '{node_id}' leads to unknown node "
                        f"'{choice.next}'",
                        (*at, "choices", index, "next"),
                    )
                )
    if problems:
        return problems
    reachable = _reachable(scenario)
    for node_id in nodes:
        if node_id not in reachable:
            problems.append(
                GraphProblem(
                    f"node '{node_id}' is unreachable from start '{scenario.start}'",
                    ("nodes", node_id),
                )
            )
    can_end = _can_reach_an_ending(scenario)
    for node_id in nodes:
        if node_id in reachable and node_id not in can_end:
            problems.append(
                GraphProblem(
                    f"node '{node_id}' cannot reach any ending (a loop without a way out)",
                    ("nodes", node_id),
                )
            )
    if not any(node.ending is not None for node in nodes.values()):
        problems.append(GraphProblem("the scenario has no ending", ("nodes",)))
    return problems


def _reachable(scenario: ScenarioFile) -> set[str]:
    seen = {scenario.start}
    queue = deque([scenario.start])
    while queue:
        for choice in scenario.nodes[queue.popleft()].choices:
            if choice.next not in seen:
                seen.add(choice.next)
                queue.append(choice.next)
    return seen


def _can_reach_an_ending(scenario: ScenarioFile) -> set[str]:
    # Walk the reversed edges from every ending: what is found can finish.
    incoming: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    for node_id, node in scenario.nodes.items():
        for choice in node.choices:
            incoming[choice.next].append(node_id)
    done = {node_id for node_id, node in scenario.nodes.items() if node.ending is not None}
    queue = deque(done)
    while queue:
        for parent in incoming[queue.popleft()]:
            if parent not in done:
                done.add(parent)
                queue.append(parent)
    return done
