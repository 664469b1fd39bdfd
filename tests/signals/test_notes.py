"""Annotated test notes, scored for precision and recall of the rules alone (the explainable
first line; test_evaluation.py scores them with the learned detector); a floor fails the build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ketenwijs.signals import scan_text

NOTES_DIR = Path(__file__).parent / "notes"
# Floors sit below the measured figures (docs/PERFORMANCE.md) so that content edits that lose
# real recall or precision fail the suite, while leaving room for the known misses listed there.
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.90
VULNERABILITY_RECALL_FLOOR = 0.85


def _notes() -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for path in sorted(NOTES_DIR.glob("*.yaml")):
        notes.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["notes"])
    return notes


def _score(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float, int, int, int]:
    tp = sum(len(got & want) for got, want in pairs)
    fp = sum(len(got - want) for got, want in pairs)
    fn = sum(len(want - got) for got, want in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def test_there_are_at_least_sixty_annotated_notes_with_unique_ids() -> None:
    notes = _notes()
    assert len(notes) >= 60
    assert len({n["id"] for n in notes}) == len(notes)


def test_notes_precision_and_recall_stay_above_the_floor() -> None:
    signal_pairs: list[tuple[set[str], set[str]]] = []
    vulnerability_pairs: list[tuple[set[str], set[str]]] = []
    misses: list[str] = []
    for note in _notes():
        result = scan_text(note["text"], use_model=False)
        got = {f.indicator for f in result.affirmed}
        want = set(note["signals"])
        signal_pairs.append((got, want))
        vulnerability_pairs.append(
            (set(result.assessment.vulnerabilities), set(note.get("vulnerability", [])))
        )
        if got != want:
            misses.append(f"{note['id']}: extra {sorted(got - want)} missing {sorted(want - got)}")
    precision, recall, tp, fp, fn = _score(signal_pairs)
    v_precision, v_recall, *_ = _score(vulnerability_pairs)
    print(
        f"\nSignaleren notes: {len(signal_pairs)} notes, signals P={precision:.3f} R={recall:.3f} "
        f"(tp={tp} fp={fp} fn={fn}); vulnerability P={v_precision:.3f} R={v_recall:.3f}"
    )
    print("\n".join(misses))
    assert precision >= PRECISION_FLOOR, "\n".join(misses)
    assert recall >= RECALL_FLOOR, "\n".join(misses)
    assert v_recall >= VULNERABILITY_RECALL_FLOOR
