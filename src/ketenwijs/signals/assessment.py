"""Turn affirmed indicators into summaries, the ILO combination view, prompts, next steps, hand-off.

Used by both modes: a scanned note (`scan_text`) and a ticked checklist (`evaluate_checklist`).
Everything here is guidance for a professional. Nothing says "this is trafficking"; the ILO rule is
presented as what it "would count", citing it as secondary-source material (spec/indicators.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ketenwijs.content import suggest
from ketenwijs.signals.age import AgeEvidence, find_age
from ketenwijs.signals.engine import Finding, find_indicators
from ketenwijs.signals.library import IndicatorLibrary, default_library
from ketenwijs.signals.model import default_model
from ketenwijs.signals.schema import DATA_CATEGORIES, ILO_DIMENSIONS, Condition, GuidanceItem, Text

RECRUITMENT = ("recruitment_deception", "recruitment_coercion", "recruitment_vulnerability")
DESTINATION = ("coercion", "dependency")
_STRENGTH_RANK = {"weak": 0, "medium": 1, "strong": 2}
_TRAFFICKING_DIMENSIONS = frozenset(("exploitation", "coercion", *RECRUITMENT))


class UnknownIndicatorError(ValueError):
    """A checklist names an indicator id that the library does not have."""

    def __init__(self, name: str, suggestion: str | None) -> None:
        self.name = name
        self.suggestion = suggestion
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        super().__init__(f"unknown indicator '{name}'{hint}")


def ilo_clause(strong: int, medium: int, weak: int) -> str | None:
    """Return the clause (a-d) of the ILO dimension rule that holds, or None when none holds."""
    if strong >= 2:
        return "a"
    if strong >= 1 and medium + weak >= 1:
        return "b"
    if medium >= 3:
        return "c"
    if medium >= 2 and weak >= 1:
        return "d"
    return None


def _text(value: Text) -> dict[str, str]:
    return {"nl": value.nl, "en": value.en}


@dataclass(frozen=True)
class Assessment:
    """What the affirmed indicators add up to; the same for a scanned note and a checklist."""

    library: IndicatorLibrary = field(repr=False)
    affirmed: dict[str, int]  # signal id -> number of affirmed findings (1 per tick)
    vulnerabilities: tuple[str, ...]
    minor: bool | None
    minor_source: str  # "option", "text" or "unknown"
    age: AgeEvidence | None = None  # what the text says about the age, shown with the answer
    # Affirmed signals that only the learned detector found (no pattern, frame or tick): the
    # safety rules never let act-now rest on them alone (guidance.yaml, issue 11 review).
    model_only: frozenset[str] = frozenset()

    # -- derived figures, computed once per public call (the fields stay the only state) --------
    def _derived(self) -> _Derived:
        indicators = self.library.indicators
        affirmed = self.affirmed
        ids: dict[str, list[str]] = {d: [] for d in ILO_DIMENSIONS}
        for i in self.library.indicator_order:
            if i in affirmed:
                ids.setdefault(indicators[i].ilo_dimension, []).append(i)
        clauses: dict[str, str | None] = {}
        for dimension in ILO_DIMENSIONS:
            clauses[dimension] = None if dimension == "none" else _clause(self, ids[dimension])
        return _Derived(ids, clauses)

    # -- summaries --------------------------------------------------------------------------
    def _ids_in(self, dimension: str) -> list[str]:
        return [
            i
            for i in self.library.indicator_order
            if i in self.affirmed and self.library.indicators[i].ilo_dimension == dimension
        ]

    def dimension_positive(self, dimension: str) -> str | None:
        """Return the ILO clause that makes `dimension` positive, or None."""
        if dimension == "none":
            return None
        return _clause(self, self._ids_in(dimension))

    def summary(self) -> dict[str, dict[str, object]]:
        """Return the per-dimension summary of spec §4.2 (every dimension, zero when empty)."""
        return self._summary(self._derived())

    def _summary(self, derived: _Derived) -> dict[str, dict[str, object]]:
        indicators = self.library.indicators
        result: dict[str, dict[str, object]] = {}
        for dimension in ILO_DIMENSIONS:
            ids = derived.ids[dimension]
            strengths = Counter(indicators[i].strength for i in ids)
            clause = derived.clauses[dimension]
            result[dimension] = {
                "count": sum(self.affirmed[i] for i in ids),
                "indicators": ids,
                "strength": {s: strengths[s] for s in ("strong", "medium", "weak")},
                "ilo_rule_positive": None if dimension == "none" else clause is not None,
                "ilo_rule_clause": clause,
            }
        return result

    def summary_by_category(self) -> dict[str, dict[str, object]]:
        """Return affirmed signals per Dutch signal-list category (A-K)."""
        indicators = self.library.indicators
        by_category: dict[str, list[str]] = {}
        for i in self.library.indicator_order:
            if i in self.affirmed:
                by_category.setdefault(indicators[i].category, []).append(i)
        result: dict[str, dict[str, object]] = {}
        for category, label in self.library.meta.categories.items():
            if category == "V":
                continue
            ids = by_category.get(category, [])
            result[category] = {
                "label": _text(label),
                "count": sum(self.affirmed[i] for i in ids),
                "indicators": ids,
            }
        return result

    # -- combination view --------------------------------------------------------------------
    def pattern_met(self) -> bool:
        """Return whether the ILO case-level pattern holds for the age that applies (guidance)."""
        return self._pattern_met(self._derived())

    def _pattern_met(self, derived: _Derived) -> bool:
        recruitment, exploitation, destination = derived.groups()
        if self.minor:
            return recruitment and exploitation
        return recruitment and exploitation and destination

    def combination(self) -> dict[str, object]:
        """Return the ILO combination view, worded as guidance with its sources and caveat."""
        return self._combination(self._derived())

    def _combination(self, derived: _Derived) -> dict[str, object]:
        texts = self.library.guidance.combination
        recruitment, exploitation, destination = derived.groups()
        met = self._pattern_met(derived)
        if met:
            wording = texts.pattern_met_minor if self.minor else texts.pattern_met_adult
        elif self.minor and any(
            self.library.indicators[i].ilo_dimension == "exploitation"
            for i in self.affirmed
            if i not in self.model_only
        ):
            # For a child one exploitation signal is enough to act (art. 273f Sr: for minors
            # no coercive means are required): "single signals say little" would contradict
            # the act-now steps.
            wording = texts.minor_exploitation_signal
        elif self.minor and any(
            self.library.indicators[i].ilo_dimension == "exploitation" for i in self.model_only
        ):
            # Found by the learned model alone: read the sentence and consult, not act now.
            wording = texts.minor_model_signal
        else:
            wording = texts.pattern_not_met
        notes = [_text(texts.caveat)]
        if self.minor is None:
            notes.append(_text(texts.minor_unknown))
        positive = [d for d in ILO_DIMENSIONS if derived.clauses[d]]
        return {
            "rule": "minor" if self.minor else "adult",
            "recruitment_positive": recruitment,
            "exploitation_positive": exploitation,
            "coercion_or_dependency_positive": destination,
            "positive_dimensions": [
                {
                    "dimension": d,
                    "clause": derived.clauses[d],
                    "text": {
                        lang: getattr(texts.dimension_positive, lang).format(
                            dimension=getattr(self.library.meta.ilo_dimensions[d], lang),
                            clause=derived.clauses[d],
                        )
                        for lang in ("nl", "en")
                    },
                }
                for d in positive
            ],
            "pattern_met": met,
            "guidance": _text(wording),
            "notes": notes,
            "sources": self._sources(texts.sources),
        }

    # -- prompts and next steps ---------------------------------------------------------------
    def _holds(self, when: Condition, derived: _Derived | None = None) -> bool:
        derived = derived or self._derived()
        affirmed: Iterable[str] = self.affirmed
        if when.evidence is None:
            signal_dims, present = derived.sets(self)
        else:
            # Count only the signals with this evidence: a rule (or tick), or the model alone.
            model = when.evidence == "model_only"
            affirmed = [i for i in self.affirmed if (i in self.model_only) is model]
            signal_dims = {self.library.indicators[i].ilo_dimension for i in affirmed}
            present = set(affirmed) | set(self.vulnerabilities)
        affirmed = list(affirmed)
        minor_state = "unknown" if self.minor is None else ("yes" if self.minor else "no")
        checks: list[bool] = []
        if when.any_affirmed is not None:
            checks.append(bool(affirmed) is when.any_affirmed)
        if when.minor is not None:
            checks.append(minor_state in when.minor)
        if when.indicators_any is not None:
            checks.append(any(i in present for i in when.indicators_any))
        if when.indicators_none is not None:
            checks.append(not any(i in present for i in when.indicators_none))
        if when.dimensions_any is not None:
            checks.append(any(d in signal_dims for d in when.dimensions_any))
        if when.dimensions_none is not None:
            checks.append(not any(d in signal_dims for d in when.dimensions_none))
        if when.min_signal_dimensions is not None:
            checks.append(len(signal_dims - {"none"}) >= when.min_signal_dimensions)
        if when.max_strength is not None:
            top = max(
                (_STRENGTH_RANK[self.library.indicators[i].strength] for i in affirmed),
                default=-1,
            )
            checks.append(top <= _STRENGTH_RANK[when.max_strength])
        if when.vulnerability_any is not None:
            checks.append(bool(self.vulnerabilities) is when.vulnerability_any)
        if when.pattern_met is not None:
            checks.append(self._pattern_met(derived) is when.pattern_met)
        return all(checks)

    def _sources(self, keys: Sequence[str]) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for key in keys:
            source = self.library.meta.sources[key]
            out.append(
                {
                    "key": key,
                    "title": source.title,
                    "url": source.url,
                    "research": source.research,
                    "mark": source.mark,
                }
            )
        return out

    def _items(
        self, items: Sequence[GuidanceItem], derived: _Derived | None = None
    ) -> list[dict[str, object]]:
        derived = derived or self._derived()
        return [
            {"id": item.id, "text": _text(item.text), "sources": self._sources(item.sources)}
            for item in items
            if self._holds(item.when, derived)
        ]

    def prompts(self) -> list[dict[str, object]]:
        """Return the stereotype prompts that apply (questions to keep asking, not conclusions)."""
        return self._items(self.library.guidance.prompts)

    def next_steps(self) -> list[dict[str, object]]:
        """Return the next steps that apply, in content order, after the safety rules."""
        return self._next_steps(self._derived())

    def safety_rules(self) -> list[str]:
        """Return the ids of the safety rules that hold (they override the next steps)."""
        derived = self._derived()
        return [r.id for r in self.library.guidance.safety_rules if self._holds(r.when, derived)]

    def _next_steps(self, derived: _Derived) -> list[dict[str, object]]:
        guidance = self.library.guidance
        forbidden: set[str] = set()
        required: set[str] = set()
        for rule in guidance.safety_rules:
            if self._holds(rule.when, derived):
                forbidden.update(rule.forbid_kinds)
                required.update(rule.require_steps)
        return [
            {
                "id": step.id,
                "kind": step.kind,
                "text": _text(step.text),
                "sources": self._sources(step.sources),
            }
            for step in guidance.next_steps
            if step.id in required
            or (step.kind not in forbidden and self._holds(step.when, derived))
        ]

    # -- hand-off to Delen --------------------------------------------------------------------
    def share_handoff(self) -> dict[str, object]:
        """Return the case fields (spec §4.1) to prefill a Delen assessment, with the reasoning."""
        categories = {"ordinary"}
        for indicator_id in (*self.affirmed, *self.vulnerabilities):
            categories.update(self.library.indicators[indicator_id].data_categories)
        dims = {self.library.indicators[i].ilo_dimension for i in self.affirmed}
        purpose = "human_trafficking" if dims & _TRAFFICKING_DIMENSIONS else "victim_protection"
        ordered = [c for c in DATA_CATEGORIES if c in categories]
        case: dict[str, object] = {
            "purpose": purpose,
            "personal_data": "identifiable",
            "data_categories": ordered,
        }
        if self.minor is not None:
            case["data_subject_minor"] = self.minor
        texts = self.library.guidance.handoff
        return {
            "case": case,
            "explanation": _text(
                texts.explanation if ordered != ["ordinary"] else texts.explanation_ordinary
            ),
            "sources": self._sources(texts.sources),
        }

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form shared by scan and checklist results."""
        derived = self._derived()
        return {
            "summary": self._summary(derived),
            "summary_by_category": self.summary_by_category(),
            "vulnerability": list(self.vulnerabilities),
            "minor": {
                "value": self.minor,
                "source": self.minor_source,
                "evidence": self.age.to_dict() if self.age else None,
            },
            "combination": self._combination(derived),
            "prompts": self._items(self.library.guidance.prompts, derived),
            "next_steps": self._next_steps(derived),
            "safety_rules": [
                r.id for r in self.library.guidance.safety_rules if self._holds(r.when, derived)
            ],
            "share_handoff": self.share_handoff(),
        }


def _clause(assessment: Assessment, ids: Iterable[str]) -> str | None:
    """Return the ILO clause that the strengths of these affirmed ids satisfy, or None."""
    indicators = assessment.library.indicators
    strong = medium = weak = 0
    for i in ids:
        strength = indicators[i].strength
        if strength == "strong":
            strong += 1
        elif strength == "medium":
            medium += 1
        elif strength == "weak":
            weak += 1
    return ilo_clause(strong, medium, weak)


@dataclass(frozen=True, slots=True)
class _Derived:
    """Figures several parts of an assessment need: affirmed ids and ILO clause per dimension."""

    ids: dict[str, list[str]]
    clauses: dict[str, str | None]
    cache: list[set[str]] = field(default_factory=list)  # see `sets`; per call, never shared

    def groups(self) -> tuple[bool, bool, bool]:
        """Return whether recruitment, exploitation and coercion-or-dependency are positive."""
        return (
            any(self.clauses[d] for d in RECRUITMENT),
            self.clauses["exploitation"] is not None,
            any(self.clauses[d] for d in DESTINATION),
        )

    def sets(self, assessment: Assessment) -> tuple[set[str], set[str]]:
        """Return the ILO dimensions of the affirmed signals and every id present (cached)."""
        if not self.cache:
            indicators = assessment.library.indicators
            self.cache.append({indicators[i].ilo_dimension for i in assessment.affirmed})
            self.cache.append(set(assessment.affirmed) | set(assessment.vulnerabilities))
        return self.cache[0], self.cache[1]


@dataclass(frozen=True)
class ScanResult:
    """A scanned document: its findings (all contexts), vulnerability items and the assessment."""

    id: str | None
    findings: tuple[Finding, ...]
    vulnerabilities: tuple[Finding, ...]
    assessment: Assessment

    @property
    def affirmed(self) -> list[Finding]:
        """Return the findings that count."""
        return [f for f in self.findings if f.is_affirmed]

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form: spec §4.2 `findings` and `summary`, then compatible extensions."""
        lib = self.assessment.library
        out: dict[str, object] = {"id": self.id}
        out["findings"] = [f.to_dict() for f in self.findings]
        out.update(self.assessment.to_dict())
        out["vulnerability_findings"] = [f.to_dict() for f in self.vulnerabilities]
        out["library"] = {"version": lib.version, "sha256": lib.sha256}
        return out


def _resolve_minor(minor: bool | None, text_says_minor: bool) -> tuple[bool | None, str]:
    if minor is not None:
        return minor, "option"
    if text_says_minor:
        return True, "text"
    return None, "unknown"


def scan_text(
    text: str,
    *,
    minor: bool | None = None,
    library: IndicatorLibrary | None = None,
    doc_id: str | None = None,
    reference_date: date | None = None,
    use_model: bool = True,
) -> ScanResult:
    """Scan one note and assess its affirmed findings; pure, in memory, nothing stored.

    `use_model`: also read every sentence with the learned detector (signals/model.py); its
    findings are marked as such. False gives the rule findings only.

    `minor`: True/False when known; None lets the text decide: an age, birth date or school year
    of the subject (read against `reference_date`, default today), else an affirmed 'minor'
    mention. The evidence is kept and shown with the answer.
    """
    lib = library or default_library()
    age = find_age(text, reference_date or date.today())
    found = find_indicators(text, lib, default_model() if use_model else None)
    signals = tuple(f for f in found if lib.indicators[f.indicator].kind == "signal")
    context = tuple(f for f in found if lib.indicators[f.indicator].kind == "vulnerability")
    affirmed = Counter(f.indicator for f in signals if f.is_affirmed)
    # A vulnerability is context, so a past mention counts ("als kind misbruikt").
    vulnerable = tuple(
        dict.fromkeys(f.indicator for f in context if f.context in ("affirmed", "historical"))
    )
    if age is not None and age.minor and "minor" not in vulnerable:
        vulnerable = tuple(i for i in lib.indicator_order if i == "minor" or i in vulnerable)
    value: bool | None
    if age is not None and age.minor is not None and minor is None:
        value, source = age.minor, "text"
    else:
        value, source = _resolve_minor(minor, "minor" in vulnerable)
    ordered = {i: affirmed[i] for i in lib.indicator_order if i in affirmed}
    by_rule = {f.indicator for f in signals if f.is_affirmed and f.rule_kind != "model"}
    model_only = frozenset(i for i in ordered if i not in by_rule)
    assessment = Assessment(lib, ordered, vulnerable, value, source, age, model_only)
    return ScanResult(doc_id, signals, context, assessment)


def evaluate_checklist(
    indicator_ids: Iterable[str],
    *,
    minor: bool | None = None,
    library: IndicatorLibrary | None = None,
) -> Assessment:
    """Assess a set of ticked indicator ids (signals and vulnerability items) like a scanned note.

    Raises UnknownIndicatorError for an id the library lacks, with the nearest valid id.
    """
    lib = library or default_library()
    ticked = set()
    for name in indicator_ids:
        if name not in lib.indicators:
            raise UnknownIndicatorError(name, suggest(name, lib.indicators))
        ticked.add(name)
    signals = {
        i: 1 for i in lib.indicator_order if i in ticked and lib.indicators[i].kind == "signal"
    }
    vulnerable = tuple(
        i for i in lib.indicator_order if i in ticked and lib.indicators[i].kind == "vulnerability"
    )
    value, source = _resolve_minor(minor, "minor" in vulnerable)
    return Assessment(lib, signals, vulnerable, value, source)
