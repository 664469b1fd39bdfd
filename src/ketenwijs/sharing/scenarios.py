"""Scenario tests as data: named cases with the expected outcome and the articles cited.

Used by pytest (one parametrized test) and by `ketenwijs share rules test`, so authors and CI
run exactly the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ketenwijs.content import ContentError, load_yaml_file, suggest, validate
from ketenwijs.sharing.case import Case, CaseError
from ketenwijs.sharing.engine import evaluate
from ketenwijs.sharing.rulebook import Rulebook
from ketenwijs.sharing.schema import ScenarioDef, ScenariosFile


@dataclass(frozen=True)
class Scenario:
    """One scenario with where it was defined."""

    definition: ScenarioDef
    case: Case
    path: Path
    line: int | None

    @property
    def name(self) -> str:
        """Return the scenario's sentence-like name."""
        return self.definition.name

    @property
    def origin(self) -> str | None:
        """Return where the situation comes from as one line (None when not given)."""
        origin = self.definition.origin
        if origin is None or isinstance(origin, str):
            return origin
        return origin.describe()


@dataclass(frozen=True)
class ScenarioResult:
    """Pass or fail, with every mismatch spelled out."""

    scenario: Scenario
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Return whether the scenario met all expectations."""
        return not self.problems


def load_scenarios(rulebook: Rulebook, path: Path | str | None = None) -> list[Scenario]:
    """Load scenario files (a file or a folder; default: the rulebook's scenarios folder)."""
    root = Path(path) if path is not None else rulebook.path / "scenarios"
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    scenarios: list[Scenario] = []
    names: set[str] = set()
    for file in files:
        located = load_yaml_file(file)
        data = validate(ScenariosFile, located)
        for i, sc in enumerate(data.scenarios):
            loc = ("scenarios", i)
            if sc.name in names:
                raise located.error(f"duplicate scenario name '{sc.name}'", (*loc, "name"))
            names.add(sc.name)
            try:
                case = Case.from_dict(sc.case)
            except CaseError as exc:
                first = exc.errors[0]
                key = first.field.split(".")[0]
                raise located.error(f"case: {first}", (*loc, "case", key)) from exc
            for j, cite in enumerate(sc.expect.cites):
                if cite not in rulebook.all_cites:
                    raise located.error(
                        f"the rules never cite '{cite}'",
                        (*loc, "expect", "cites", j),
                        suggestion=suggest(cite, rulebook.all_cites),
                    )
            for check_id in sc.expect.checks:
                if check_id not in rulebook.checks:
                    raise located.error(
                        f"unknown check '{check_id}'",
                        (*loc, "expect", "checks", check_id),
                        suggestion=suggest(check_id, rulebook.checks),
                    )
            known = {
                "conditions": {c.id for c in rulebook.conditions},
                "next_steps": {n.id for n in rulebook.next_steps},
            }
            for key, ids in (
                ("conditions", sc.expect.conditions),
                ("next_steps", sc.expect.next_steps),
            ):
                for j, item in enumerate(ids):
                    if item not in known[key]:
                        raise located.error(
                            f"unknown {key.replace('_', ' ')[:-1]} '{item}'",
                            (*loc, "expect", key, j),
                            suggestion=suggest(item, known[key]),
                        )
            scenarios.append(Scenario(sc, case, file, located.line_of(loc)))
    if not scenarios:
        raise ContentError("no scenarios found", path=root)
    return scenarios


def run_scenario(scenario: Scenario, rulebook: Rulebook) -> ScenarioResult:
    """Evaluate one scenario and compare outcome, cited articles and check statuses."""
    expect = scenario.definition.expect
    assessment = evaluate(scenario.case, rulebook)
    problems: list[str] = []
    if assessment.outcome != expect.outcome:
        why = ", ".join(f"{r.check.id}={r.status}" for r in assessment.reasons) or "-"
        problems.append(f"outcome {assessment.outcome}, expected {expect.outcome} (reasons: {why})")
    cited = {s.cite for s in assessment.cited}
    for cite in expect.cites:
        if cite not in cited:
            problems.append(f"'{cite}' is not cited")
    statuses = assessment.statuses
    for check_id, status in expect.checks.items():
        if statuses[check_id] != status:
            problems.append(f"check {check_id} is {statuses[check_id]}, expected {status}")
    listed = {c.id for c in assessment.conditions}
    for cid in expect.conditions:
        if cid not in listed:
            problems.append(f"condition '{cid}' is not listed")
    steps = {n.id for n in assessment.next_steps}
    for nid in expect.next_steps:
        if nid not in steps:
            problems.append(f"next step '{nid}' is not listed")
    return ScenarioResult(scenario, tuple(problems))
