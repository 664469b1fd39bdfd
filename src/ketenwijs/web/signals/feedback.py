"""Professionals' feedback on findings: the ids a verdict carries, the counts, and the exports.

A verdict names a finding by ids only (indicator, rule kind, rule, context, role and the content
version), packed in one form value so a "Klopt" / "Klopt niet" button can carry it. The note
itself is never part of it. Content editors read the counts per indicator and per rule, as a
page, as CSV, and the organisation's saved sentences as YAML in the format of tests/signals/dev2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from django.db.models import Count, Q, QuerySet

from ketenwijs.signals import Finding, IndicatorLibrary
from ketenwijs.web.signals.models import RULE_LENGTH, EvaluationSentence, SignalFeedback

SEPARATOR = "|"
VERDICTS = frozenset((SignalFeedback.Verdict.CONFIRMED, SignalFeedback.Verdict.REJECTED))
# Six short ids plus a rule of at most RULE_LENGTH characters: anything longer is not ours.
MAX_KEY_CHARS = RULE_LENGTH + 200
# A result page carries the answers given on it back and forth; more than this is not a page.
MAX_ANSWERED = 200


@dataclass(frozen=True)
class FindingKey:
    """What identifies a finding for feedback: ids from the core, never text of the note."""

    indicator: str
    rule_kind: str
    context: str
    role: str
    version: str
    rule: str

    @classmethod
    def of(cls, finding: Finding, version: str) -> FindingKey:
        """Return the key of a finding found with content `version`."""
        return cls(
            finding.indicator,
            finding.rule_kind,
            finding.context,
            finding.role,
            version,
            finding.rule.removeprefix("frame "),
        )

    def encode(self) -> str:
        """Return the form value; the rule goes last, as a pattern may contain the separator."""
        return SEPARATOR.join(
            (self.indicator, self.rule_kind, self.context, self.role, self.version, self.rule)
        )

    @classmethod
    def decode(cls, value: str) -> FindingKey | None:
        """Read a form value back; None when it is too long or not six parts."""
        if len(value) > MAX_KEY_CHARS:
            return None
        parts = value.split(SEPARATOR, 5)
        if len(parts) != 6 or not all(parts):
            return None
        return cls(*parts)


def parse_verdict(value: str) -> tuple[str, FindingKey] | None:
    """Read a button value "<verdict>|<key>"; None unless the verdict and key are well formed."""
    if len(value) > MAX_KEY_CHARS + 20:
        return None
    verdict, _sep, rest = value.partition(SEPARATOR)
    key = FindingKey.decode(rest)
    if verdict not in VERDICTS or key is None:
        return None
    return verdict, key


def answered(values: Iterable[str]) -> dict[FindingKey, str]:
    """Return the verdicts already given on this result page (carried as hidden fields)."""
    given: dict[FindingKey, str] = {}
    for number, value in enumerate(values):
        if number >= MAX_ANSWERED:
            break
        parsed = parse_verdict(value)
        if parsed is not None:
            given[parsed[1]] = parsed[0]
    return given


def rate(confirmed: int, rejected: int) -> float | None:
    """Share of answered findings that were confirmed (precision as professionals see it)."""
    total = confirmed + rejected
    return confirmed / total if total else None


_COUNTS = {
    "confirmed": Count("pk", filter=Q(verdict=SignalFeedback.Verdict.CONFIRMED)),
    "rejected": Count("pk", filter=Q(verdict=SignalFeedback.Verdict.REJECTED)),
    "missed": Count("pk", filter=Q(verdict=SignalFeedback.Verdict.MISSED)),
}


def summary(
    feedback: QuerySet[SignalFeedback], library: IndicatorLibrary, lang: str
) -> list[dict[str, Any]]:
    """Counts per indicator, each with its rules: confirmed, rejected, missed and the rate."""
    per_rule: dict[str, list[dict[str, Any]]] = {}
    answered_rules = (
        feedback.exclude(verdict=SignalFeedback.Verdict.MISSED)
        .values("indicator", "rule_kind", "rule")
        .annotate(**_COUNTS)
        .order_by("indicator", "rule_kind", "rule")
    )
    for row in answered_rules:
        row["rate"] = rate(row["confirmed"], row["rejected"])
        per_rule.setdefault(row["indicator"], []).append(row)
    rows = []
    for row in feedback.values("indicator").annotate(**_COUNTS).order_by("indicator"):
        spec = library.indicators.get(row["indicator"])
        label = getattr(spec.label, lang) if spec is not None else row["indicator"]
        rows.append(
            {
                **row,
                "label": label,
                "rate": rate(row["confirmed"], row["rejected"]),
                "rules": per_rule.get(row["indicator"], []),
            }
        )
    rows.sort(key=lambda r: (-(r["confirmed"] + r["rejected"] + r["missed"]), r["indicator"]))
    return rows


def _cell(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading =,+,-,@ becomes text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _dutch_rate(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


CSV_HEADERS = [
    "Niveau", "Indicator", "Naam indicator", "Soort regel", "Regel", "Klopt", "Klopt niet",
    "Gemist", "Aandeel klopt",
]  # fmt: skip


def _summary_rows(rows: list[dict[str, Any]]) -> list[list[object]]:
    """The export rows: one "indicator" row with the totals, then one "regel" row per rule."""
    out: list[list[object]] = []
    for row in rows:
        out.append(
            [
                "indicator", row["indicator"], row["label"], "", "", row["confirmed"],
                row["rejected"], row["missed"], row["rate"],
            ]
        )  # fmt: skip
        for rule in row["rules"]:
            out.append(
                [
                    "regel", row["indicator"], row["label"], rule["rule_kind"], rule["rule"],
                    rule["confirmed"], rule["rejected"], "", rule["rate"],
                ]
            )  # fmt: skip
    return out


def summary_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """The same table as summary_csv as an Excel workbook: counts and shares as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Signaalfeedback"
    sheet.append(CSV_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in _summary_rows(rows):
        # Text that starts like a formula stays text (CSV injection): the same rule as the CSV.
        sheet.append([v if isinstance(v, int | float) else _cell(v) for v in values])
        sheet.cell(row=sheet.max_row, column=len(CSV_HEADERS)).number_format = "0.00"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summary_csv(rows: list[dict[str, Any]]) -> str:
    """The counts as CSV for Dutch spreadsheets: `;` between fields, a decimal comma, a BOM.

    One "indicator" row with the totals (missed signals included), then one "regel" row per
    rule that fired for it.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read UTF-8 (ë, é) correctly
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for values in _summary_rows(rows):
        rate = values.pop()
        writer.writerow([_cell(v) for v in values] + [_dutch_rate(rate)])  # type: ignore[arg-type]
    return buffer.getvalue()


EVALUATION_HEADER = """\
# Ketenwijs: sentences professionals of one organisation chose to keep when they reported a
# signal the checker missed. Format of tests/signals/dev2 (tests/signals/evaluation.py).
# Labelled by one professional: let a second reader check each label against
# tests/signals/blind/labelling-guide.md before adding it to the development set.
"""


def evaluation_yaml(sentences: QuerySet[EvaluationSentence], library: IndicatorLibrary) -> str:
    """The saved sentences as labelled single-sentence notes (style "sentence")."""
    notes = []
    for sentence in sentences.select_related("feedback").order_by("day", "pk"):
        indicator = sentence.feedback.indicator
        spec = library.indicators.get(indicator)
        is_context = spec is not None and spec.kind == "vulnerability"
        notes.append(
            {
                "id": f"feedback-{sentence.organisation_id}-{sentence.pk}",
                "style": "sentence",
                "text": sentence.text,
                "signals": [] if is_context else [indicator],
                "mentions": [],
                "vulnerability": [indicator] if is_context else [],
                "minor": "unknown",
                "age_evidence": None,
                "control": False,
            }
        )
    body = yaml.safe_dump(
        {"notes": notes}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
    return EVALUATION_HEADER + body
