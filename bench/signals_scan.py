"""Benchmark Signaleren: analyzer throughput against baselines, in one run, as ratios.

Usage: .venv/bin/python bench/signals_scan.py [--mb 20] [--sample-mb 2] [--seed 7] [--repeat 3]

Prints MB/s (1 MB = 10^6 characters of UTF-8 text as read) on one core for:
- the analyzer (`scan_text`: rules + learned sentence detector + context + assessment), the same
  with the rules only, `find_indicators` alone (rules), and `scan_text(...).to_dict()` (what
  `ketenwijs signals scan` does per document before JSON);
- baseline (a): bare tokenisation, `re.findall(r"\\w+")` over the lower-cased text;
- baseline (b): one plain regex alternation of the same expanded patterns (no context),
  on a sample, because it is slow;
- baseline (c): the clinlp pipeline (GPL-3.0, only if installed) with the same single-part
  phrases and its default context rules plus a hypothetical rule, on a sample; also its
  precision/recall on the annotated notes next to ours.
And the memory taken by loading the library (tracemalloc). No thresholds: numbers only.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ketenwijs.signals import find_indicators, load_library, scan_text  # noqa: E402
from ketenwijs.signals.model import default_model  # noqa: E402
from ketenwijs.signals.patterns import GAP  # noqa: E402
from ketenwijs.signals.text import normalise  # noqa: E402

FILLER = [
    "Gesprek gevoerd met cliënte op kantoor.",
    "Moeder was ook aanwezig bij het huisbezoek.",
    "Afgesproken dat we over twee weken opnieuw contact hebben.",
    "De mentor meldt dat het in de klas redelijk gaat.",
    "Ze vertelt over haar stage bij de bakker en over haar hobby's.",
    "Er is overleg geweest met de wijkagent en de jeugdverpleegkundige.",
    "Dhr. de Vries (jeugdbeschermer) sluit aan bij het volgende overleg.",
    "Het plan van aanpak is besproken en ondertekend.",
    "Zij geeft aan dat ze graag naar het mbo wil, bijv. de opleiding zorg.",
    "Volgende afspraak staat op donderdag om tien uur.",
    "Ze zat rustig op de bank en praatte open over school.",
    "Vader is telefonisch op de hoogte gebracht.",
]


def _signal_sentences() -> list[str]:
    library = load_library()
    sentences = [e.sentence for e in library.examples]
    for path in sorted((ROOT / "tests" / "signals" / "notes").glob("*.yaml")):
        for note in yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]:
            sentences.extend(s.strip() + "." for s in note["text"].split(".") if s.strip())
    return sentences


def generate_corpus(megabytes: float, seed: int, signal_rate: float = 0.25) -> list[str]:
    """Build Dutch case-note-like documents of about 2,000 characters (1 in 4 sentences signals)."""
    rng = random.Random(seed)
    signals = _signal_sentences()
    target = int(megabytes * 1_000_000)
    docs: list[str] = []
    size = 0
    while size < target:
        parts: list[str] = []
        length = 0
        while length < 2000:
            sentence = rng.choice(signals) if rng.random() < signal_rate else rng.choice(FILLER)
            parts.append(sentence)
            length += len(sentence) + 1
        doc = " ".join(parts)
        if rng.random() < 0.3:
            doc = doc.replace(". ", ".\n", 3)
        docs.append(doc)
        size += len(doc)
    return docs


def _mbps(docs: list[str], run: Callable[[str], object], repeat: int = 1) -> float:
    """Return MB/s: documents in chunks of about 40,000 characters, best of `repeat` per chunk.

    Taking the best time per small chunk (not per pass over the whole corpus) keeps the figure
    close to what one core does when the machine is shared: a pause by the scheduler spoils
    one try of one chunk, not the whole pass.
    """
    chars = sum(len(d) for d in docs)
    chunks: list[list[str]] = [[]]
    size = 0
    for doc in docs:
        if size >= 40_000:
            chunks.append([])
            size = 0
        chunks[-1].append(doc)
        size += len(doc)
    total = 0.0
    gc.collect()
    for chunk in chunks:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            for doc in chunk:
                run(doc)
            best = min(best, time.perf_counter() - start)
        total += best
    return chars / total / 1e6


def _regex_baseline() -> re.Pattern[str]:
    """One alternation over the same expanded pattern keys (parts joined by a bounded gap)."""
    library = load_library()
    gap = rf"(?:\W+\w+){{0,{GAP}}}?\W+"
    alternatives: list[str] = []
    for pattern in library.indicator_patterns.patterns:
        parts = []
        for keys in pattern.parts:
            options = []
            for key in keys:
                body = re.escape(key.strip()).replace(r"\ ", r"\W+")
                left = r"\b" if key.startswith(" ") else r"\w*"
                right = r"\b" if key.endswith(" ") else r"\w*"
                options.append(f"{left}{body}{right}")
            parts.append("(?:" + "|".join(options) + ")")
        alternatives.append(gap.join(parts))
    return re.compile("|".join(alternatives))


_RSS_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from ketenwijs.signals import load_library, scan_text
library = load_library()
scan_text("Ze moet elke avond geld afgeven.", library=library)  # loads the learned detector too
for line in open("/proc/self/status", encoding="ascii"):
    if line.startswith("VmRSS:"):
        print(int(line.split()[1]) / 1000)
"""


def _rss_after_load_mb() -> float:
    """Return the RSS (MB) of a fresh process that loaded the library (Linux), or 0."""
    if not Path("/proc/self/status").exists():
        return 0.0
    probe = [sys.executable, "-c", _RSS_PROBE, str(ROOT / "src")]
    done = subprocess.run(probe, capture_output=True, text=True, check=False)  # noqa: S603
    return float(done.stdout.strip() or 0)


def _notes() -> list[dict[str, object]]:
    notes: list[dict[str, object]] = []
    for path in sorted((ROOT / "tests" / "signals" / "notes").glob("*.yaml")):
        notes.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["notes"])
    return notes


def _score(predict: Callable[[str], set[str]]) -> tuple[float, float]:
    tp = fp = fn = 0
    for note in _notes():
        got = predict(str(note["text"]))
        want = set(note["signals"])  # type: ignore[call-overload]
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def _clinlp_pipeline() -> Callable[[str], list[tuple[str, set[str]]]] | None:
    try:
        import spacy
        from clinlp.ie import Term  # noqa: F401  (import proves the package is there)
    except ImportError:
        return None
    import json
    from importlib import resources

    library = load_library()
    terms: dict[str, list[str]] = {}
    for pattern in library.indicator_patterns.patterns:
        if len(pattern.parts) != 1:
            continue  # clinlp has no bounded gaps; separable-verb patterns are left out
        indicator = library.indicator_order[pattern.owner]
        for key in pattern.parts[0]:
            if key.startswith(" ") and key.endswith(" "):
                terms.setdefault(indicator, []).append(key.strip())
    rules_path = resources.files("clinlp") / "resources" / "context_rules.json"
    rules = json.loads(rules_path.read_text(encoding="utf-8"))
    rules["qualifiers"].append(
        {
            "name": "Modality",
            "values": ["Actual", "Hypothetical"],
            "priorities": {"Actual": 0, "Hypothetical": 1},
            "default": "Actual",
        }
    )
    rules["rules"].append(
        {
            "qualifier": "Modality.Hypothetical",
            "direction": "preceding",
            "max_scope": 8,
            "patterns": ["mocht", "mochten", "stel dat", "indien", "voor het geval dat"],
        }
    )
    nlp = spacy.blank("clinlp")
    nlp.add_pipe("clinlp_normalizer")
    nlp.add_pipe("clinlp_sentencizer")
    matcher = nlp.add_pipe(
        "clinlp_rule_based_entity_matcher", config={"attr": "NORM", "resolve_overlap": True}
    )
    matcher.add_terms_from_dict(terms)
    nlp.add_pipe("clinlp_context_algorithm", config={"phrase_matcher_attr": "NORM", "rules": rules})

    def run(text: str) -> list[tuple[str, set[str]]]:
        doc = nlp(text)
        return [(ent.label_, set(ent._.qualifiers_str)) for ent in doc.spans["ents"]]

    return run


_NON_AFFIRMED = ("Absent", "Uncertain", "Historical", "Future", "Family", "Other", "Hypothetical")


def _clinlp_affirmed(run: Callable[[str], list[tuple[str, set[str]]]], text: str) -> set[str]:
    return {
        label
        for label, qualifiers in run(text)
        if not any(q.endswith(v) for q in qualifiers for v in _NON_AFFIRMED)
    }


def main(argv: Iterable[str] | None = None) -> None:
    """Run the benchmark and print a table of throughputs and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (10^6 chars)")
    parser.add_argument("--sample-mb", type=float, default=2.0, help="sample for slow baselines")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--signal-rate", type=float, default=0.25, help="share of sentences that carry a signal"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="tries per chunk of documents; the best counts"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)

    tracemalloc.start()
    start = time.perf_counter()
    library = load_library()
    load_seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    keys = sum(len(k) for p in library.indicator_patterns.patterns for k in p.parts)
    rss = _rss_after_load_mb()
    default_model()  # the learned detector's weights load once per process, like the library
    print(
        f"library {library.version}: {len(library.indicators)} indicators, "
        f"{len(library.indicator_patterns.patterns)} patterns, {keys} expanded keys; "
        f"load {load_seconds:.2f} s, peak {peak / 1e6:.1f} MB (tracemalloc), "
        f"RSS of a fresh process after load {rss:.0f} MB"
    )

    docs = generate_corpus(args.mb, args.seed, args.signal_rate)
    total = sum(len(d) for d in docs) / 1e6
    sample: list[str] = []
    for doc in docs:
        if sum(len(d) for d in sample) >= args.sample_mb * 1e6:
            break
        sample.append(doc)
    sample_mb = sum(len(d) for d in sample) / 1e6
    print(
        f"corpus: {len(docs)} documents, {total:.1f} MB, {args.signal_rate:.0%} signal sentences; "
        f"sample {sample_mb:.1f} MB\n"
    )

    results: dict[str, float] = {}
    repeat = args.repeat
    results["analyzer: scan_text (match+context+assessment)"] = _mbps(
        docs, lambda d: scan_text(d, library=library), repeat
    )
    results["analyzer: scan_text, rules only (use_model=False)"] = _mbps(
        docs, lambda d: scan_text(d, library=library, use_model=False), repeat
    )
    results["analyzer: find_indicators (match+context, rules only)"] = _mbps(
        docs, lambda d: find_indicators(d, library), repeat
    )
    results["analyzer: scan_text(...).to_dict() (CLI batch path)"] = _mbps(
        docs, lambda d: scan_text(d, library=library).to_dict(), repeat
    )
    word = re.compile(r"\w+")
    results["baseline a: re.findall(r'\\w+') tokenisation"] = _mbps(
        docs, lambda d: word.findall(d.lower()), repeat
    )
    big = _regex_baseline()
    results["baseline b: one regex alternation, no context (sample)"] = _mbps(
        sample, lambda d: list(big.finditer(normalise(d)))
    )
    clinlp = _clinlp_pipeline()
    if clinlp is not None:
        small = sample[: max(1, len(sample) // 4)]
        results["baseline c: clinlp pipeline with context (sample/4)"] = _mbps(
            small, clinlp, repeat
        )
    analyzer = results["analyzer: scan_text (match+context+assessment)"]
    print(f"{'run':<60} {'MB/s':>8} {'analyzer ÷ run':>15}")
    for name, speed in results.items():
        print(f"{name:<60} {speed:>8.2f} {analyzer / speed:>14.2f}x")
    if clinlp is None:
        print("baseline c: clinlp not installed; skipped (pip install clinlp to compare)")

    ours = _score(lambda t: {f.indicator for f in scan_text(t, library=library).affirmed})
    print(f"\naccuracy on the annotated notes: ketenwijs P={ours[0]:.3f} R={ours[1]:.3f}", end="")
    if clinlp is not None:
        theirs = _score(lambda t: _clinlp_affirmed(clinlp, t))
        print(f"; clinlp (same single-part phrases) P={theirs[0]:.3f} R={theirs[1]:.3f}")
    else:
        print()


if __name__ == "__main__":
    main()
