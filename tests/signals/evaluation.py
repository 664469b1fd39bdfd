"""Score the signal checker on labelled notes: affirmed indicators, context, age and safe steps.

Used for the development notes (`notes/`) and the blind set (`blind/notes.yaml`, written and
labelled apart from the rules; never tuned on). `Report.aggregates()` prints figures only, never a
note's text or id; per-note misses (`Report.misses`) are for the development set alone.

Note format (one YAML list under `notes:`): `id`, `style`, `text`, `signals` (affirmed indicator
ids about the note's subject), `mentions` (`{indicator, context}` with context in negated,
hypothetical, historical, other_person), `vulnerability`, `minor` (true | false | unknown),
`age_evidence` (the words that state the age, or null), `control` (a hard negative or control).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ketenwijs.signals import ScanResult, default_library, scan_text

# The day the blind notes were written and labelled ("geboren in 2011" is read against it).
REFERENCE_DATE = date(2026, 12, 4)
MENTION_CONTEXTS = frozenset(("negated", "hypothetical", "historical", "other_person"))
# Next steps that tell a professional to wait or to prevent: never for a sexually exploited minor.
UNSAFE_STEP_KINDS = frozenset(("wait", "prevention"))
# Signals of sexual exploitation (spec/indicators.md): the exploitation dimension, and intimate
# images obtained by another person (webcam, sextortion), which for a child is abuse in itself.
SEXUAL_EXPLOITATION = frozenset(
    (
        "sex_with_others_arranged",
        "cannot_refuse_clients",
        "earnings_handed_over",
        "earnings_quota",
        "excessive_availability",
        "sex_advertisement",
        "ads_managed_by_other",
        "hotel_or_changing_locations",
        "intimate_images_obtained",
    )
)
_REQUIRED = ("id", "style", "text", "signals", "mentions", "vulnerability", "minor", "control")


class NoteFormatError(ValueError):
    """A labelled note is malformed; the message names the file, the note and the field."""


@dataclass(frozen=True)
class LabelledNote:
    """One note with what a careful reader marked in it."""

    id: str
    style: str
    text: str
    signals: frozenset[str]
    mentions: tuple[tuple[str, str], ...]
    vulnerability: frozenset[str]
    minor: bool | None
    age_evidence: str | None
    control: bool


def _minor(value: object, where: str) -> bool | None:
    if value is True or value is False:
        return value
    if value in (None, "unknown"):
        return None
    raise NoteFormatError(f"{where}: minor must be true, false or unknown, not {value!r}")


def load_notes(path: Path, *, strict: bool = True) -> list[LabelledNote]:
    """Read labelled notes; `strict` requires every field (the blind set), else fills defaults."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("notes"), list):
        raise NoteFormatError(f"{path}: expected a mapping with a list under 'notes'")
    known = default_library().indicators
    notes: list[LabelledNote] = []
    for index, raw in enumerate(data["notes"]):
        name = raw.get("id", "?") if isinstance(raw, dict) else "?"
        where = f"{path.name}: note {index + 1} ({name})"
        if not isinstance(raw, dict):
            raise NoteFormatError(f"{where}: a note is a mapping")
        if strict:
            missing = [k for k in _REQUIRED if k not in raw]
            if missing:
                raise NoteFormatError(f"{where}: missing {', '.join(missing)}")
        signals = frozenset(raw.get("signals") or ())
        vulnerability = frozenset(raw.get("vulnerability") or ())
        mentions: list[tuple[str, str]] = []
        for mention in raw.get("mentions") or ():
            if mention.get("context") not in MENTION_CONTEXTS:
                raise NoteFormatError(f"{where}: mention context {mention.get('context')!r}")
            mentions.append((mention["indicator"], mention["context"]))
        for name in (*signals, *vulnerability, *(m for m, _ in mentions)):
            if name not in known:
                raise NoteFormatError(f"{where}: unknown indicator {name!r}")
        notes.append(
            LabelledNote(
                id=str(raw["id"]),
                style=str(raw.get("style") or "unspecified"),
                text=str(raw["text"]),
                signals=signals,
                mentions=tuple(mentions),
                vulnerability=vulnerability,
                minor=_minor(raw.get("minor", "unknown"), where),
                age_evidence=raw.get("age_evidence"),
                control=bool(raw.get("control", False)),
            )
        )
    if len({n.id for n in notes}) != len(notes):
        raise NoteFormatError(f"{path}: note ids are not unique")
    return notes


@dataclass
class Counts:
    """True and false positives and false negatives, with the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: set[str] | frozenset[str], want: set[str] | frozenset[str]) -> None:
        """Count one note's predicted against labelled ids."""
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)

    @property
    def precision(self) -> float:
        """Return tp / (tp + fp), 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Return tp / (tp + fn), 1.0 when nothing was labelled."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        """Return the scores as one line of text."""
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn})"
        )


@dataclass
class Report:
    """Aggregate figures over a set of labelled notes; `misses` lists per-note differences."""

    name: str
    notes: int = 0
    micro: Counts = field(default_factory=Counts)
    per_indicator: dict[str, Counts] = field(default_factory=dict)
    per_style: dict[str, Counts] = field(default_factory=dict)
    vulnerability: Counts = field(default_factory=Counts)
    mentions: int = 0
    mentions_counted_affirmed: int = 0
    age_notes: int = 0
    age_correct: int = 0
    unsafe_minor_notes: int = 0  # minors with a labelled sexual-exploitation signal
    unsafe_steps: int = 0  # wait/prevention next steps given to them
    control_notes: int = 0
    control_false_signals: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def mention_error_rate(self) -> float:
        """Share of non-affirmed mentions that the checker counted as affirmed."""
        return self.mentions_counted_affirmed / self.mentions if self.mentions else 0.0

    @property
    def minor_accuracy(self) -> float:
        """Share of notes with age evidence where minor (true/false/unknown) was right."""
        return self.age_correct / self.age_notes if self.age_notes else 1.0

    def aggregates(self) -> str:
        """Return the figures as text: aggregates only, never a note's text or id."""
        lines = [
            f"== {self.name}: {self.notes} notes",
            f"affirmed indicators (micro): {self.micro.line()}",
            f"vulnerability items (micro): {self.vulnerability.line()}",
            f"non-affirmed mentions counted as affirmed: {self.mentions_counted_affirmed}/"
            f"{self.mentions} = {self.mention_error_rate:.3f}",
            f"minor correct on notes with age evidence: {self.age_correct}/{self.age_notes} = "
            f"{self.minor_accuracy:.3f}",
            f"wait/prevention next steps for minors with a sexual-exploitation signal: "
            f"{self.unsafe_steps} (over {self.unsafe_minor_notes} such notes)",
            f"signals found on control notes without labelled signals: "
            f"{self.control_false_signals} (over {self.control_notes} controls)",
            "per style:",
        ]
        lines += [f"  {style:<24} {c.line()}" for style, c in sorted(self.per_style.items())]
        lines.append("per indicator:")
        lines += [
            f"  {indicator:<30} {c.line()}" for indicator, c in sorted(self.per_indicator.items())
        ]
        return "\n".join(lines)


Scanner = Callable[[str], ScanResult]


def _scan(text: str) -> ScanResult:
    return scan_text(text, reference_date=REFERENCE_DATE)


def evaluate(name: str, notes: Sequence[LabelledNote], scan: Scanner = _scan) -> Report:
    """Scan every note and compare with its labels."""
    library = default_library()
    step_kinds = {step.id: step.kind for step in library.guidance.next_steps}
    report = Report(name)
    for note in notes:
        result = scan(note.text)
        got = {f.indicator for f in result.affirmed}
        want = set(note.signals)
        report.notes += 1
        report.micro.add(got, want)
        report.per_style.setdefault(note.style, Counts()).add(got, want)
        for indicator in got | want:
            report.per_indicator.setdefault(indicator, Counts()).add(
                got & {indicator}, want & {indicator}
            )
        report.vulnerability.add(set(result.assessment.vulnerabilities), set(note.vulnerability))
        for indicator, _ in note.mentions:
            if indicator in want:  # also affirmed about the subject: cannot tell them apart
                continue
            report.mentions += 1
            report.mentions_counted_affirmed += indicator in got
        predicted_minor = result.assessment.minor
        if note.age_evidence:
            report.age_notes += 1
            report.age_correct += predicted_minor is note.minor
        if note.minor is True and want & SEXUAL_EXPLOITATION:
            report.unsafe_minor_notes += 1
            steps = result.assessment.next_steps()
            report.unsafe_steps += sum(
                step_kinds.get(str(s["id"])) in UNSAFE_STEP_KINDS for s in steps
            )
        if note.control and not want:
            report.control_notes += 1
            report.control_false_signals += len(got)
        if got != want or (note.age_evidence and predicted_minor is not note.minor):
            report.misses.append(
                f"{note.id}: extra {sorted(got - want)} missing {sorted(want - got)}"
                + (
                    f" minor {predicted_minor} (want {note.minor})"
                    if note.age_evidence and predicted_minor is not note.minor
                    else ""
                )
            )
    return report


def load_all(paths: Iterable[Path], *, strict: bool) -> list[LabelledNote]:
    """Load and join several note files."""
    notes: list[LabelledNote] = []
    for path in paths:
        notes.extend(load_notes(path, strict=strict))
    return notes


def as_dict(report: Report) -> dict[str, Any]:
    """Return the headline figures as a mapping (for floors and documentation)."""
    return {
        "precision": report.micro.precision,
        "recall": report.micro.recall,
        "f1": report.micro.f1,
        "mention_error_rate": report.mention_error_rate,
        "minor_accuracy": report.minor_accuracy,
        "unsafe_steps": report.unsafe_steps,
    }
