"""Check a scenario's branching graph: no dead ends, no unreachable nodes, every path can end.

Cycles are allowed ("ask again" loops back), but only when every node on them can still reach an
ending; a loop with no way out would trap the learner.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ketenwijs.learning.schema import Choice, Outcome, Requirement, ScenarioFile
from ketenwijs.learning.scoring import choice_points, is_wrong_choice
from ketenwijs.learning.state import (
    RunState,
    apply,
    available_choices,
    initial_state,
    next_node,
    targets,
)

# A decision offers at least this many options; a required scenario asks at least this many
# decisions on every way to a good ending (issue 13: practise asking, not one lucky click).
MIN_OPTIONS = 3
MIN_DECISIONS = 4
# The state space is small (counters in a narrow range, a handful of signals); this bound keeps a
# malformed file from making the check run away.
MAX_STATES = 50_000


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
            for b, branch in enumerate(choice.branches):
                if branch.next not in nodes:
                    problems.append(
                        GraphProblem(
                            f"choice '{choice.id}' of node '{node_id}' branches to unknown node "
                            f"'{branch.next}'",
                            (*at, "choices", index, "branches", b, "next"),
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
            for target in targets(choice):
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return seen


def _can_reach_an_ending(scenario: ScenarioFile) -> set[str]:
    # Walk the reversed edges from every ending: what is found can finish.
    incoming: dict[str, list[str]] = {node_id: [] for node_id in scenario.nodes}
    for node_id, node in scenario.nodes.items():
        for choice in node.choices:
            for target in targets(choice):
                incoming[target].append(node_id)
    done = {node_id for node_id, node in scenario.nodes.items() if node.ending is not None}
    queue = deque(done)
    while queue:
        for parent in incoming[queue.popleft()]:
            if parent not in done:
                done.add(parent)
                queue.append(parent)
    return done


def _requirement_refs(
    requirement: Requirement, at: tuple[str | int, ...]
) -> list[tuple[str, str, tuple[str | int, ...]]]:
    refs: list[tuple[str, str, tuple[str | int, ...]]] = []
    for part in ("at_least", "at_most"):
        refs += [("counter", name, (*at, part, name)) for name in getattr(requirement, part)]
    for part in ("seen", "not_seen"):
        refs += [
            ("signal", sid, (*at, part, i)) for i, sid in enumerate(getattr(requirement, part))
        ]
    return refs


def check_scenario_state(scenario: ScenarioFile) -> list[GraphProblem]:
    """Return problems with the scenario's state: unknown counters or signals, duplicate signals,
    and costly choices without a consequence or a named assumption."""
    problems: list[GraphProblem] = []
    signal_ids: set[str] = set()
    for i, signal in enumerate(scenario.signals):
        if signal.id in signal_ids:
            problems.append(
                GraphProblem(f"duplicate signal id '{signal.id}'", ("signals", i, "id"))
            )
        signal_ids.add(signal.id)
    for node_id, node in scenario.nodes.items():
        for index, choice in enumerate(node.choices):
            at: tuple[str | int, ...] = ("nodes", node_id, "choices", index)
            refs = [("counter", name, (*at, "changes", name)) for name in choice.changes]
            refs += [("signal", sid, (*at, "notices", i)) for i, sid in enumerate(choice.notices)]
            if choice.requires is not None:
                refs += _requirement_refs(choice.requires, (*at, "requires"))
            for b, branch in enumerate(choice.branches):
                refs += _requirement_refs(branch.requires, (*at, "branches", b, "requires"))
            for kind, name, loc in refs:
                known = scenario.counters if kind == "counter" else signal_ids
                if name not in known:
                    problems.append(
                        GraphProblem(
                            f"choice '{choice.id}' of node '{node_id}' uses unknown {kind} "
                            f"'{name}'; declare it under '{kind}s'",
                            loc,
                        )
                    )
            if scenario.required and is_wrong_choice(choice):
                ends = scenario.nodes.get(choice.next)
                if not (choice.changes or choice.weeks or (ends is not None and ends.ending)):
                    problems.append(
                        GraphProblem(
                            f"choice '{choice.id}' of node '{node_id}' costs points but has no "
                            "consequence: give it 'changes' or 'weeks', or let it end the scenario",
                            at,
                        )
                    )
                if choice.assumption is None:
                    problems.append(
                        GraphProblem(
                            f"choice '{choice.id}' of node '{node_id}' costs points but names no "
                            "'assumption' for the debrief",
                            at,
                        )
                    )
    return problems


def check_scenario_play(scenario: ScenarioFile) -> list[GraphProblem]:
    """Walk every state a run can reach and return what a learner could get stuck on.

    Run only on a scenario whose graph passed `check_scenario_graph`. Reports nodes and options
    that no run can reach, states with no option or no way to an ending, and, in a required
    scenario, decisions with fewer than MIN_OPTIONS options and good endings reachable with
    fewer than MIN_DECISIONS decisions.
    """
    start = initial_state(scenario)
    nodes = scenario.nodes
    states: dict[tuple[str, object], RunState] = {(scenario.start, start.key()): start}
    edges: dict[tuple[str, object], list[tuple[str, object]]] = {}
    queue = deque([(scenario.start, start)])
    used: set[tuple[str, str]] = set()
    problems: list[GraphProblem] = []
    while queue:
        node_id, state = queue.popleft()
        here = (node_id, state.key())
        edges[here] = []
        if nodes[node_id].ending is not None:
            continue
        offered = available_choices(scenario, node_id, state)
        if not offered:
            problems.append(
                GraphProblem(
                    f"node '{node_id}' offers no option in a state a run can reach",
                    ("nodes", node_id),
                )
            )
        for choice in offered:
            used.add((node_id, choice.id))
            after = apply(scenario, state, choice)
            target = next_node(choice, after)
            there = (target, after.key())
            edges[here].append(there)
            if there not in states:
                if len(states) >= MAX_STATES:
                    return [GraphProblem("the scenario has too many states to check", ("nodes",))]
                states[there] = after
                queue.append((target, after))
    reached = {node_id for node_id, _ in states}
    for node_id in nodes:
        if node_id not in reached:
            problems.append(
                GraphProblem(
                    f"node '{node_id}' cannot be reached by any run (check the 'requires' "
                    "conditions on the way)",
                    ("nodes", node_id),
                )
            )
    for node_id, node in nodes.items():
        for index, choice in enumerate(node.choices):
            if node_id in reached and (node_id, choice.id) not in used:
                problems.append(
                    GraphProblem(
                        f"choice '{choice.id}' of node '{node_id}' is never offered: its "
                        "'requires' does not hold in any state a run can reach there",
                        ("nodes", node_id, "choices", index),
                    )
                )
    problems += _never_ending_states(scenario, edges)
    if scenario.required:
        problems += _decision_problems(scenario, states, edges)
    return problems


def _never_ending_states(
    scenario: ScenarioFile, edges: dict[tuple[str, object], list[tuple[str, object]]]
) -> list[GraphProblem]:
    incoming: dict[tuple[str, object], list[tuple[str, object]]] = {here: [] for here in edges}
    for here, theres in edges.items():
        for there in theres:
            incoming[there].append(here)
    done = {here for here in edges if scenario.nodes[here[0]].ending is not None}
    queue = deque(done)
    while queue:
        for parent in incoming[queue.popleft()]:
            if parent not in done:
                done.add(parent)
                queue.append(parent)
    stuck = sorted({here[0] for here in edges if here not in done})
    return [
        GraphProblem(
            f"node '{node_id}' can be reached in a state from which no path ends "
            "(a loop without a way out under the conditions)",
            ("nodes", node_id),
        )
        for node_id in stuck
    ]


def _decision_problems(
    scenario: ScenarioFile,
    states: dict[tuple[str, object], RunState],
    edges: dict[tuple[str, object], list[tuple[str, object]]],
) -> list[GraphProblem]:
    problems: list[GraphProblem] = []
    few: dict[str, int] = {}
    for (node_id, _), state in states.items():
        if scenario.nodes[node_id].ending is not None:
            continue
        count = len(available_choices(scenario, node_id, state))
        if 1 < count < MIN_OPTIONS or (count == 1 and len(scenario.nodes[node_id].choices) > 1):
            few[node_id] = min(count, few.get(node_id, count))
    for node_id, count in few.items():
        problems.append(
            GraphProblem(
                f"node '{node_id}' asks a decision with only {count} option(s) in some state; "
                f"a decision needs at least {MIN_OPTIONS} plausible options",
                ("nodes", node_id, "choices"),
            )
        )
    # Fewest decisions to a good ending: a 0-1 breadth-first walk (a decision costs one).
    start = (scenario.start, initial_state(scenario).key())
    cost: dict[tuple[str, object], int] = {start: 0}
    queue: deque[tuple[str, object]] = deque([start])
    while queue:
        here = queue.popleft()
        step = 1 if len(scenario.nodes[here[0]].choices) > 1 else 0
        for there in edges.get(here, []):
            if cost[here] + step < cost.get(there, 1 << 30):
                cost[there] = cost[here] + step
                if step:
                    queue.append(there)
                else:
                    queue.appendleft(there)
    good = [
        cost[here]
        for here in cost
        if (ending := scenario.nodes[here[0]].ending) is not None and ending.outcome is Outcome.GOOD
    ]
    if good and min(good) < MIN_DECISIONS:
        problems.append(
            GraphProblem(
                f"a good ending can be reached with {min(good)} decision(s); a required scenario "
                f"asks at least {MIN_DECISIONS} on every way to a good ending",
                ("nodes",),
            )
        )
    return problems


def decision_points(scenario: ScenarioFile) -> int:
    """Return how many nodes of the scenario ask a decision (offer more than one option)."""
    return sum(1 for node in scenario.nodes.values() if len(node.choices) > 1)


# Issue 13: when the best option is also the longest, "always pick the longest" passes without
# reading. Content may not let that cue hold in more than this share of its decision points.
LONGEST_BEST_LIMIT = 0.40


@dataclass(frozen=True, slots=True)
class LengthCue:
    """A decision point whose best option is strictly the longest (in Dutch or English), and by
    how many characters it beats the longest other option (the worst cues first)."""

    scenario_id: str
    node_id: str
    margin: int


def _longest_margin(best: Choice, others: list[Choice], language: str) -> int:
    length = len(getattr(best.text, language))
    return length - max(len(getattr(other.text, language)) for other in others)


def scored_decisions(scenario: ScenarioFile) -> list[str]:
    """Return the nodes whose options differ in points: the decisions a length cue could give
    away (a node whose options all score the same has no best option)."""
    return [
        node_id
        for node_id, node in scenario.nodes.items()
        if len(node.choices) > 1 and len({choice_points(c) for c in node.choices}) > 1
    ]


def length_cues(scenario: ScenarioFile) -> list[LengthCue]:
    """Return the scored decisions whose single best option is strictly the longest text."""
    cues: list[LengthCue] = []
    for node_id in scored_decisions(scenario):
        choices = scenario.nodes[node_id].choices
        top = max(choice_points(c) for c in choices)
        best = [c for c in choices if choice_points(c) == top]
        if len(best) != 1:
            continue
        others = [c for c in choices if c is not best[0]]
        margin = max(_longest_margin(best[0], others, lang) for lang in ("nl", "en"))
        if margin > 0:
            cues.append(LengthCue(scenario.id, node_id, margin))
    return cues


def check_length_cues(scenarios: list[ScenarioFile]) -> str | None:
    """Return a problem when the best option is strictly the longest in more than
    LONGEST_BEST_LIMIT of all scored decisions, naming the worst; None when within the limit."""
    total = sum(len(scored_decisions(s)) for s in scenarios)
    cues = sorted(
        (cue for s in scenarios for cue in length_cues(s)), key=lambda c: (-c.margin, c.node_id)
    )
    if total == 0 or len(cues) <= LONGEST_BEST_LIMIT * total:
        return None
    worst = ", ".join(f"{c.scenario_id}/{c.node_id} (+{c.margin})" for c in cues[:8])
    return (
        f"the best option is the longest in {len(cues)} of {total} decisions "
        f"({round(100 * len(cues) / total)}%; at most {round(100 * LONGEST_BEST_LIMIT)}% allowed), "
        f"so 'always pick the longest' gives the answers away; rewrite the options, worst first: "
        f"{worst}"
    )
