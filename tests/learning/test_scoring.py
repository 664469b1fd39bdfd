"""Scenario scoring rewards noticing, asking and the meldcode and penalises jumping ahead."""

from __future__ import annotations

import pytest

from ketenwijs.learning import RunError, evaluate_run, is_wrong_choice, max_score
from ketenwijs.learning.schema import Outcome
from ketenwijs.learning.scoring import WEIGHTS
from tests.learning.conftest import choice, ending, node, scenario

SCENARIO = scenario(
    {
        "start": node(
            choice("ask", "talk", "notices_signal", "asks_open_question"),
            choice("conclude", "bad", "jumps_to_conclusion"),
        ),
        "talk": node(
            choice("leading", "talk", "asks_leading_question"),
            choice("meldcode", "good", "follows_meldcode"),
        ),
        "good": ending("good"),
        "bad": ending("poor"),
    }
)


def test_weights_reward_good_practice_and_penalise_haste() -> None:
    assert all(WEIGHTS[e] > 0 for e in WEIGHTS if e.value.startswith(("notices", "asks_open")))
    assert WEIGHTS[next(e for e in WEIGHTS if e.value == "jumps_to_conclusion")] < 0


def test_best_path_scores_full_marks() -> None:
    result = evaluate_run(SCENARIO, ["ask", "meldcode"])
    assert result.finished is True
    assert result.ending is not None
    assert result.ending.outcome is Outcome.GOOD
    assert (result.score, result.max_score, result.percent) == (6, 6, 100)


def test_jumping_to_a_conclusion_ends_poorly_with_zero_percent() -> None:
    result = evaluate_run(SCENARIO, ["conclude"])
    assert result.ending is not None
    assert result.ending.outcome is Outcome.POOR
    assert result.score == -3
    assert result.percent == 0


def test_a_loop_counts_each_choice_once() -> None:
    once = evaluate_run(SCENARIO, ["ask", "leading", "meldcode"])
    many = evaluate_run(SCENARIO, ["ask", "leading", "leading", "leading", "meldcode"])
    assert once.score == many.score == 5


def test_an_unfinished_path_stands_at_its_node() -> None:
    result = evaluate_run(SCENARIO, ["ask"])
    assert (result.node_id, result.finished, result.ending) == ("talk", False, None)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (["shout"], "node 'start' offers no choice 'shout'"),
        (["conclude", "ask"], "the path continues after the ending 'bad'"),
    ],
)
def test_impossible_paths_raise(path: list[str], message: str) -> None:
    with pytest.raises(RunError, match=message):
        evaluate_run(SCENARIO, path)


def test_wrong_choices_are_those_that_cost_points() -> None:
    start = SCENARIO.nodes["start"]
    assert [c.id for c in start.choices if is_wrong_choice(c)] == ["conclude"]


def test_max_score_ignores_revisits() -> None:
    assert max_score(SCENARIO) == 6


def test_only_a_first_run_or_one_started_a_day_after_the_previous_counts() -> None:
    import datetime as dt

    from ketenwijs.learning.scoring import RETRY_WAIT, FinishedRun, counting_runs

    t0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

    def run(key: int, start: dt.timedelta, minutes: int, good: bool, sid: str = "a") -> FinishedRun:
        return FinishedRun(key, sid, t0 + start, t0 + start + dt.timedelta(minutes=minutes), good)

    assert dt.timedelta(hours=24) == RETRY_WAIT
    first = run(1, dt.timedelta(0), 10, good=False)
    retry = run(2, dt.timedelta(minutes=15), 10, good=True)  # right after the debrief
    early = run(3, dt.timedelta(hours=24), 10, good=True)  # 23 h 35 min after run 2 finished
    later = run(4, dt.timedelta(hours=49), 10, good=True)  # 24 h 50 min after run 3 finished
    other = run(5, dt.timedelta(minutes=16), 10, good=True, sid="b")  # its own first run
    counted = counting_runs([later, early, retry, first, other])
    assert [r.key for r in counted] == [1, 5, 4]


def test_runs_played_side_by_side_count_once() -> None:
    import datetime as dt

    from ketenwijs.learning.scoring import FinishedRun, counting_runs

    t0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    probe = FinishedRun(1, "a", t0, t0 + dt.timedelta(minutes=5), good=False)
    # Started before the probe, finished after it with the path the probe's debrief showed.
    parallel = FinishedRun(2, "a", t0 - dt.timedelta(minutes=1), t0 + dt.timedelta(minutes=9), True)
    assert [r.key for r in counting_runs([parallel, probe])] == [1]
