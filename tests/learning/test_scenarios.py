"""The packaged scenarios train asking: enough decisions and options, state, time, the balance
list from the domain review, and no way to a good ending by always taking the first option."""

from __future__ import annotations

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.graph import MIN_DECISIONS, MIN_OPTIONS, decision_points
from ketenwijs.learning.schema import Effect, Outcome, Profession, ScenarioFile
from ketenwijs.learning.scoring import best_path, evaluate_run, offered_choices
from ketenwijs.learning.state import available_choices, replay
from ketenwijs.signals.library import default_library


def _required() -> list[ScenarioFile]:
    return [s for s in load_learning_content().scenarios if s.required]


def _first_option_outcome(scenario: ScenarioFile, seed: int | None) -> Outcome:
    """Play by always taking the first option: in file order (seed None) or as a run shows it."""
    path: list[str] = []
    for _ in range(40):
        played = replay(scenario, path)
        if scenario.nodes[played.node_id].ending is not None:
            break
        if seed is None:
            options = available_choices(scenario, played.node_id, played.state)
        else:
            options = offered_choices(scenario, played.node_id, seed, played.state)
        path.append(options[0].id)
    ending = evaluate_run(scenario, path).ending
    assert ending is not None, (scenario.id, path)
    return ending.outcome


def test_there_are_at_least_twelve_scenarios_with_four_decisions_of_three_options() -> None:
    scenarios = load_learning_content().scenarios
    assert len(scenarios) >= 12
    for scenario in _required():
        assert decision_points(scenario) >= MIN_DECISIONS, scenario.id
        for node_id, node in scenario.nodes.items():
            assert len(node.choices) in (0, 1) or len(node.choices) >= MIN_OPTIONS, node_id


def test_every_scenario_carries_trust_signals_and_time() -> None:
    for scenario in load_learning_content().scenarios:
        choices = [c for node in scenario.nodes.values() for c in node.choices]
        assert "trust" in scenario.counters, scenario.id
        assert len(scenario.signals) >= 4, scenario.id
        assert any(c.weeks > 0 for c in choices), scenario.id
        assert any(b.requires.at_least.get("trust") for c in choices for b in c.branches), (
            scenario.id
        )


def test_scenario_signals_name_real_signaleren_indicators() -> None:
    known = set(default_library().indicators)
    for scenario in load_learning_content().scenarios:
        for signal in scenario.signals:
            assert signal.indicator is None or signal.indicator in known, (scenario.id, signal.id)


def test_the_settings_cover_every_profession() -> None:
    professions = {s.profession for s in load_learning_content().scenarios}
    assert professions >= set(Profession)


def test_the_balance_list_from_the_domain_review_is_covered() -> None:
    content = load_learning_content()
    ids = {s.id for s in content.scenarios}
    # A woman who exploits on her own; parents as perpetrators; a boy not yet out, blackmailed by a
    # 17-year-old over webcam; a young person who keeps denying over weeks.
    assert {"de-vaste-gast", "moeder-en-stiefvader", "jongen-niet-uit", "ze-ontkent"} <= ids
    denial = [
        s.id
        for s in content.scenarios
        if any(signal.indicator == "denies_or_minimises" for signal in s.signals)
    ]
    assert denial


def test_always_the_first_option_in_the_file_reaches_no_good_ending() -> None:
    for scenario in _required():
        assert _first_option_outcome(scenario, None) is not Outcome.GOOD, scenario.id


def test_always_the_first_option_shown_does_not_end_well_in_every_required_scenario() -> None:
    for seed in range(200):
        outcomes = [_first_option_outcome(scenario, seed) for scenario in _required()]
        assert outcomes.count(Outcome.GOOD) < len(outcomes), seed


def test_the_best_path_of_every_required_scenario_ends_well() -> None:
    for scenario in _required():
        _, path = best_path(scenario)
        ending = evaluate_run(scenario, path).ending
        assert ending is not None, scenario.id
        assert ending.outcome is Outcome.GOOD, scenario.id


def test_a_closed_safety_question_is_never_praised_as_open() -> None:
    for scenario in load_learning_content().scenarios:
        for node in scenario.nodes.values():
            for choice in node.choices:
                if "veilig voelt" in choice.text.nl:
                    assert Effect.ASKS_OPEN_QUESTION not in choice.effects, scenario.id
                    assert "gesloten" in choice.feedback.nl, scenario.id


def test_leading_questions_cost_trust() -> None:
    for scenario in load_learning_content().scenarios:
        for node in scenario.nodes.values():
            for choice in node.choices:
                if Effect.ASKS_LEADING_QUESTION in choice.effects:
                    assert choice.changes.get("trust", 0) < 0, (scenario.id, choice.id)
