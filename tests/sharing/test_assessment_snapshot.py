"""Behaviour lock: `evaluate(...).to_dict()` and `to_text()` must stay byte-identical.

The snapshot was generated from the engine *before* its performance work, so any change in
outcome, check status, condition, next step, reason, explanation, source or key order fails here.
It holds, for every YAML scenario case, the full `to_dict()` JSON and a sha256 of `to_text("nl")`
and `to_text("en")`; and for 2,000 seeded random, partly incomplete cases over both rule-set
versions, one sha256 per 100 cases (to_dict JSON and both texts), so the file stays reviewable.

If the rule *content* changes on purpose, regenerate and review the diff:

    .venv/bin/python -m tests.sharing.test_assessment_snapshot --update
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from ketenwijs.sharing import FACT_SPECS, Case, Rulebook, evaluate, load_rulebook, load_scenarios
from ketenwijs.sharing.case import DIRECT_IDENTIFIER_CATEGORIES, PERSONAL_CATEGORIES

SNAPSHOT = Path(__file__).parent / "snapshots" / "assessments.json"
TODAY = dt.date(2025, 6, 1)  # for cases without a reference date
RANDOM_CASES = 2000
CHUNK = 100


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _random_case(rng: random.Random) -> dict[str, Any]:
    case: dict[str, Any] = {}
    if rng.random() >= 0.05:
        case["reference_date"] = rng.choice(
            ["2019-01-01", "2023-01-01", "2025-02-28", "2025-03-01", "2026-01-01"]
        )
    for fid, spec in sorted(FACT_SPECS.items()):
        if fid == "reference_date" or rng.random() < 0.15:  # some facts missing
            continue
        value: Any
        if spec.type == "bool":
            value = rng.random() < 0.5
        elif spec.type == "enum":
            value = rng.choice(spec.values)
        else:
            value = sorted(rng.sample(spec.values, rng.randint(0, 4)))
        if fid.startswith("necessity."):
            case.setdefault("necessity", {})[fid.split(".")[1]] = value
        else:
            case[fid] = value
    if case.get("personal_data") == "none" and "data_categories" in case:
        # `none` with personal-data categories is refused as input (a contradiction).
        case["data_categories"] = [
            c for c in case["data_categories"] if c not in PERSONAL_CATEGORIES
        ]
    if case.get("personal_data") == "pseudonymised" and "data_categories" in case:
        # Delen 3: a direct identifier (BSN) with `pseudonymised` is refused too.
        case["data_categories"] = [
            c for c in case["data_categories"] if c not in DIRECT_IDENTIFIER_CATEGORIES
        ]
    return case


def scenario_part(rulebook: Rulebook) -> dict[str, Any]:
    """Return `scenario name -> {to_dict, text_nl_sha256, text_en_sha256}`."""
    out: dict[str, Any] = {}
    for scenario in load_scenarios(rulebook):
        a = evaluate(scenario.case, rulebook, today=TODAY)
        out[scenario.name] = {
            "to_dict": a.to_dict(),
            "text_nl_sha256": _sha(a.to_text("nl")),
            "text_en_sha256": _sha(a.to_text("en")),
        }
    return out


def random_part(rulebook: Rulebook) -> list[str]:
    """Return one sha256 per 100 seeded random cases over to_dict JSON and both texts."""
    rng = random.Random(20250301)
    digests = []
    for _ in range(RANDOM_CASES // CHUNK):
        h = hashlib.sha256()
        for _ in range(CHUNK):
            a = evaluate(Case.from_dict(_random_case(rng)), rulebook, today=TODAY)
            h.update(_json(a.to_dict()).encode())
            h.update(a.to_text("nl").encode())
            h.update(a.to_text("en").encode())
        digests.append(h.hexdigest())
    return digests


def _expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return data


def test_scenario_assessments_match_the_snapshot(rulebook: Rulebook) -> None:
    expected = _expected()["scenarios"]
    actual = scenario_part(rulebook)
    assert list(actual) == list(expected)
    for name, rendered in actual.items():
        # compare the serialised form: key order and value types count, not only equality
        assert _json(rendered) == _json(expected[name]), name


def test_random_case_assessments_match_the_snapshot(rulebook: Rulebook) -> None:
    assert random_part(rulebook) == _expected()["random_case_digests"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.sharing.test_assessment_snapshot --update")
    book = load_rulebook()
    snapshot = {"scenarios": scenario_part(book), "random_case_digests": random_part(book)}
    SNAPSHOT.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {SNAPSHOT}")
