"""Scenario state: trust, signals and weeks carried forward; conditions; the checks at load."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.learning import RunError, evaluate_run
from ketenwijs.learning.graph import check_scenario_play, check_scenario_state
from ketenwijs.learning.scoring import best_path, offered_choices
from ketenwijs.learning.state import debrief, initial_state, replay, weeks_later
from tests.learning.conftest import choice, ending, node, scenario, text

TRUST = {"trust": {"label": text("trust"), "min": -2, "max": 2}}
SIGNALS = [
    {"id": "money", "indicator": "unexplained_gifts_money", "text": text("money")},
    {"id": "phone", "text": text("phone")},
]


def _choice(choice_id: str, next_node: str, *effects: str, **extra: Any) -> dict[str, Any]:
    return {**choice(choice_id, next_node, *effects), **extra}


def _four_decisions(last: dict[str, Any] | None = None) -> dict[str, Any]:
    """Four decisions of three options; the good ending needs trust 2 and the phone noticed."""
    closing = last or _choice(
        "report",
        "mixed",
        "follows_meldcode",
        branches=[{"requires": {"at_least": {"trust": 2}, "seen": ["phone"]}, "next": "good"}],
    )
    return {
        "start": node(
            _choice("open", "d2", "asks_open_question", changes={"trust": 1}, notices=["money"]),
            _choice("ignore", "d2", "ignores_signal", weeks=3, assumption=text("nothing")),
            _choice(
                "leading",
                "d2",
                "asks_leading_question",
                changes={"trust": -1},
                assumption=text("direct"),
            ),
        ),
        "d2": node(
            _choice("open", "d3", "asks_open_question", changes={"trust": 1}),
            _choice("wait", "d3", weeks=2),
            _choice(
                "push",
                "d3",
                "asks_leading_question",
                changes={"trust": -2},
                assumption=text("push"),
            ),
        ),
        "d3": node(
            _choice("stay", "d4", "notices_signal", notices=["phone"], weeks=2),
            _choice("stop", "poor", "ignores_signal", assumption=text("denial ends it")),
            _choice(
                "again",
                "d4",
                "asks_leading_question",
                changes={"trust": -1},
                assumption=text("again"),
            ),
        ),
        "d4": node(
            closing,
            _choice("confront", "poor", "jumps_to_conclusion", assumption=text("confront")),
            _choice("later", "mixed", "ignores_signal", assumption=text("later")),
        ),
        "good": ending("good"),
        "mixed": ending("mixed"),
        "poor": ending("poor"),
    }


def _scenario(nodes: dict[str, Any] | None = None, **extra: Any):  # type: ignore[no-untyped-def]
    return scenario(nodes or _four_decisions(), counters=TRUST, signals=SIGNALS, **extra)


def test_state_carries_trust_signals_and_weeks_forward_and_clamps_counters() -> None:
    played = replay(_scenario(), ["leading", "push", "stay"])
    assert played.node_id == "d4"
    assert played.state.value("trust") == -2  # -1 then -2, clamped at the minimum
    assert played.state.seen == frozenset({"phone"})
    assert played.state.week == 2
    assert [step.choice.id for step in played.steps] == ["leading", "push", "stay"]


def test_a_branch_decides_the_ending_from_the_state_built_earlier() -> None:
    good = evaluate_run(_scenario(), ["open", "open", "stay", "report"])
    assert good.ending is not None
    assert good.ending.outcome.value == "good"
    # The same last choice after a leading question: trust too low, so a mixed ending.
    mixed = evaluate_run(_scenario(), ["open", "push", "stay", "report"])
    assert mixed.ending is not None
    assert mixed.ending.outcome.value == "mixed"


def test_an_option_whose_condition_fails_is_not_offered_and_cannot_be_posted() -> None:
    nodes = _four_decisions()
    nodes["d4"]["choices"].append(
        _choice("together", "good", "asks_open_question", requires={"at_least": {"trust": 2}})
    )
    item = _scenario(nodes)
    low = replay(item, ["leading", "wait", "stay"])
    assert "together" not in [c.id for c in offered_choices(item, "d4", 7, low.state)]
    with pytest.raises(RunError, match="offers no choice 'together'"):
        replay(item, ["leading", "wait", "stay", "together"])
    high = replay(item, ["open", "open", "stay"])
    assert "together" in [c.id for c in offered_choices(item, "d4", 7, high.state)]
    assert check_scenario_play(item) == []


def test_the_best_path_follows_the_state_to_the_good_ending() -> None:
    score, path = best_path(_scenario())
    assert path == ["open", "open", "stay", "report"]
    assert score == 8


def test_time_passing_is_told_in_words() -> None:
    assert weeks_later(0) is None
    assert weeks_later(1) is not None
    assert weeks_later(1).nl == "Een week later…"
    two = weeks_later(2)
    assert two is not None
    assert (two.nl, two.en) == ("Twee weken later…", "Two weeks later…")
    assert weeks_later(14).nl == "14 weken later…"  # type: ignore[union-attr]


def test_the_debrief_names_noticed_and_missed_signals_assumptions_and_trust() -> None:
    found = debrief(_scenario(), ["leading", "wait", "again", "later"])
    assert found.noticed == ()
    assert found.missed == ("money", "phone")
    assert [c.id for c, _ in found.assumptions] == ["leading", "again", "later"]
    assert found.counters[0].start == 0
    assert found.counters[0].end == -2
    assert found.weeks == 2


def test_unknown_counters_and_signals_are_reported() -> None:
    nodes = _four_decisions()
    nodes["start"]["choices"][0]["changes"] = {"trsut": 1}
    nodes["d2"]["choices"][0]["notices"] = ["knife"]
    messages = [p.message for p in check_scenario_state(_scenario(nodes))]
    assert messages == [
        "choice 'open' of node 'start' uses unknown counter 'trsut'; declare it under 'counters'",
        "choice 'open' of node 'd2' uses unknown signal 'knife'; declare it under 'signals'",
    ]


def test_a_leading_question_that_loops_back_free_is_refused() -> None:
    nodes = _four_decisions()
    nodes["d2"]["choices"][2] = _choice("push", "d2", "asks_leading_question")
    messages = [p.message for p in check_scenario_state(_scenario(nodes))]
    assert messages == [
        "choice 'push' of node 'd2' costs points but has no consequence: give it 'changes' or "
        "'weeks', or let it end the scenario",
        "choice 'push' of node 'd2' costs points but names no 'assumption' for the debrief",
    ]


def test_a_decision_with_two_options_is_refused_in_a_required_scenario() -> None:
    nodes = _four_decisions()
    del nodes["d3"]["choices"][2]
    messages = [p.message for p in check_scenario_play(_scenario(nodes))]
    assert messages == [
        "node 'd3' asks a decision with only 2 option(s) in some state; a decision needs at "
        "least 3 plausible options"
    ]
    assert check_scenario_play(_scenario(nodes, required=False)) == []


def test_a_good_ending_reached_in_fewer_than_four_decisions_is_refused() -> None:
    nodes = _four_decisions()
    nodes["d2"]["choices"][0]["next"] = "good"
    messages = [p.message for p in check_scenario_play(_scenario(nodes))]
    assert (
        "a good ending can be reached with 2 decision(s); a required scenario asks at least 4 "
        "on every way to a good ending" in messages
    )


def test_nodes_and_options_no_run_can_reach_are_reported() -> None:
    nodes = _four_decisions(
        _choice(
            "report",
            "mixed",
            "follows_meldcode",
            branches=[
                {
                    "requires": {
                        "at_least": {"trust": 2},
                        "not_seen": ["money"],
                        "seen": ["money"],
                    },
                    "next": "good",
                }
            ],
        )
    )
    nodes["d4"]["choices"].append(
        _choice("never", "poor", requires={"at_least": {"trust": 2}, "at_most": {"trust": 1}})
    )
    messages = [p.message for p in check_scenario_play(_scenario(nodes))]
    assert (
        "node 'good' cannot be reached by any run (check the 'requires' conditions on the "
        "way)" in messages
    )
    assert (
        "choice 'never' of node 'd4' is never offered: its 'requires' does not hold in any "
        "state a run can reach there" in messages
    )


def test_a_state_from_which_no_path_ends_is_reported() -> None:
    # 'wait' loops back while trust is low; the only way on needs trust, which nothing raises.
    nodes = {
        "start": node(
            _choice("wait", "start", weeks=1),
            _choice("on", "end", requires={"at_least": {"trust": 1}}),
        ),
        "end": ending("poor"),
    }
    item = scenario(nodes, counters=TRUST, required=False)
    messages = [p.message for p in check_scenario_play(item)]
    assert (
        "choice 'on' of node 'start' is never offered: its 'requires' does not hold in any "
        "state a run can reach there" in messages
    )
    assert (
        "node 'start' can be reached in a state from which no path ends (a loop without a "
        "way out under the conditions)" in messages
    )


def test_the_start_state_uses_the_declared_initial_values() -> None:
    item = scenario(
        {"start": node(choice("a", "end")), "end": ending()},
        counters={"trust": {"label": text("t"), "initial": 1}},
    )
    assert initial_state(item).value("trust") == 1
