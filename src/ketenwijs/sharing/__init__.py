"""Delen: may this information be shared with this recipient? Pure rules engine, no Django.

Public API for the web layer, the CLI and other modules::

    from ketenwijs.sharing import load_rulebook, Case, CaseError, evaluate, Interview

    rulebook = load_rulebook()                  # packaged rules, validated and cached
    case = Case.from_dict(json_dict)            # spec §4.1; CaseError lists field-level problems
    assessment = evaluate(case, rulebook)       # pure and deterministic for a given reference_date
    assessment.to_dict()                        # the §4.1 JSON (outcome, ruleset, checks, ...)
    assessment.to_text("nl")                    # a readable report
    compare_dates(case, rulebook, date_a, date_b)  # the case on two reference dates, per check

    interview = Interview(rulebook, Case(), start_at="secrecy")
    question = interview.next_question()        # None when done (or when the urgency path is met)
    interview = interview.answer(question.fact, value)

    render_infographic_svg(rulebook, version="2025-03-01", lang="nl", link="/delen?start={step}")
    render_infographic_text(rulebook, version=None, lang="en")

    for scenario in load_scenarios(rulebook):   # the YAML scenario tests
        run_scenario(scenario, rulebook).passed

Errors: `ContentError` (rule files: file, line, cause, suggestion), `CaseError` (a case),
`VersionError` (no version covers the reference date).
"""

from ketenwijs.content import ContentError
from ketenwijs.sharing.case import FACT_SPECS, Case, CaseError, FieldError
from ketenwijs.sharing.compare import Comparison, compare_dates
from ketenwijs.sharing.engine import Assessment, CheckResult, evaluate
from ketenwijs.sharing.infographic import render_infographic_svg, render_infographic_text
from ketenwijs.sharing.interview import Interview, Progress
from ketenwijs.sharing.rulebook import (
    PACKAGED_RULES,
    Check,
    Question,
    Rulebook,
    Source,
    VersionError,
    analyse_rulebook,
    load_rulebook,
)
from ketenwijs.sharing.scenarios import Scenario, ScenarioResult, load_scenarios, run_scenario

__all__ = [
    "FACT_SPECS",
    "PACKAGED_RULES",
    "Assessment",
    "Case",
    "CaseError",
    "Check",
    "CheckResult",
    "Comparison",
    "ContentError",
    "FieldError",
    "Interview",
    "Progress",
    "Question",
    "Rulebook",
    "Scenario",
    "ScenarioResult",
    "Source",
    "VersionError",
    "analyse_rulebook",
    "compare_dates",
    "evaluate",
    "load_rulebook",
    "load_scenarios",
    "render_infographic_svg",
    "render_infographic_text",
    "run_scenario",
]
