"""Turn a scan or checklist result from the core into what the templates show.

The core returns ids and texts in both languages; this module picks the active language, resolves
labels and sources, and renders the note with its findings marked (escaped, offsets from the core).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ketenwijs.signals import Assessment, Finding, IndicatorLibrary, ScanResult, default_library
from ketenwijs.signals.schema import ILO_DIMENSIONS, IndicatorSpec
from ketenwijs.web.signals.feedback import FindingKey

CONTEXT_LABELS = {
    "affirmed": gettext_lazy("affirmed"),
    "negated": gettext_lazy("negated"),
    "hypothetical": gettext_lazy("hypothetical"),
    "historical": gettext_lazy("in the past"),
    "other_person": gettext_lazy("about someone else"),
}
ROLE_LABELS = {
    "subject": gettext_lazy("about the person the note is about"),
    "perpetrator_on_subject": gettext_lazy("someone acting on the person the note is about"),
    "third_person": gettext_lazy("about a third person"),
}
RULE_LABELS = {
    "pattern": gettext_lazy("pattern"),
    "frame": gettext_lazy("frame"),
    "model": gettext_lazy("the learned detector"),
}
STRENGTH_LABELS = {
    "strong": gettext_lazy("strong"),
    "medium": gettext_lazy("medium"),
    "weak": gettext_lazy("weak"),
}
# The Delen start page reads hand-off facts from its query string (web/sharing/wizard.py
# read_handoff). Without the sharing pages there is no link, rather than a dead one.
DELEN_START_URL = "sharing:start"


def lang() -> str:
    """Return "en" or "nl": the content language that matches the active UI language."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def pick(value: Any) -> str:
    """Return the active-language text of a core `Text` or a {"nl", "en"} dict."""
    if isinstance(value, dict):
        return str(value.get(lang()) or value.get("nl") or "")
    return str(getattr(value, lang()))


def reason(finding: Finding) -> str:
    """Say why a finding does not count, e.g. "negated: 'geen'"; empty for an affirmed one."""
    if finding.is_affirmed:
        return ""
    label = str(CONTEXT_LABELS[finding.context])
    if finding.trigger is None or not finding.trigger.text.strip():
        return label
    return _("%(context)s: '%(trigger)s'") % {"context": label, "trigger": finding.trigger.text}


@dataclass
class Mark:
    """A run of the note covered by one or more overlapping findings."""

    start: int
    end: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def affirmed(self) -> bool:
        return any(f.is_affirmed for f in self.findings)


def _marks(findings: Iterable[Finding]) -> list[Mark]:
    """Merge overlapping findings into marks, in text order."""
    marks: list[Mark] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if marks and finding.start < marks[-1].end:
            marks[-1].end = max(marks[-1].end, finding.end)
            marks[-1].findings.append(finding)
        else:
            marks.append(Mark(finding.start, finding.end, [finding]))
    return marks


def highlight(text: str, marks: Sequence[Mark], library: IndicatorLibrary) -> SafeString:
    """Return the note as HTML with each mark in a <mark> and its labels and context after it."""
    parts: list[str] = []
    position = 0
    for number, mark in enumerate(marks, start=1):
        parts.append(escape(text[position : mark.start]))
        if all(library.indicators[f.indicator].kind == "vulnerability" for f in mark.findings):
            modifier = "context"  # a vulnerability is shown, but is not a signal
        else:
            modifier = "affirmed" if mark.affirmed else "muted"
        tags = []
        for finding in mark.findings:
            spec = library.indicators[finding.indicator]
            why = reason(finding)
            label = pick(spec.label)
            tags.append(
                format_html(
                    '<a class="finding__label" href="#indicator-{}">{}</a>{}',
                    finding.indicator,
                    label,
                    format_html(' <span class="finding__reason">({})</span>', why) if why else "",
                )
            )
        parts.append(
            format_html(
                '<mark class="finding finding--{}" id="finding-{}" data-indicators="{}"'
                ' data-contexts="{}">{}</mark><span class="finding__tag finding__tag--{}">'
                "[{}]</span>",
                modifier,
                number,
                " ".join(f.indicator for f in mark.findings),
                " ".join(f.context for f in mark.findings),
                text[mark.start : mark.end],
                modifier,
                mark_safe("; ".join(tags)),  # noqa: S308 -- each tag built by format_html
            )
        )
        position = mark.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 -- every text piece escaped above


def _sources(keys: Sequence[str], library: IndicatorLibrary) -> list[dict[str, Any]]:
    return [
        {"key": key, "title": library.meta.sources[key].title, "url": library.meta.sources[key].url}
        for key in keys
    ]


def _indicator(spec: IndicatorSpec, library: IndicatorLibrary) -> dict[str, Any]:
    return {
        "id": spec.id,
        "label": pick(spec.label),
        "description": pick(spec.description),
        "strength": spec.strength,
        "strength_label": STRENGTH_LABELS[spec.strength],
        "dimension": spec.ilo_dimension,
        "dimension_label": pick(library.meta.ilo_dimensions[spec.ilo_dimension]),
        "category": spec.category,
        "category_label": pick(library.meta.categories[spec.category]),
        "sources": _sources(spec.sources, library),
    }


def _guidance(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": item["id"],
            "kind": item.get("kind", ""),
            "text": pick(item["text"]),
            "sources": item["sources"],
        }
        for item in items
    ]


def handoff_url(case: dict[str, Any]) -> str | None:
    """Return the Delen start URL prefilled from the hand-off case, or None if Delen has none."""
    try:
        base = reverse(DELEN_START_URL)
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode(handoff_query(case))}"


def _fact_rows(case: dict[str, Any]) -> list[dict[str, str]]:
    """Return the prefilled facts as (question, answer) rows in the Delen interview's wording."""
    from ketenwijs.sharing import load_rulebook

    questions = {q.fact: q for q in load_rulebook().questions}
    rows = []
    for fact, value in case.items():
        question = questions.get(fact)
        if isinstance(value, bool):
            answer = str(_("yes") if value else _("no"))
        elif isinstance(value, list):
            answer = ", ".join(_option(question, item) for item in value)
        else:
            answer = _option(question, value)
        rows.append(
            {"fact": fact, "question": pick(question.text) if question else fact, "answer": answer}
        )
    return rows


def _option(question: Any, value: object) -> str:
    options = getattr(question, "options", None) or {}
    text = options.get(str(value))
    return pick(text) if text is not None else str(value)


def handoff_query(case: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the query parameters of the hand-off: data_categories repeated, booleans as text."""
    query = [("purpose", str(case["purpose"]))]
    query += [("data_categories", str(c)) for c in case["data_categories"]]
    if "data_subject_minor" in case:
        query.append(("data_subject_minor", "true" if case["data_subject_minor"] else "false"))
    query.append(("personal_data", str(case["personal_data"])))
    return query


def assessment_context(assessment: Assessment) -> dict[str, Any]:
    """Return what the summary, combination, prompts, next steps and hand-off sections show."""
    library = assessment.library
    by_category = [
        {
            "key": key,
            "label": pick(row["label"]),
            "count": row["count"],
            "indicators": [_indicator(library.indicators[i], library) for i in row["indicators"]],
        }
        for key, row in assessment.summary_by_category().items()
    ]
    summary = assessment.summary()
    by_dimension = [
        {
            "key": dimension,
            "label": pick(library.meta.ilo_dimensions[dimension]),
            "count": summary[dimension]["count"],
            "strength": summary[dimension]["strength"],
            "indicators": [
                _indicator(library.indicators[i], library)
                for i in summary[dimension]["indicators"]  # type: ignore[attr-defined]
            ],
            "positive": summary[dimension]["ilo_rule_positive"],
            "clause": summary[dimension]["ilo_rule_clause"],
        }
        for dimension in ILO_DIMENSIONS
    ]
    combination = assessment.combination()
    handoff = assessment.share_handoff()
    case: dict[str, Any] = handoff["case"]  # type: ignore[assignment]
    return {
        "affirmed_count": sum(assessment.affirmed.values()),
        "by_category": by_category,
        "by_dimension": by_dimension,
        "vulnerabilities": [
            _indicator(library.indicators[i], library) for i in assessment.vulnerabilities
        ],
        "minor": assessment.minor,
        "minor_source": assessment.minor_source,
        "age_evidence": assessment.age.to_dict() if assessment.age else None,
        "combination": {
            "rule": combination["rule"],
            "pattern_met": combination["pattern_met"],
            "guidance": pick(combination["guidance"]),
            "positive": [pick(d["text"]) for d in combination["positive_dimensions"]],  # type: ignore[attr-defined]
            "notes": [pick(n) for n in combination["notes"]],  # type: ignore[attr-defined]
            "sources": combination["sources"],
        },
        "prompts": _guidance(assessment.prompts()),
        "next_steps": _guidance(assessment.next_steps()),
        "handoff": {
            "case": case,
            "url": handoff_url(case),
            "rows": _fact_rows(case),
            "explanation": pick(handoff["explanation"]),
            "sources": handoff["sources"],
        },
    }


def scan_context(
    text: str, result: ScanResult, given: Mapping[FindingKey, str] | None = None
) -> dict[str, Any]:
    """Return the result page context of a scanned note: marked text, findings, assessment.

    With `given` (the verdicts already given on this page) each finding also carries the ids a
    "Klopt" / "Klopt niet" answer posts, and the answer when there is one.
    """
    library = result.assessment.library
    findings = sorted((*result.findings, *result.vulnerabilities), key=lambda f: (f.start, f.end))
    marks = _marks(findings)
    seen: dict[str, dict[str, Any]] = {}
    answers = count(1)  # one anchor per finding, so the page returns to the answer given
    for number, mark in enumerate(marks, start=1):
        for finding in mark.findings:
            entry = seen.setdefault(
                finding.indicator,
                {**_indicator(library.indicators[finding.indicator], library), "occurrences": []},
            )
            entry["occurrences"].append(
                {
                    "text": finding.text,
                    "context": finding.context,
                    "context_label": CONTEXT_LABELS[finding.context],
                    "reason": reason(finding),
                    "anchor": f"finding-{number}",  # links the explanation back into the note
                    "role": finding.role,
                    "role_label": ROLE_LABELS.get(finding.role, finding.role),
                    "actor": finding.actor.text if finding.actor else "",
                    "reported_by": finding.reported_by.text if finding.reported_by else "",
                    "rule_kind": RULE_LABELS[finding.rule_kind],
                    "by_model": finding.rule_kind == "model",
                    "confidence": finding.confidence,
                    "rule": finding.rule.removeprefix("frame "),
                    "rule_file": finding.source_file,
                }
            )
            if given is not None:
                key = FindingKey.of(finding, library.version)
                entry["occurrences"][-1].update(
                    {
                        "key": key.encode(),
                        "answered": given.get(key, ""),
                        "answer_anchor": f"answer-{next(answers)}",
                    }
                )
    explained = list(seen.values())
    for entry in explained:
        entry["counts"] = any(o["context"] == "affirmed" for o in entry["occurrences"])
    return {
        "marked_text": highlight(text, marks, library),
        "explained": explained,
        "finding_count": len(result.findings),  # signals only; vulnerabilities are context
        "muted_count": sum(1 for f in result.findings if not f.is_affirmed),
        "teach": given is not None,
        **assessment_context(result.assessment),
    }


def checklist_groups(ticked: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Return every indicator of the library grouped by category, with ticks kept."""
    library = default_library()
    chosen = set(ticked)
    groups = []
    for key, label in library.meta.categories.items():
        items = [
            {**_indicator(spec, library), "checked": spec.id in chosen}
            for spec in library.indicators.values()
            if spec.category == key
        ]
        if items:
            groups.append(
                {"key": key, "label": pick(label), "items": items, "is_context": key == "V"}
            )
    return groups
