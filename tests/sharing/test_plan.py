"""The generated evaluator (plan.py) against the reference closures (conditions.py).

The snapshot test locks the output on fixed cases; these tests compare the two implementations
directly on many random, partly unknown inputs, for every condition in every version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from typing import Any

import pytest

from ketenwijs.sharing import FACT_SPECS, Case, CheckResult, Rulebook, evaluate
from ketenwijs.sharing import conditions as cond
from ketenwijs.sharing.engine import evaluate_reference
from ketenwijs.sharing.plan import compile_expression


def _random_facts(rng: random.Random, missing: float) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for fid, spec in cond.CONDITION_FACTS.items():
        if rng.random() < missing:
            continue
        if spec.type == "bool":
            facts[fid] = rng.random() < 0.5
        elif spec.type == "enum":
            facts[fid] = rng.choice(spec.values)
        else:
            facts[fid] = frozenset(rng.sample(spec.values, rng.randint(0, 4)))
    return facts


def _nodes(rulebook: Rulebook) -> list[tuple[str, cond.Node]]:
    nodes: list[tuple[str, cond.Node]] = []
    for check in rulebook.checks.values():
        for kind, node in (("applies_when", check.applies_when), ("met_when", check.met_when)):
            if node is not None:
                nodes.append((f"{check.id}.{kind}", node))
    nodes += [(f"condition {c.id}", c.when) for c in rulebook.conditions]
    nodes += [(f"next step {n.id}", n.when) for n in rulebook.next_steps]
    nodes += [
        (f"question {q.fact}", q.relevant_when) for q in rulebook.questions if q.relevant_when
    ]
    return nodes


@pytest.mark.parametrize("missing", [0.0, 0.3, 0.8])
def test_every_generated_condition_equals_its_closure(rulebook: Rulebook, missing: float) -> None:
    rng = random.Random(int(missing * 10))
    check_ids = list(rulebook.checks)
    for version in rulebook.versions:
        for name, node in _nodes(rulebook):
            reference = cond.compile_node(node, version.params)
            generated = compile_expression(node, version.params)
            for _ in range(150):
                facts = _random_facts(rng, missing)
                statuses = {c: rng.choice(cond.STATUSES) for c in check_ids}
                outcome = rng.choice(cond.OUTCOMES)
                want = reference(facts, statuses, outcome)
                got = generated(facts, statuses, outcome)
                assert got is want, (version.version.id, name, facts, statuses, outcome)


@pytest.mark.parametrize("missing", [0.0, 0.1, 0.5, 0.9])
def test_evaluate_equals_the_reference_evaluation(rulebook: Rulebook, missing: float) -> None:
    rng = random.Random(100 + int(missing * 10))
    for _ in range(600):
        facts = _random_facts(rng, missing)
        day = dt.date(2018, 5, 25) + dt.timedelta(days=rng.randint(0, 4000))
        case = Case(facts=facts, reference_date=day)
        fast, slow = evaluate(case, rulebook), evaluate_reference(case, rulebook)
        assert fast == slow, facts
        assert list(vars(fast).items()) == list(vars(slow).items())
        assert repr(fast) == repr(slow)
        assert json.dumps(fast.to_dict()) == json.dumps(slow.to_dict())


def test_check_results_are_immutable_and_shared(rulebook: Rulebook) -> None:
    data = {"reference_date": "2025-06-01", "personal_data": "none"}
    first = evaluate(Case.from_dict(data), rulebook).checks
    second = evaluate(Case.from_dict(data), rulebook).checks
    assert all(a is b for a, b in zip(first, second, strict=True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].status = "met"  # type: ignore[misc]
    assert isinstance(first[0], CheckResult)


def test_generated_source_reads_each_fact_once(rulebook: Rulebook) -> None:
    evaluate(Case.from_dict({"reference_date": "2025-06-01"}), rulebook)
    for plan in rulebook._plans:
        for fact in FACT_SPECS:
            assert plan.source.count(f"g({fact!r})") <= 1
