"""Precision and recall of the guard on a small hand-annotated corpus, with a floor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ketenwijs.content import load_yaml_file, validate
from ketenwijs.privacy import Hit, HitKind, check_text

CORPUS = Path(__file__).parent / "data" / "scored_corpus.yaml"
# Floors, set just below the measured score so a regression fails (measured: see PERFORMANCE.md).
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.85


class Annotation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: HitKind
    text: str


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    hits: list[Annotation]


class Corpus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Item]


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def load_corpus() -> list[Item]:
    located = load_yaml_file(CORPUS)
    located.data = {"items": located.data}
    return validate(Corpus, located).items


def _gold(item: Item) -> list[Hit]:
    gold = []
    for annotation in item.hits:
        start = item.text.index(annotation.text)
        gold.append(Hit(annotation.kind, start, start + len(annotation.text), annotation.text))
    return gold


def score(items: list[Item]) -> tuple[Score, list[str]]:
    """Count a found hit as correct when its kind and exact span match an annotation."""
    tp = fp = fn = 0
    errors: list[str] = []
    for item in items:
        gold = set(_gold(item))
        found = set(check_text(item.text))
        tp += len(gold & found)
        for hit in found - gold:
            fp += 1
            errors.append(f"false positive {hit.kind} {hit.text!r} in {item.text!r}")
        for hit in gold - found:
            fn += 1
            errors.append(f"missed {hit.kind} {hit.text!r} in {item.text!r}")
    return Score(tp, fp, fn), errors


def test_corpus_annotations_point_into_their_text() -> None:
    items = load_corpus()
    assert len(items) >= 40
    for item in items:
        for annotation in item.hits:
            assert annotation.text in item.text


def test_precision_and_recall_stay_above_the_floor() -> None:
    result, errors = score(load_corpus())
    report = (
        f"precision {result.precision:.3f}, recall {result.recall:.3f} "
        f"(tp {result.true_positives}, fp {result.false_positives}, "
        f"fn {result.false_negatives})\n" + "\n".join(errors)
    )
    print(report)
    assert result.precision >= PRECISION_FLOOR, report
    assert result.recall >= RECALL_FLOOR, report
