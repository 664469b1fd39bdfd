"""Evaluate a case against the rules: pure, deterministic, and explained with sources.

Outcome logic (also in docs/decisions/0002-sharing-rules-format.md), first match wins:

1. an `urgent` check is met (acute danger to a recipient who can act) → `allowed_with_conditions`,
   with only the urgency conditions; the rest of the assessment becomes paperwork afterwards;
2. a `blocks` check is not met → `not_allowed`, naming the failing checks and their sources;
3. an `advice` check is not met, or any deciding check is `unknown` → `seek_advice`, saying why;
4. every check in `allowed_only_if` is met (no personal data, no secrecy rule) → `allowed`;
5. otherwise → `allowed_with_conditions`, listing each condition with its source.

`evaluate` runs a Python function generated per rule-set version (plan.py, ~10 µs per case);
`evaluate_reference` walks the per-condition closures and is what tests compare it with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ketenwijs.sharing.case import FACT_SPECS, Case, CaseError, FactValue, check_consistent
from ketenwijs.sharing.plan import Plan, build_plan
from ketenwijs.sharing.rulebook import Check, Condition, NextStep, Question, Rulebook, Source
from ketenwijs.sharing.schema import LawTextNotRead, LawTextRead

_DECIDING = frozenset({"urgent", "blocks", "advice", "condition"})


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A check and the status it got for this case.

    Immutable: `evaluate` shares one instance per (check, status) and version between results.
    """

    check: Check
    status: str

    def to_dict(self, on: dt.date | None = None) -> dict[str, Any]:
        """Return the §4.1 form plus title, step and effect (compatible extensions).

        With the reference date `on`, each source also links to the law as in force that day.
        """
        text = self.check.explanation[self.status]
        return {
            "id": self.check.id,
            "status": self.status,
            "title": {"nl": self.check.title.nl, "en": self.check.title.en},
            "step": self.check.step,
            "effect": self.check.effect,
            "explanation": {"nl": text.nl, "en": text.en},
            "sources": [s.to_dict(on) for s in self.check.sources],
        }


@dataclass(frozen=True)
class Change:
    """One answer that, given instead (or given at all, when unknown), changes the outcome."""

    fact: str
    value: str | bool  # the alternative value; for a list fact the category added or removed
    action: str  # "set", "add" (tick this category too) or "remove" (untick it)
    known: bool  # whether the fact was answered (False: an unknown fact becoming known)
    outcome: str
    text: Mapping[str, str]  # "question: answer -> outcome" in nl and en

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (an extension of §4.1: `what_would_change`)."""
        return {
            "fact": self.fact,
            "value": self.value,
            "change": self.action,
            "known": self.known,
            "outcome": self.outcome,
            "text": dict(self.text),
        }


@dataclass(frozen=True)
class Assessment:
    """The result of evaluating one case: outcome, checks, conditions, next steps, provenance."""

    outcome: str
    ruleset_id: str
    version: str
    valid_on: dt.date
    sha256: str
    checks: tuple[CheckResult, ...]
    reasons: tuple[CheckResult, ...]
    conditions: tuple[Condition, ...]
    next_steps: tuple[NextStep, ...]
    urgent: bool
    outcome_label: Mapping[str, str]
    disclaimer: Mapping[str, str]
    # The answers that would change the outcome; None when not computed (`evaluate(explain=)`).
    changes: tuple[Change, ...] | None = None

    @property
    def statuses(self) -> dict[str, str]:
        """Return `check id -> status`."""
        return {r.check.id: r.status for r in self.checks}

    @property
    def cited(self) -> list[Source]:
        """Return the sources of every check that applied and of every listed condition."""
        out: list[Source] = []
        for r in self.checks:
            if r.status != "not_applicable":
                out.extend(r.check.sources)
        for c in self.conditions:
            out.extend(c.sources)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the §4.1 JSON (plus clearly named extensions)."""
        return {
            "outcome": self.outcome,
            "ruleset": {
                "id": self.ruleset_id,
                "version": self.version,
                "valid_on": self.valid_on.isoformat(),
                "sha256": self.sha256,
            },
            "checks": [r.to_dict(self.valid_on) for r in self.checks],
            "conditions": [
                {
                    "id": c.id,
                    "text": {"nl": c.text.nl, "en": c.text.en},
                    "sources": [s.to_dict(self.valid_on) for s in c.sources],
                }
                for c in self.conditions
            ],
            "next_steps": [
                {"id": n.id, "text": {"nl": n.text.nl, "en": n.text.en}} for n in self.next_steps
            ],
            "outcome_label": dict(self.outcome_label),
            "urgent": self.urgent,
            "reasons": [
                {"check": r.check.id, "status": r.status, "effect": r.check.effect}
                for r in self.reasons
            ],
            "disclaimer": dict(self.disclaimer),
            **(
                {}
                if self.changes is None
                else {"what_would_change": [c.to_dict() for c in self.changes]}
            ),
            "law_texts": self._law_texts(),
        }

    def _law_texts(self) -> list[dict[str, Any]]:
        """Return each article cited anywhere in this output once, with its wording or why not.

        Extension of §4.1 (issue 12): `law_text` is the wording as read (where, when, which
        version) or a statement that it was not read; `url_in_force` opens the law as in force on
        the reference date. Keyed by `law` and `article`, as the sources in the checks are.
        """
        seen: dict[str, Source] = {}
        for r in self.checks:
            for s in r.check.sources:
                seen.setdefault(s.cite, s)
        for c in self.conditions:
            for s in c.sources:
                seen.setdefault(s.cite, s)
        return [
            {
                "law": s.law,
                "article": s.article,
                "title": s.title,
                "url_in_force": s.url_on(self.valid_on),
                "law_text": s.law_text_dict(),
            }
            for s in seen.values()
        ]

    def to_text(self, lang: str = "nl", *, law_text: bool = False) -> str:
        """Render a plain-text report for a terminal or a file, in `lang` (nl or en).

        With `law_text`, a last section gives each cited article's wording as read (or says it
        was not read, and why) with a link to the law as in force on the reference date.
        """
        en = lang == "en"
        lines = [
            f"{'Outcome' if en else 'Uitkomst'}: {self.outcome_label[lang]} ({self.outcome})",
            f"{'Rules' if en else 'Regels'}: {self.ruleset_id} {self.version} "
            f"({'law as on' if en else 'recht zoals op'} {self.valid_on.isoformat()}), "
            f"sha256 {self.sha256[:12]}…",
        ]
        if self.reasons:
            lines.append("")
            lines.append("Why:" if en else "Waarom:")
            for r in self.reasons:
                lines.append(f"  - {getattr(r.check.title, lang)} [{r.status}]")
                lines.append(f"    {getattr(r.check.explanation[r.status], lang)}")
                lines.append(f"    {_cite_line(r.check.sources, en)}")
        if self.conditions:
            lines.append("")
            lines.append("Conditions:" if en else "Voorwaarden:")
            for c in self.conditions:
                lines.append(f"  - {getattr(c.text, lang)}")
                lines.append(f"    {_cite_line(c.sources, en)}")
        if self.next_steps:
            lines.append("")
            lines.append("Next steps:" if en else "Vervolgstappen:")
            for n in self.next_steps:
                lines.append(f"  - {getattr(n.text, lang)}")
        if self.changes is not None:
            lines.append("")
            lines.append(
                "What would change the outcome:" if en else "Wat de uitkomst zou veranderen:"
            )
            if not self.changes:
                lines.append(
                    "  - No single other answer changes the outcome."
                    if en
                    else "  - Geen enkel ander antwoord verandert de uitkomst."
                )
            for change in self.changes:
                lines.append(f"  - {change.text[lang]}")
        lines.append("")
        lines.append("Checks:" if en else "Toetsen:")
        for r in self.checks:
            if r.status == "not_applicable":
                continue
            lines.append(f"  [{r.status}] {getattr(r.check.title, lang)}")
            lines.append(f"      {getattr(r.check.explanation[r.status], lang)}")
            lines.append(f"      {_cite_line(r.check.sources, en)}")
        if law_text:
            lines.append("")
            lines.extend(law_text_lines(self.cited, self.valid_on, lang))
        lines.append("")
        lines.append(self.disclaimer[lang])
        return "\n".join(lines) + "\n"


def law_text_lines(sources: Sequence[Source], day: dt.date, lang: str) -> list[str]:
    """Return the law-text section: per cited article (once) its wording or why it is missing.

    Only wording read in a source goes out, with the day it was read and where; an article that
    was not read says so with the reason, never a paraphrase (issue 12).
    """
    en = lang == "en"
    lines = [
        f"Law text (as in force on {day.isoformat()}):"
        if en
        else f"Wettekst (geldend op {day.isoformat()}):"
    ]
    seen: set[str] = set()
    for s in sources:
        if s.cite in seen:
            continue
        seen.add(s.cite)
        lines.append(f"  {s.cite} ({s.title})")
        lines.append(f"    Link: {s.url_on(day)}")
        text = s.law_text
        if text is None:
            continue
        if isinstance(text, LawTextNotRead):
            lines.append(
                "    Text not read: " + text.reason.en
                if en
                else "    Tekst niet gelezen: " + text.reason.nl
            )
            continue
        lines.append("    " + law_text_provenance(text, day, lang))
        lines.extend(f"    | {line}" for line in text.nl.splitlines())
    return lines


def law_text_provenance(text: LawTextRead, day: dt.date, lang: str) -> str:
    """Say where and when the wording was read and which version it is, against the day."""
    en = lang == "en"
    where = (
        ("official publication" if en else "officiële bekendmaking")
        if text.official
        else (
            "verbatim reproduction, not the official publication"
            if en
            else "letterlijke weergave, niet de officiële bekendmaking"
        )
    )
    read = (
        f"Read on {text.read_on.isoformat()} at {text.at} ({where})"
        if en
        else (f"Gelezen op {text.read_on.isoformat()} op {text.at} ({where})")
    )
    if text.version_date is None:
        version = (
            "version date unknown: check the text as in force on the reference date via the link"
            if en
            else "versiedatum onbekend: controleer via de link de tekst die op de peildatum gold"
        )
    elif text.version_date > day:
        version = (
            f"this version applies from {text.version_date.isoformat()}, after the reference "
            "date: the text in force then may differ"
            if en
            else f"deze versie geldt vanaf {text.version_date.isoformat()}, na de peildatum: de "
            "tekst die toen gold kan afwijken"
        )
    else:
        version = (
            f"version in force from {text.version_date.isoformat()}; later changes up to the "
            "reference date were not checked"
            if en
            else f"versie geldend vanaf {text.version_date.isoformat()}; latere wijzigingen tot "
            "de peildatum zijn niet nagegaan"
        )
    return f"{read}; {version}."


def _cite_line(sources: tuple[Source, ...], en: bool) -> str:
    parts = []
    for s in sources:
        mark = ""
        if not s.verified:
            why = f": {getattr(s.note, 'en' if en else 'nl')}" if s.note is not None else ""
            mark = f" (not verified{why})" if en else f" (niet geverifieerd{why})"
        text = f"{s.cite}{mark}"
        if s.precedent is not None:
            text += f"; {s.precedent.id}"
        parts.append(text)
    return ("Sources: " if en else "Bronnen: ") + "; ".join(parts)


def evaluate(
    case: Case, rulebook: Rulebook, today: dt.date | None = None, explain: bool = False
) -> Assessment:
    """Evaluate `case` as the law stood on its reference date (default: `today` or today).

    With `explain`, also compute `changes`: each single other answer that changes the outcome.
    """
    day = case.reference_date or today or dt.date.today()
    for plan in rulebook._plans or _prepare(rulebook):
        if plan.first_day <= day <= plan.last_day:
            break
    else:
        rulebook.version_for(day)  # raises VersionError
        raise AssertionError(day)  # pragma: no cover - versions are contiguous
    outcome, checks, reasons, conditions, next_steps, urgent = plan.run(
        rulebook.effective_facts(case.facts)
    )
    regime = rulebook.regime(case.facts)
    if regime is not None:
        checks, reasons, conditions = _for_regime(rulebook, regime, checks, reasons, conditions)
    label = rulebook.outcomes[outcome].label
    disclaimer = rulebook.disclaimer
    # The same instance `Assessment(...)` would build; filling `__dict__` directly skips the
    # frozen dataclass's twelve `object.__setattr__` calls (a third of an evaluation).
    assessment = _new_assessment(Assessment)
    assessment.__dict__.update(
        outcome=outcome,
        ruleset_id=rulebook.id,
        version=plan.version_id,
        valid_on=day,
        sha256=rulebook.sha256,
        checks=checks,
        reasons=reasons,
        conditions=conditions,
        next_steps=next_steps,
        urgent=urgent,
        outcome_label={"nl": label.nl, "en": label.en},
        disclaimer={"nl": disclaimer.nl, "en": disclaimer.en},
        changes=what_would_change(case, rulebook, today, outcome) if explain else None,
    )
    return assessment


_new_assessment = object.__new__


def what_would_change(
    case: Case, rulebook: Rulebook, today: dt.date | None = None, outcome: str | None = None
) -> tuple[Change, ...]:
    """Return every single answer that, given differently or given at all, changes the outcome.

    For each question in asking order: each other value of a single-valued fact, and each data
    category ticked or unticked, except answers marked not changeable (the sender's position).
    Contradictory alternatives (spec §4.1, e.g. no personal data with a BSN) are skipped. About a
    hundred evaluations of ~15 µs each.
    """
    current = outcome if outcome is not None else evaluate(case, rulebook, today).outcome
    facts = dict(case.facts)
    out: list[Change] = []
    for question in rulebook.questions:
        # The sender's legal position (who shares, a secrecy duty) is not a way to a better
        # outcome (questions.yaml `not_changeable`, FG review 3).
        if question.fixed and question.fact in facts:
            continue
        spec = FACT_SPECS[question.fact]
        was = facts.get(question.fact)
        candidates: list[tuple[str | bool, str, FactValue]] = []
        if spec.type == "enum_list":
            ticked = was if isinstance(was, frozenset) else frozenset()
            for category in spec.values:
                if category in ticked:
                    if category not in question.fixed_values:
                        candidates.append((category, "remove", ticked - {category}))
                else:
                    candidates.append((category, "add", ticked | {category}))
        else:
            values: tuple[str | bool, ...] = (True, False) if spec.type == "bool" else spec.values
            candidates = [(v, "set", v) for v in values if v != was]
        for value, action, new in candidates:
            alt = {**facts, question.fact: new}
            try:
                check_consistent(alt)
            except CaseError:
                continue
            result = evaluate(Case(alt, case.reference_date), rulebook, today).outcome
            if result != current:
                out.append(
                    Change(
                        question.fact,
                        value,
                        action,
                        question.fact in facts,
                        result,
                        _change_text(rulebook, question, value, action, result),
                    )
                )
    return tuple(out)


def _change_text(
    rulebook: Rulebook, question: Question, value: str | bool, action: str, outcome: str
) -> dict[str, str]:
    label = rulebook.outcomes[outcome].label
    texts: dict[str, str] = {}
    for lang in ("nl", "en"):
        if isinstance(value, bool):
            answer = ("Yes" if value else "No") if lang == "en" else ("Ja" if value else "Nee")
        else:
            answer = getattr(question.options[value], lang)
        sign = {"add": "+ ", "remove": "- "}.get(action, "")
        texts[lang] = f"{getattr(question.text, lang)} {sign}{answer} -> {getattr(label, lang)}"
    return texts


def _for_regime(
    rulebook: Rulebook,
    regime: str,
    checks: tuple[CheckResult, ...],
    reasons: tuple[CheckResult, ...],
    conditions: tuple[Condition, ...],
    interned: bool = True,
) -> tuple[tuple[CheckResult, ...], tuple[CheckResult, ...], tuple[Condition, ...]]:
    """Cite the Wpg/Wjsg instead of the AVG for a police or prosecution sender (AVG 2(2)(d)).

    `evaluate` passes interned check results (one object per check, status and version, kept
    alive by the generated plans) and the rulebook's conditions, so each regime keeps one table
    from an item's identity to its copy: the swap is one dictionary look-up per item.
    `evaluate_reference` builds fresh results, so it copies without the table (`interned=False`).
    """
    table: dict[int, Any] = rulebook._regime_cache.setdefault(regime, {}) if interned else {}

    def copy(item: CheckResult | Condition) -> CheckResult | Condition:
        if isinstance(item, Condition):
            return item.for_regime(regime)
        if regime not in item.check.regime_sources:
            return item
        return CheckResult(item.check.for_regime(regime), item.status)

    def swap(item: Any) -> Any:
        found = table.get(id(item))
        if found is None:
            found = table[id(item)] = copy(item)
        return found

    return (
        tuple(swap(r) for r in checks),
        tuple(swap(r) for r in reasons),
        tuple(swap(c) for c in conditions),
    )


def _prepare(rulebook: Rulebook) -> tuple[Plan, ...]:
    """Generate the per-version evaluators once per rulebook (see `plan.py`)."""
    plans = tuple(build_plan(rulebook, v, CheckResult) for v in rulebook.versions)
    rulebook._plans = plans
    return plans


def evaluate_reference(case: Case, rulebook: Rulebook, today: dt.date | None = None) -> Assessment:
    """Evaluate with the per-condition closures: the reference semantics `evaluate` must match.

    Slower; kept so tests can compare the generated evaluator against it on many cases.
    """
    day = case.reference_date or today or dt.date.today()
    version = rulebook.version_for(day)
    facts = rulebook.effective_facts(case.facts)
    statuses: dict[str, str] = {}
    results: list[CheckResult] = []
    for compiled in version.checks:
        check = compiled.check
        status = "met"
        if compiled.applies is not None:
            applies = compiled.applies(facts, statuses, None)
            if applies is None:
                status = "unknown"
            elif not applies:
                status = "not_applicable"
        if status == "met" and compiled.met is not None:
            met = compiled.met(facts, statuses, None)
            status = "unknown" if met is None else ("met" if met else "not_met")
        statuses[check.id] = status
        results.append(CheckResult(check, status))

    outcome, reasons, urgent = _decide(results, statuses, rulebook.allowed_only_if)
    conditions: tuple[Condition, ...] = ()
    if outcome in ("allowed_with_conditions", "seek_advice"):
        conditions = tuple(
            c
            for c, fn in version.conditions
            if (c.urgency or not urgent) and fn(facts, statuses, outcome) is True
        )
    next_steps = tuple(n for n, fn in version.next_steps if fn(facts, statuses, outcome) is True)
    checks = tuple(results)
    reason_list = tuple(reasons)
    regime = rulebook.regime(facts)
    if regime is not None:
        checks, reason_list, conditions = _for_regime(
            rulebook, regime, checks, reason_list, conditions, interned=False
        )
    label = rulebook.outcomes[outcome].label
    return Assessment(
        outcome=outcome,
        ruleset_id=rulebook.id,
        version=version.version.id,
        valid_on=day,
        sha256=rulebook.sha256,
        checks=checks,
        reasons=reason_list,
        conditions=conditions,
        next_steps=next_steps,
        urgent=urgent,
        outcome_label={"nl": label.nl, "en": label.en},
        disclaimer={"nl": rulebook.disclaimer.nl, "en": rulebook.disclaimer.en},
    )


def _decide(
    results: list[CheckResult], statuses: Mapping[str, str], allowed_only_if: tuple[str, ...]
) -> tuple[str, list[CheckResult], bool]:
    urgent = [r for r in results if r.check.effect == "urgent" and r.status == "met"]
    if urgent:
        return "allowed_with_conditions", urgent, True
    blocking = [r for r in results if r.check.effect == "blocks" and r.status == "not_met"]
    if blocking:
        return "not_allowed", blocking, False
    advice = [
        r
        for r in results
        if (r.check.effect == "advice" and r.status == "not_met")
        or (r.check.effect in _DECIDING and r.status == "unknown")
    ]
    if advice:
        return "seek_advice", advice, False
    if all(statuses[c] == "met" for c in allowed_only_if):
        return "allowed", [], False
    return "allowed_with_conditions", [], False
