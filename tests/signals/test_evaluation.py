"""Accuracy on labelled notes: the development set (tuned on) and the blind set (never tuned on).

The blind set (`blind/notes.yaml`) was written and labelled by people who never saw the patterns;
only its aggregate figures are printed (no note text, no per-note misses). Floors sit a little
below the measured figures (docs/PERFORMANCE.md) and fail the build when a change loses accuracy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .evaluation import (
    Counts,
    LabelledNote,
    NoteFormatError,
    as_dict,
    evaluate,
    load_all,
    load_notes,
)

HERE = Path(__file__).parent
DEV_FILES = sorted((HERE / "notes").glob("*.yaml"))
DEV2_FILES = sorted((HERE / "dev2").glob("*.yaml"))
BLIND_FILE = HERE / "blind" / "notes.yaml"
HELDBACK_FILE = HERE / "blind" / "heldback.yaml"

# Figures with the learned sentence detector on (signals/model.py, ADR 0012), measured
# 2026-12-05; docs/PERFORMANCE.md has the rule-only figures beside them.
# Development set (tuned on): P 0.886, R 0.972, mentions 0/6, minor 14/14, unsafe 0
# (rules only: P 0.927, R 0.965).
DEV_FLOORS = {"precision": 0.87, "recall": 0.94, "mention_error_rate_max": 0.05,
              "minor_accuracy": 0.95}  # fmt: skip
# Second development set (dev2/: 80 notes in ten styles and 120 single sentences, written and
# labelled on 2026-12-05 by a writer who never saw the patterns, from blind/labelling-guide.md;
# tuned on, and the model's threshold was chosen on it). Before tuning: notes P 0.762 R 0.455,
# mentions 0.129, minor 66/75; sentences P 0.698 R 0.564, mentions 0.205. Now P 0.829,
# R 0.645, mentions 2/101, minor 83/85 (rules only: P 0.901, R 0.531). After the youth-care
# review (two learned findings per sentence, clause-bound negation, the review's miss classes):
# P 0.861, R 0.667, mentions 2/101, minor 83/85, control false findings 18 -> 14 (of 94).
DEV2_FLOORS = {"precision": 0.81, "recall": 0.62, "mention_error_rate_max": 0.05,
               "minor_accuracy": 0.95}  # fmt: skip
# Blind set (never tuned on; aggregates only), 130 notes. At the start of issue 11's second
# round: P 0.743, R 0.399, F1 0.519, mentions counted as affirmed 15/95 = 0.158, minor
# 104/117 = 0.889, 3 wait/prevention steps over 27 sexually exploited minors. Rules only after
# this round: P 0.766, R 0.403, F1 0.528, mentions 0.168. With the model: P 0.698, R 0.531,
# F1 0.604, mentions 22/95 = 0.232, minor 108/117 = 0.923, unsafe steps 0 (a child with
# nothing found gets "read it yourself and consult", guidance.yaml). Floors a little below; the
# issue's targets (F1 and P >= 0.85, mentions <= 0.05, minor >= 0.95) are not met. After the
# youth-care review (run once, aggregates only): P 0.705, R 0.548, F1 0.617, mentions 22/95,
# minor 108/117, unsafe 0, control false findings still 42 over 49 controls.
BLIND_FLOORS = {"precision": 0.68, "recall": 0.51, "f1": 0.58, "mention_error_rate_max": 0.25,
                "minor_accuracy": 0.91, "unsafe_steps_max": 0}  # fmt: skip
# Held-back set (72 notes written after the first round's rules were done; nobody who wrote
# rules has seen them; blind/README.md). First measured: P 0.705, R 0.316, F1 0.437, mentions
# 16/74 = 0.216, minor 63/70 = 0.900, 1 unsafe step over 25 such minors. Rules only now:
# P 0.750, R 0.320, F1 0.448, mentions 0.189. With the model: P 0.660, R 0.478, F1 0.554,
# mentions 19/74 = 0.257, minor 68/70 = 0.971, unsafe steps 0. After the youth-care review:
# P 0.672, R 0.489, F1 0.566, mentions 19/74, minor 68/70, unsafe 0, control findings 33 -> 32.
HELDBACK_FLOORS = {"precision": 0.64, "recall": 0.46, "f1": 0.53, "mention_error_rate_max": 0.27,
                   "minor_accuracy": 0.95, "unsafe_steps_max": 0}  # fmt: skip


def _note(**fields: object) -> LabelledNote:
    base: dict[str, object] = {
        "id": "n",
        "style": "s",
        "text": "",
        "signals": frozenset(),
        "mentions": (),
        "vulnerability": frozenset(),
        "minor": None,
        "age_evidence": None,
        "control": False,
    }
    base.update(fields)
    return LabelledNote(**base)  # type: ignore[arg-type]


def test_counts_give_micro_precision_recall_and_f1() -> None:
    counts = Counts()
    counts.add({"a", "b"}, {"a", "c"})
    counts.add({"d"}, {"d"})
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 1)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.f1 == pytest.approx(2 / 3)


def test_evaluation_scores_signals_mentions_age_and_unsafe_steps() -> None:
    notes = [
        _note(
            id="a",
            style="jeugdzorg",
            text="Jeugdige (14) moet seks hebben met klanten van hem.",
            signals=frozenset({"sex_with_others_arranged"}),
            minor=True,
            age_evidence="(14)",
        ),
        _note(
            id="b",
            style="school",
            text="Er zijn geen blauwe plekken gezien. Ze spijbelt veel.",
            signals=frozenset({"school_absence", "runaway_missing"}),
            mentions=(("physical_injuries", "negated"),),
            control=True,
        ),
        _note(
            id="c",
            style="school",
            text="Mevrouw (34) heeft blauwe plekken. Haar zus moet haar geld afgeven aan hem.",
            signals=frozenset(),
            mentions=(("earnings_handed_over", "other_person"),),
            minor=False,
            age_evidence="(34)",
        ),
    ]
    report = evaluate("test", notes)
    assert report.notes == 3
    # a: found; b: school_absence found, runaway_missing missed; c: injuries found, not labelled.
    assert (report.micro.tp, report.micro.fn, report.micro.fp) == (2, 1, 1)
    assert report.per_style["school"].fn == 1
    assert report.per_indicator["runaway_missing"].recall == 0.0
    assert (report.mentions, report.mentions_counted_affirmed) == (2, 0)
    assert (report.age_notes, report.age_correct) == (2, 2)
    assert (report.unsafe_minor_notes, report.unsafe_steps) == (1, 0)
    text = report.aggregates()
    for note in notes:  # aggregates never show a note's text
        assert note.text not in text
        assert note.text[:20] not in text
    assert "per style" in text
    assert "per indicator" in text
    assert len(report.misses) == 2


def test_note_files_are_checked_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("notes:\n  - {id: x, text: 'Ze spijbelt.', signals: [spijbelen]}\n", "utf-8")
    with pytest.raises(NoteFormatError, match="missing style"):
        load_notes(path)
    with pytest.raises(NoteFormatError, match="unknown indicator 'spijbelen'"):
        load_notes(path, strict=False)


def _meets(figures: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """The floors a report's figures miss (empty when all hold)."""
    missed = [k for k in ("precision", "recall", "f1", "minor_accuracy") if k in floors
              and figures[k] < floors[k]]  # fmt: skip
    if figures["mention_error_rate"] > floors["mention_error_rate_max"]:
        missed.append("mention_error_rate")
    if figures["unsafe_steps"] > floors.get("unsafe_steps_max", 0):
        missed.append("unsafe_steps")
    return missed


@pytest.mark.parametrize(
    ("files", "floors", "strict"),
    [(DEV_FILES, DEV_FLOORS, False), (DEV2_FILES, DEV2_FLOORS, True)],
    ids=["development", "second-development"],
)
def test_development_sets_stay_above_their_floors(
    files: list[Path], floors: dict[str, float], strict: bool
) -> None:
    report = evaluate("development set", load_all(files, strict=strict))
    print("\n" + report.aggregates())
    print("misses (development sets only):\n" + "\n".join(report.misses))
    assert not _meets(as_dict(report), floors), report.misses


def test_blind_set_is_there_and_large_enough() -> None:
    notes = load_notes(BLIND_FILE, strict=True)
    assert len(notes) >= 120
    assert len({n.style for n in notes}) >= 8


@pytest.mark.parametrize(
    ("path", "floors"),
    [(BLIND_FILE, BLIND_FLOORS), (HELDBACK_FILE, HELDBACK_FLOORS)],
    ids=["blind", "heldback"],
)
def test_blind_set_stays_above_its_floors(path: Path, floors: dict[str, float]) -> None:
    notes = load_notes(path, strict=True)
    report = evaluate(f"blind set {path.name}", notes)
    print("\n" + report.aggregates())  # aggregates only: never a blind note or a per-note miss
    assert not _meets(as_dict(report), floors)


def test_a_figure_below_its_floor_is_reported() -> None:
    figures = {"precision": 0.5, "recall": 0.9, "f1": 0.6, "minor_accuracy": 1.0,
               "mention_error_rate": 0.3, "unsafe_steps": 1}  # fmt: skip
    assert _meets(figures, BLIND_FLOORS) == ["precision", "mention_error_rate", "unsafe_steps"]
    assert _meets({**figures, "precision": 0.9, "mention_error_rate": 0.0, "unsafe_steps": 0},
                  BLIND_FLOORS) == []  # fmt: skip
