"""A learned second detector: which indicators a sentence talks about, from its words.

The rule findings (patterns and frames) stay the explainable first line. Where they plateau on
notes nobody here wrote (docs/decisions/0012-learned-sentence-detector.md), a small linear model
reads each sentence for the indicators it is *about*: naive-Bayes log-count ratios over lemma
unigrams and bigrams and word prefixes, trained one indicator against the rest on the labelled
sentence corpus under `content/signals/training/`. Context (negated, hypothetical, other person…)
is not learned: the engine gives a model finding the context of its sentence's triggers.

Pure Python, no dependencies beyond the lemmatiser the frames use. Training is counting, so a
rebuild of the same corpus gives the same artefact byte for byte (`make model`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml

from ketenwijs.signals.lemmas import lemma_list

MODEL_VERSION = 1
CONTENT = Path(__file__).resolve().parent.parent / "content" / "signals"
CORPUS_DIR = CONTENT / "training"
ARTEFACT = CONTENT / "model" / "sentence_model.json.gz"

_PREFIX = 5  # letters of a word's prefix feature: "paspoort", "paspoorten" -> "pred:pas"
_ALPHA = 0.5  # additive smoothing of the feature counts
_MIN_COUNT = 2  # a feature seen in fewer training sentences is not kept
_MIN_POSITIVE = 1  # evidence for an indicator must occur in at least this many of its sentences
_MIN_WORDS = 2  # a finding needs evidence from at least this many different words
_KEEP = 0.4  # only evidence for an indicator is kept, from this weight on (small and fast)
_MAX_TOKENS = 120  # words of one sentence that are read (bounded work per sentence)
LABEL_FIELD = "signals"  # trained on what a sentence affirms about its subject (ADR 0012)
_STOP = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "te",
        "van",
        "in",
        "op",
        "aan",
        "met",
        "voor",
        "bij",
        "door",
        "naar",
        "om",
        "uit",
        "als",
        "dat",
        "die",
        "dit",
        "deze",
        "er",
        "is",
        "was",
        "zijn",
        "wordt",
        "werd",
        "ook",
        "nog",
        "al",
        "dan",
        "maar",
        "want",
        "wel",
        "zo",
        "toen",
    ]
)


class ModelError(ValueError):
    """The training corpus or the artefact is malformed; the message says where."""


def features(words: Sequence[str]) -> set[str]:
    """Features of one sentence's normalised words: lemmas, lemma pairs and word prefixes."""
    words = list(words[:_MAX_TOKENS])
    lemmas = lemma_list(words)
    out: set[str] = set()
    previous = ""
    for word, lem in zip(words, lemmas, strict=True):
        if lem not in _STOP:
            out.add("l:" + lem)
            if len(word) > _PREFIX + 1:
                out.add("p:" + word[:_PREFIX])
        if previous:
            out.add(f"b:{previous}_{lem}")
        previous = lem
    return out


@dataclass(frozen=True)
class Example:
    """One training sentence: its text and the indicators it talks about (any context)."""

    text: str
    topics: frozenset[str]


def load_corpus(paths: Iterable[Path], known: Iterable[str]) -> list[Example]:
    """Read the labelled sentences; unknown ids and malformed items are refused with the file."""
    valid = set(known)
    examples: list[Example] = []
    for path in sorted(paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("sentences") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ModelError(f"{path.name}: expected a mapping with a list under 'sentences'")
        for index, item in enumerate(items, start=1):
            where = f"{path.name}: sentence {index}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ModelError(f"{where}: needs a 'text'")
            topics = item.get(LABEL_FIELD) or []
            named = [*(item.get("topic") or []), *(item.get("signals") or [])]
            unknown = [t for t in named if t not in valid]
            if unknown:
                raise ModelError(f"{where}: unknown indicator {unknown[0]!r}")
            examples.append(Example(item["text"], frozenset(topics)))
    return examples


def corpus_hash(paths: Iterable[Path]) -> str:
    """SHA-256 over the corpus files (names and bytes), recorded in the artefact."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def train(
    examples: Sequence[Example], tokenise: Callable[[str], list[str]], indicators: Sequence[str]
) -> dict[str, object]:
    """Count features per indicator and return the artefact (weights, bias, corpus size)."""
    feats = [features(tokenise(e.text)) for e in examples]
    everywhere = Counter(f for fs in feats for f in fs)
    vocabulary = sorted(f for f, n in everywhere.items() if n >= _MIN_COUNT)
    kept = set(vocabulary)
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for indicator in sorted(indicators):
        positive = [fs for fs, e in zip(feats, examples, strict=True) if indicator in e.topics]
        if len(positive) < 3:
            continue  # too few sentences to learn from; the rules alone cover it
        negative = [fs for fs, e in zip(feats, examples, strict=True) if indicator not in e.topics]
        pos = Counter(f for fs in positive for f in fs if f in kept)
        neg = Counter(f for fs in negative for f in fs if f in kept)
        pos_total = sum(pos.values()) + _ALPHA * len(kept)
        neg_total = sum(neg.values()) + _ALPHA * len(kept)
        row: dict[str, float] = {}
        for feature in vocabulary:
            w = math.log((pos[feature] + _ALPHA) / pos_total) - math.log(
                (neg[feature] + _ALPHA) / neg_total
            )
            if w >= _KEEP and pos[feature] >= _MIN_POSITIVE:
                row[feature] = round(w, 4)
        weights[indicator] = row
        bias[indicator] = round(math.log(len(positive) / len(negative)), 4)
    return {"version": MODEL_VERSION, "sentences": len(examples), "bias": bias,
            "weights": weights}  # fmt: skip


def write_artefact(artefact: dict[str, object], corpus_sha: str, path: Path = ARTEFACT) -> None:
    """Write the artefact as gzip'd JSON with a fixed timestamp, so rebuilds are byte-equal."""
    artefact = {**artefact, "corpus_sha256": corpus_sha}
    payload = json.dumps(artefact, sort_keys=True, separators=(",", ":")).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as out:
        out.write(payload)


_GATE = 3.0  # pairs are only read where the single words bring an indicator this close
_WORD_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class SentenceModel:
    """The trained weights, inverted (feature -> [(indicator, weight)]) for fast scoring.

    A sentence is scored in two steps: its distinct words (lemma and prefix features, cached
    per word form), and only where that brings some indicator within `_GATE` of the threshold,
    its word pairs. Most sentences of a note talk about nothing the model knows and cost one
    cached lookup per word.
    """

    by_feature: dict[str, tuple[tuple[str, float], ...]]
    bias: dict[str, float]
    corpus_sha256: str
    sentences: int
    _words: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    def _word(self, word: str) -> tuple[tuple[str, float], ...]:
        cached = self._words.get(word)
        if cached is not None:
            return cached
        lem = lemma_list([word])[0]
        found: dict[str, float] = {}
        if lem not in _STOP:
            keys = ["l:" + lem] + (["p:" + word[:_PREFIX]] if len(word) > _PREFIX + 1 else [])
            for key in keys:  # a word's lemma and prefix are one piece of evidence: the larger
                for indicator, weight in self.by_feature.get(key, ()):
                    found[indicator] = max(found.get(indicator, 0.0), weight)
        value = tuple(found.items())
        if len(self._words) < _WORD_CACHE_LIMIT:
            self._words[word] = value
        return value

    def scores(self, words: Sequence[str], threshold: float = 0.0) -> dict[str, float]:
        """Return the log-odds of the indicators that come near `threshold` for one sentence."""
        words = words[:_MAX_TOKENS]
        totals: dict[str, float] = {}
        count: dict[str, int] = {}
        cache = self._words
        for word in set(words):
            contribution = cache.get(word)
            if contribution is None:
                contribution = self._word(word)
            for indicator, weight in contribution:
                totals[indicator] = totals.get(indicator, 0.0) + weight
                count[indicator] = count.get(indicator, 0) + 1
        bias = self.bias
        near = {
            i: bias[i] + t
            for i, t in totals.items()
            if count[i] >= _MIN_WORDS and bias[i] + t >= threshold - _GATE
        }
        if not near:
            return {}
        lemmas = lemma_list(list(words))
        for key in {f"b:{a}_{b}" for a, b in pairwise(lemmas)}:
            for indicator, weight in self.by_feature.get(key, ()):
                if indicator in near:
                    near[indicator] += weight
        return near


def confidence(log_odds: float) -> float:
    """Map a score to (0, 1) with the logistic function (a ranking, not a calibrated chance)."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))


def load_model(path: Path = ARTEFACT) -> SentenceModel:
    """Read the artefact; a missing or malformed one is a clear error, never a silent rule run."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as error:
        raise ModelError(
            f"{path}: cannot read the sentence model ({error}); run `make model`"
        ) from error
    if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
        raise ModelError(f"{path}: model version is not {MODEL_VERSION}; run `make model`")
    inverted: dict[str, list[tuple[str, float]]] = {}
    for indicator, row in data["weights"].items():
        for feature, weight in row.items():
            inverted.setdefault(feature, []).append((indicator, float(weight)))
    return SentenceModel(
        {f: tuple(v) for f, v in inverted.items()},
        {k: float(v) for k, v in data["bias"].items()},
        str(data.get("corpus_sha256", "")),
        int(data.get("sentences", 0)),
    )


@cache
def default_model() -> SentenceModel:
    """The packaged model, loaded once per process."""
    return load_model()


def tokenise(text: str) -> list[str]:
    """Normalised words of a text, as the engine reads them (first person read as the subject)."""
    from ketenwijs.signals.text import Haystack  # local: text.py is heavier than this module

    return Haystack.build(text).hay.split()


def build(corpus_dir: Path = CORPUS_DIR, artefact: Path = ARTEFACT) -> dict[str, object]:
    """Train on every corpus file and write the artefact; returns it (for reports and tests)."""
    from ketenwijs.signals.library import default_library

    paths = sorted(corpus_dir.glob("*.yaml"))
    if not paths:
        raise ModelError(f"{corpus_dir}: no training sentences (*.yaml)")
    library = default_library()
    signals = [s.id for s in library.signals]
    trained = train(load_corpus(paths, library.indicators), tokenise, signals)
    write_artefact(trained, corpus_hash(paths), artefact)
    return trained


if __name__ == "__main__":  # `make model`
    result = build()
    weights = result["weights"]
    assert isinstance(weights, dict)
    print(f"{ARTEFACT}: {result['sentences']} sentences, {len(weights)} indicators")
