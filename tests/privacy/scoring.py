"""Score the privacy guard on an annotated corpus: precision and recall, overall and per kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ketenwijs.content import load_yaml_file, validate
from ketenwijs.privacy import HIT_KINDS, Hit, HitKind, check_text


class Annotation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: HitKind
    text: str


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    text: str
    hits: list[Annotation]


class Corpus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Item]


def load_corpus(path: Path) -> list[Item]:
    """Read a corpus file: a list of items, or a mapping with `items`."""
    located = load_yaml_file(path)
    if isinstance(located.data, list):
        located.data = {"items": located.data}
    return validate(Corpus, located).items


def gold_hits(item: Item) -> list[Hit]:
    """The annotations as hits (each at its first occurrence in the text)."""
    gold = []
    for annotation in item.hits:
        start = item.text.index(annotation.text)
        gold.append(Hit(annotation.kind, start, start + len(annotation.text), annotation.text))
    return gold


@dataclass
class Score:
    """Counts per kind; `overlap` counts a gold hit as found when a hit of its kind overlaps it."""

    exact_tp: Counter[str] = field(default_factory=Counter)
    overlap_tp: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    false_positive: Counter[str] = field(default_factory=Counter)
    clean_items: int = 0
    clean_items_flagged: int = 0
    errors: list[str] = field(default_factory=list)

    def recall(self, kind: str | None = None, *, exact: bool = False) -> float:
        tp = self.exact_tp if exact else self.overlap_tp
        hit = tp[kind] if kind else sum(tp.values())
        total = self.gold[kind] if kind else sum(self.gold.values())
        return hit / total if total else 1.0

    def precision(self) -> float:
        """Share of found hits that overlap a gold hit of the same kind."""
        found = sum(self.found.values())
        wrong = sum(self.false_positive.values())
        return (found - wrong) / found if found else 1.0

    def report(self) -> str:
        lines = [
            f"recall {self.recall():.3f} (exact span {self.recall(exact=True):.3f}), "
            f"precision {self.precision():.3f}, clean texts flagged "
            f"{self.clean_items_flagged}/{self.clean_items}"
        ]
        for kind in HIT_KINDS:
            if self.gold[kind]:
                lines.append(
                    f"  {kind:14} recall {self.recall(kind):.3f} "
                    f"(exact {self.recall(kind, exact=True):.3f}, n={self.gold[kind]}), "
                    f"false positives {self.false_positive[kind]}"
                )
        return "\n".join(lines)


def _overlaps(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def score(items: list[Item], *, keep_errors: bool = True) -> Score:
    """Score the guard; with `keep_errors` the misses and false alarms are listed (dev sets)."""
    result = Score()
    for item in items:
        gold = gold_hits(item)
        found = check_text(item.text)
        if not gold:
            result.clean_items += 1
            result.clean_items_flagged += bool(found)
        for hit in gold:
            result.gold[hit.kind] += 1
            if hit in found:
                result.exact_tp[hit.kind] += 1
            if any(f.kind == hit.kind and _overlaps(f, hit) for f in found):
                result.overlap_tp[hit.kind] += 1
            elif keep_errors:
                result.errors.append(f"missed {hit.kind} {hit.text!r} in {item.text!r}")
        for hit in found:
            result.found[hit.kind] += 1
            if not any(g.kind == hit.kind and _overlaps(g, hit) for g in gold):
                result.false_positive[hit.kind] += 1
                if keep_errors:
                    result.errors.append(f"false positive {hit.kind} {hit.text!r} in {item.text!r}")
    return result
