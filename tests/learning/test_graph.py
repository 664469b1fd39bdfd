"""Scenario graphs: dead ends, unreachable nodes, unknown targets, inescapable loops."""

from __future__ import annotations

from ketenwijs.learning import check_scenario_graph, load_learning_content
from tests.learning.conftest import choice, ending, node, scenario


def _messages(nodes: dict, start: str = "start") -> list[str]:  # type: ignore[type-arg]
    return [p.message for p in check_scenario_graph(scenario(nodes, start))]


def test_a_well_formed_graph_has_no_problems() -> None:
    assert _messages({"start": node(choice("a", "end")), "end": ending()}) == []


def test_a_loop_with_a_way_out_is_allowed() -> None:
    nodes = {
        "start": node(choice("ask", "talk")),
        "talk": node(choice("again", "talk"), choice("report", "end")),
        "end": ending(),
    }
    assert _messages(nodes) == []


def test_a_node_without_choices_or_ending_is_a_dead_end() -> None:
    nodes = {"start": node(choice("a", "stuck")), "stuck": {"situation": {"nl": "x", "en": "x"}}}
    assert _messages(nodes) == [
        "node 'stuck' is a dead end: it has no choices and no ending",
    ]


def test_an_unknown_start_is_reported_alone() -> None:
    assert _messages({"begin": ending()}, start="start") == ["start node 'start' does not exist"]


def test_unreachable_nodes_and_inescapable_loops_are_both_reported() -> None:
    nodes = {
        "start": node(choice("a", "end"), choice("b", "loop")),
        "loop": node(choice("c", "loop")),
        "island": ending("poor"),
        "end": ending(),
    }
    assert _messages(nodes) == [
        "node 'island' is unreachable from start 'start'",
        "node 'loop' cannot reach any ending (a loop without a way out)",
    ]


def test_duplicate_choice_ids_in_one_node_are_reported() -> None:
    nodes = {"start": node(choice("a", "end"), choice("a", "end")), "end": ending()}
    assert _messages(nodes) == ["node 'start' has two choices with id 'a'"]


def test_every_packaged_scenario_passes_the_graph_checks() -> None:
    for item in load_learning_content().scenarios:
        assert check_scenario_graph(item) == [], item.id
