"""Assess one case as the law stood on two reference dates and explain, per check, what changed.

A check's status can only differ between two dates through a dated parameter it reads (e.g.
`wgs_in_force`, `bibob_sharing_between_bodies`) or through another check it depends on whose
status differs: the facts are the same. So "why" names exactly those parameters (value on each
date, the date it changed, the rule-set version and the parameter's sources) and those checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ketenwijs.sharing import conditions as cond
from ketenwijs.sharing.case import Case
from ketenwijs.sharing.engine import Assessment, CheckResult, evaluate
from ketenwijs.sharing.rulebook import Check, Condition, Parameter, Rulebook, Source

STATUS_LABELS: dict[str, dict[str, str]] = {
    "met": {"nl": "voldaan", "en": "met"},
    "not_met": {"nl": "niet voldaan", "en": "not met"},
    "unknown": {"nl": "onbekend", "en": "unknown"},
    "not_applicable": {"nl": "niet van toepassing", "en": "not applicable"},
}


def _value_label(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("ja" if value else "nee") if lang == "nl" else ("yes" if value else "no")
    return str(value)


@dataclass(frozen=True)
class ParameterChange:
    """A dated parameter whose value differs between the two reference dates."""

    parameter: Parameter
    value_a: bool | str
    value_b: bool | str
    changed_on: tuple[dt.date, ...]  # the dates between the two on which its value changed
    versions: tuple[tuple[str, dict[str, str]], ...]  # (id, label) of the versions starting then

    def text(self, lang: str) -> str:
        """Describe the change in one sentence, in `lang`."""
        p = self.parameter
        on = ", ".join(d.isoformat() for d in self.changed_on)
        versions = "; ".join(f"{vid}: {label[lang]}" for vid, label in self.versions)
        a, b = _value_label(self.value_a, lang), _value_label(self.value_b, lang)
        if lang == "en":
            return (
                f"{getattr(p.description, lang)} Date A: {a}; date B: {b} "
                f"(changed on {on}, rule-set version {versions})."
            )
        return (
            f"{getattr(p.description, lang)} Datum A: {a}; datum B: {b} "
            f"(gewijzigd per {on}, regelversie {versions})."
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "parameter": self.parameter.name,
            "a": self.value_a,
            "b": self.value_b,
            "changed_on": [d.isoformat() for d in self.changed_on],
            "versions": [{"id": vid, "label": dict(label)} for vid, label in self.versions],
            "description": {
                "nl": self.parameter.description.nl,
                "en": self.parameter.description.en,
            },
            "text": {"nl": self.text("nl"), "en": self.text("en")},
            "sources": [s.to_dict() for s in self.parameter.sources],
        }


@dataclass(frozen=True)
class CheckComparison:
    """One check's status on both dates and, when it differs, why."""

    a: CheckResult
    b: CheckResult
    parameters: tuple[ParameterChange, ...]  # parameters it reads that differ (when changed)
    via: tuple[tuple[CheckResult, CheckResult], ...]  # checks it depends on that changed

    @property
    def check(self) -> Check:
        """Return the check (as cited on date B: the regime is the same on both dates)."""
        return self.b.check

    @property
    def changed(self) -> bool:
        """Return whether the status differs between the dates."""
        return self.a.status != self.b.status

    @property
    def applies(self) -> bool:
        """Return whether the check applies on at least one of the dates."""
        return not (self.a.status == self.b.status == "not_applicable")

    def why(self, lang: str) -> tuple[str, ...]:
        """Return one sentence per cause of the difference (none when unchanged)."""
        out = [p.text(lang) for p in self.parameters]
        for a, b in self.via:
            title = getattr(a.check.title, lang)
            sa, sb = STATUS_LABELS[a.status][lang], STATUS_LABELS[b.status][lang]
            out.append(
                f"Depends on the check '{title}': {sa} on date A, {sb} on date B."
                if lang == "en"
                else f"Hangt af van de toets '{title}': {sa} op datum A, {sb} op datum B."
            )
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        c = self.check
        return {
            "id": c.id,
            "title": {"nl": c.title.nl, "en": c.title.en},
            "step": c.step,
            "effect": c.effect,
            "a": self.a.status,
            "b": self.b.status,
            "changed": self.changed,
            "explanation": {
                "a": dict(self.a.to_dict()["explanation"]),
                "b": dict(self.b.to_dict()["explanation"]),
            },
            "why": {
                "parameters": [p.parameter.name for p in self.parameters],
                "checks": [a.check.id for a, _b in self.via],
                "text": {"nl": list(self.why("nl")), "en": list(self.why("en"))},
            },
            "sources": [s.to_dict() for s in c.sources],
        }


@dataclass(frozen=True)
class Comparison:
    """The same case assessed as on date A and as on date B, check by check."""

    a: Assessment
    b: Assessment
    checks: tuple[CheckComparison, ...]
    parameters: tuple[ParameterChange, ...]  # every parameter that differs between the dates

    @property
    def outcome_changed(self) -> bool:
        """Return whether the outcome differs between the dates."""
        return self.a.outcome != self.b.outcome

    @property
    def same_version(self) -> bool:
        """Return whether both dates fall under the same rule-set version."""
        return self.a.version == self.b.version

    @property
    def changed(self) -> tuple[CheckComparison, ...]:
        """Return the checks whose status differs."""
        return tuple(c for c in self.checks if c.changed)

    def conditions_only_in(self, side: str) -> tuple[Condition, ...]:
        """Return the conditions listed on one date (`a` or `b`) and not on the other."""
        mine, other = (self.a, self.b) if side == "a" else (self.b, self.a)
        theirs = {c.id for c in other.conditions}
        return tuple(c for c in mine.conditions if c.id not in theirs)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: both summaries, per check A/B/changed/why, and both results."""

        def side(x: Assessment) -> dict[str, Any]:
            return {
                "reference_date": x.valid_on.isoformat(),
                "version": x.version,
                "outcome": x.outcome,
                "outcome_label": dict(x.outcome_label),
            }

        def conds(items: tuple[Condition, ...]) -> list[dict[str, Any]]:
            return [{"id": c.id, "text": {"nl": c.text.nl, "en": c.text.en}} for c in items]

        return {
            "a": side(self.a),
            "b": side(self.b),
            "outcome_changed": self.outcome_changed,
            "same_version": self.same_version,
            "parameters": [p.to_dict() for p in self.parameters],
            "checks": [c.to_dict() for c in self.checks],
            "conditions": {
                "only_a": conds(self.conditions_only_in("a")),
                "only_b": conds(self.conditions_only_in("b")),
            },
            "assessments": {"a": self.a.to_dict(), "b": self.b.to_dict()},
        }

    def to_text(self, lang: str = "nl") -> str:
        """Render the comparison for a terminal: outcomes, changed checks with why, the rest."""
        en = lang == "en"
        a, b = self.a, self.b

        def head(name: str, x: Assessment) -> str:
            date = "date" if en else "datum"
            return (
                f"{date.capitalize()} {name}: {x.valid_on.isoformat()} ("
                f"{'rules' if en else 'regels'} {x.version}): {x.outcome_label[lang]} ({x.outcome})"
            )

        lines = [
            ("Comparison of two reference dates" if en else "Vergelijking van twee peildata"),
            head("A", a),
            head("B", b),
        ]
        if self.outcome_changed:
            lines.append("The outcome differs." if en else "De uitkomst verschilt.")
        else:
            lines.append("The outcome is the same." if en else "De uitkomst is gelijk.")
        if self.same_version:
            lines.append(
                "Both dates fall under the same rule-set version: nothing can differ."
                if en
                else "Beide data vallen onder dezelfde regelversie: er kan niets verschillen."
            )
        lines.append("")
        changed = self.changed
        lines.append("Checks that changed:" if en else "Toetsen die veranderden:")
        if not changed:
            lines.append("  - None." if en else "  - Geen.")
        for c in changed:
            sa, sb = STATUS_LABELS[c.a.status][lang], STATUS_LABELS[c.b.status][lang]
            lines.append(f"  - {getattr(c.check.title, lang)}: A {sa} -> B {sb}")
            for reason in c.why(lang):
                lines.append(f"      {'Why' if en else 'Waarom'}: {reason}")
            for p in c.parameters:
                lines.append(f"      {_cite_line(p.parameter.sources, en)}")
        for name in ("a", "b"):
            only = self.conditions_only_in(name)
            if only:
                lines.append("")
                label = name.upper()
                lines.append(
                    f"Conditions only on date {label}:"
                    if en
                    else f"Voorwaarden alleen op datum {label}:"
                )
                lines.extend(f"  - {getattr(c.text, lang)}" for c in only)
        unchanged = [c for c in self.checks if not c.changed and c.applies]
        if unchanged:
            lines.append("")
            lines.append("Unchanged checks:" if en else "Ongewijzigde toetsen:")
            for c in unchanged:
                status = STATUS_LABELS[c.a.status][lang]
                lines.append(f"  - {getattr(c.check.title, lang)}: {status}")
        lines.append("")
        lines.append(b.disclaimer[lang])
        return "\n".join(lines) + "\n"


def _cite_line(sources: tuple[Source, ...], en: bool) -> str:
    return ("Sources: " if en else "Bronnen: ") + "; ".join(s.cite for s in sources)


def compare_dates(case: Case, rulebook: Rulebook, date_a: dt.date, date_b: dt.date) -> Comparison:
    """Assess `case` as on `date_a` and as on `date_b` (its own reference date is ignored).

    Raises VersionError when no rule-set version covers one of the dates.
    """
    a = evaluate(Case(case.facts, date_a), rulebook)
    b = evaluate(Case(case.facts, date_b), rulebook)
    params_a = rulebook.version_for(date_a).params
    params_b = rulebook.version_for(date_b).params
    labels = {v.version.valid_from: (v.version.id, v.version.label) for v in rulebook.versions}
    differing: dict[str, ParameterChange] = {}
    for name, parameter in rulebook.parameters.items():
        if params_a[name] != params_b[name]:
            on = parameter.changed_between(date_a, date_b)
            differing[name] = ParameterChange(
                parameter,
                params_a[name],
                params_b[name],
                on,
                tuple(
                    (labels[d][0], {"nl": labels[d][1].nl, "en": labels[d][1].en})
                    for d in on
                    if d in labels
                ),
            )
    by_id_a = {r.check.id: r for r in a.checks}
    by_id_b = {r.check.id: r for r in b.checks}
    rows: list[CheckComparison] = []
    for check_id, ra in by_id_a.items():
        rb = by_id_b[check_id]
        params: tuple[ParameterChange, ...] = ()
        via: tuple[tuple[CheckResult, CheckResult], ...] = ()
        if ra.status != rb.status:
            check = rulebook.checks[check_id]
            read: set[str] = set()
            for node in (check.applies_when, check.met_when):
                if node is not None:
                    read |= cond.parameters_read(node)
            params = tuple(differing[n] for n in sorted(read) if n in differing)
            via = tuple(
                (by_id_a[d], by_id_b[d])
                for d in sorted(check.depends_on)
                if by_id_a[d].status != by_id_b[d].status
            )
        rows.append(CheckComparison(ra, rb, params, via))
    return Comparison(a, b, tuple(rows), tuple(differing.values()))
