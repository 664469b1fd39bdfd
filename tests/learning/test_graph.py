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


def _cued(best_text: str, other_texts: tuple[str, str]) -> dict:  # type: ignore[type-arg]
    best = choice("best", "end", "asks_open_question")
    best["text"] = {"nl": best_text, "en": best_text}
    others = []
    for index, wording in enumerate(other_texts):
        other = choice(f"other-{index}", "end", "ignores_signal")
        other["text"] = {"nl": wording, "en": wording}
        others.append(other)
    return node(others[0], best, others[1])


def test_a_best_option_that_is_strictly_the_longest_is_a_length_cue() -> None:
    from ketenwijs.learning.graph import length_cues

    cued = scenario(
        {"start": _cued("a much longer careful answer", ("short", "brief")), "end": ending()}
    )
    assert [(c.node_id, c.margin) for c in length_cues(cued)] == [("start", 23)]
    tied = scenario({"start": _cued("same size", ("same size", "x")), "end": ending()})
    assert length_cues(tied) == []


def test_the_load_check_fails_above_forty_percent_and_names_the_worst() -> None:
    from ketenwijs.learning.graph import check_length_cues

    nodes = {
        "start": _cued("the longest and most careful option", ("short", "brief")),
        "b": _cued("long option here", ("tiny", "a")),
        "c": _cued("x", ("a longer wrong option", "another long wrong option")),
        "end": ending(),
    }
    nodes["start"]["choices"][1]["next"] = "b"
    nodes["b"]["choices"][1]["next"] = "c"
    two_of_three = scenario(nodes)
    problem = check_length_cues([two_of_three])
    assert problem is not None
    assert "longest in 2 of 3 decisions (67%; at most 40% allowed)" in problem
    assert problem.endswith("test/start (+30), test/b (+12)")
    nodes["b"] = _cued("short", ("a longer wrong option", "longer wrong one"))
    nodes["b"]["choices"][1]["next"] = "c"
    assert check_length_cues([scenario(nodes)]) is None  # 1 of 3 is within the limit
