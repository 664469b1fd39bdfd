"""Benchmark the Delen engine: µs per evaluation vs a hand-written if-chain, in one run.

Run: .venv/bin/python bench/share_engine.py
Evaluates 10,000 varied (seeded random, partly incomplete) cases with the engine, then times the
engine and a hand-written Python function of the same decision on 3 fixed complete cases and
prints the ratio. The hand-written function is checked to give the same outcome first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any

from ketenwijs.sharing import FACT_SPECS, Case, evaluate, load_rulebook

PD = {"pseudonymised", "identifiable"}
SECRET = {"tax", "bibob", "medical_secret", "youth_care_record", "veilig_thuis_record"}
SPECIAL = {"special_health", "special_sex_life", "special_other"}
WGS_SETTINGS = {"riec_case", "zvh_case", "fec", "icov"}


def handwritten(f: Mapping[str, Any], wgs: bool) -> str:
    """The same decision as the rules, written by hand for complete cases (no unknown facts)."""
    s, r, p, cats = f["sender"], f["recipient"], f["purpose"], f["data_categories"]
    pd = f["personal_data"] in PD
    if f["acute_danger"] and r in {
        "police",
        "kmar",
        "veilig_thuis",
        "healthcare_provider",
        "youth_care",
        "public_prosecutor",
    }:
        return "allowed_with_conditions"
    blocks = advice = False
    if "tax" in cats:
        if r == "private_party":
            blocks = True
        elif not (
            (wgs and f["setting"] in {"riec_case", "fec", "icov"})
            or (
                s == "fiod"
                and r in {"public_prosecutor", "police"}
                and p == "criminal_investigation"
            )
        ):
            advice = True
    if "bibob" in cats and not (
        r in {"mayor", "police", "public_prosecutor"} or (r == "riec" and p == "bibob_screening")
    ):
        blocks = True
    if "medical_secret" in cats and not (f["consent"] == "given" or r == "veilig_thuis"):
        advice = True
    if "youth_care_record" in cats and not (
        f["consent"] == "given" or r in {"veilig_thuis", "youth_care"}
    ):
        advice = True
    if "veilig_thuis_record" in cats and not (
        s == "veilig_thuis" and p in {"victim_protection", "human_trafficking"}
    ):
        advice = True
    if pd:
        n = f["necessity"]
        if not n["purpose_specified"] or n["less_intrusive_possible"]:
            blocks = True
        if s == "private_party" or (
            s
            in {
                "school",
                "housing_corporation",
                "victim_support",
                "comensha",
                "healthcare_provider",
                "youth_care",
            }
            and p
            in {"organised_crime", "bibob_screening", "public_order", "criminal_investigation"}
        ):
            advice = True
        if p == "other":
            advice = True
        if (
            s in {"police", "kmar"}
            and r not in {"police", "kmar"}
            and not (
                r in {"mayor", "public_prosecutor", "veilig_thuis"}
                or (r == "comensha" and p in {"human_trafficking", "victim_protection"})
                or (wgs and f["setting"] in WGS_SETTINGS)
                or (
                    not wgs
                    and f["setting"] in {"riec_case", "zvh_case"}
                    and f["authorisation"] != "none"
                )
                or (f["pattern"] == "incidental" and f["authorisation"] != "none")
            )
        ):
            blocks = True
        if (
            s == "public_prosecutor"
            and r not in {"police", "public_prosecutor"}
            and (
                r in {"private_party", "school", "housing_corporation", "healthcare_provider"}
                or p in {"statistics", "other"}
            )
        ):
            blocks = True
        if f["pattern"] == "structural":
            if not (
                f["dpia"] == "done"
                or (f["dpia"] == "not_needed" and not (set(cats) & (SPECIAL | {"criminal", "bsn"})))
            ):
                blocks = True
            if f["agreement"] == "none":
                advice = True
        if (
            "special_other" in cats
            and p in {"public_order", "organised_crime"}
            and s not in {"police", "kmar", "public_prosecutor", "fiod"}
        ):
            blocks = True
    if blocks:
        return "not_allowed"
    if advice:
        return "seek_advice"
    if not pd and not set(cats) & SECRET:
        return "allowed"
    return "allowed_with_conditions"


def _fixed() -> list[dict[str, Any]]:
    base: dict[str, Any] = {
        "reference_date": "2025-06-01",
        "sender": "municipality",
        "recipient": "police",
        "purpose": "human_trafficking",
        "setting": "bilateral",
        "pattern": "incidental",
        "personal_data": "identifiable",
        "data_categories": ["ordinary"],
        "data_subject_minor": False,
        "consent": "not_asked",
        "acute_danger": False,
        "necessity": {
            "purpose_specified": True,
            "less_intrusive_possible": False,
            "minimised": True,
        },
        "authorisation": "none",
        "agreement": "none",
        "dpia": "not_needed",
        "data_subject_informed": "yes",
    }
    return [
        base,
        {**base, "sender": "police", "recipient": "housing_corporation"},  # not allowed
        {
            **base,
            "sender": "youth_care",
            "recipient": "municipality",  # seek advice
            "data_categories": ["youth_care_record"],
            "consent": "refused",
        },
    ]


def _random_case(rng: random.Random) -> dict[str, Any]:
    case: dict[str, Any] = {"reference_date": rng.choice(["2024-06-01", "2025-06-01"])}
    for fid, spec in FACT_SPECS.items():
        if fid == "reference_date" or rng.random() < 0.1:  # some facts missing
            continue
        if spec.type == "bool":
            value: Any = rng.random() < 0.5
        elif spec.type == "enum":
            value = rng.choice(spec.values)
        else:
            value = rng.sample(spec.values, rng.randint(0, 3))
        if fid.startswith("necessity."):
            case.setdefault("necessity", {})[fid.split(".")[1]] = value
        else:
            case[fid] = value
    return case


def _time(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    rulebook = load_rulebook()
    rng = random.Random(42)
    cases = [Case.from_dict(_random_case(rng)) for _ in range(10_000)]
    start = time.perf_counter()
    outcomes: dict[str, int] = {}
    for case in cases:
        out = evaluate(case, rulebook).outcome
        outcomes[out] = outcomes.get(out, 0) + 1
    varied = (time.perf_counter() - start) / len(cases) * 1e6

    fixed_raw = _fixed()
    fixed = [Case.from_dict(c) for c in fixed_raw]
    for raw, case in zip(fixed_raw, fixed, strict=True):
        assert handwritten(raw, True) == evaluate(case, rulebook).outcome, raw
    reps = 3000
    engine_us = _time(lambda: [evaluate(c, rulebook) for c in fixed], reps) / 3
    hand_us = _time(lambda: [handwritten(c, True) for c in fixed_raw], reps) / 3
    engine_json_us = _time(lambda: [evaluate(c, rulebook).to_dict() for c in fixed], reps // 3) / 3

    print(f"engine, 10,000 varied cases:     {varied:8.1f} µs/evaluation  outcomes {outcomes}")
    print(f"engine, 3 fixed cases:           {engine_us:8.1f} µs/evaluation")
    print(f"engine + to_dict, 3 fixed cases: {engine_json_us:8.1f} µs/evaluation")
    print(f"hand-written if-chain, 3 cases:  {hand_us:8.1f} µs/evaluation")
    print(f"ratio engine / hand-written:     {engine_us / hand_us:8.1f}x")


if __name__ == "__main__":
    main()
