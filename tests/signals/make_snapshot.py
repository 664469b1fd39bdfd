"""Write the behaviour snapshot of `scan_text(...).to_dict()` that `test_snapshot.py` compares to.

Run from the repository root, only when a change of results is intended (content or rules):

    .venv/bin/python -m tests.signals.make_snapshot

The snapshot holds its own input texts, so the test does not depend on the benchmark generator:
every annotated note, documents built by `bench/signals_scan.py`'s generator with a fixed seed
(a few thousand sentences), the same documents with whitespace, punctuation, case and accents
mangled (to guard normalisation and offsets), and a few hand-written edge cases.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any, cast

import yaml

from ketenwijs.signals import scan_text

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SNAPSHOT = HERE / "snapshot" / "scan_results.json.gz"
SEED = 20261129

EDGE_CASES = [
    "",
    "   \n\t  ",
    "...!?",
    "Geen blauwe plekken.",
    "İstanbul: ze heeft blauwe plekken. Dhr. X zegt: ze werkt   lange  dagen?",
    "Ze is 15 jaar oud en minderjarig; vriendje (loverboy) haalt haar op na school.",
    "Cliënte zégt: géén paspoort. Haar paspoort is ingenomen door 'de baas'!",
    "Lijst:\n- spijbelt\n- draagt dure kleding\n\n1) heeft twee telefoons\n2) slaapt elders",
    "Wordt ze opgehaald door onbekenden?) Ze moet geld afgeven aan hem.",
    "ze moet moet moet contact contact werkt werkt geeft geeft af af af",
    "Ze\u00a0heeft\u2003schulden\u2009bij\u200bhaar vriend… en \u2019s nachts werkt ze.",
    "ǅemila en Ǆ zijn ŉ test: ﬁnanciële schulden, ß, ẞ, Σ, ΣΑΣ.",
]


def _bench_module() -> Any:
    path = ROOT / "bench" / "signals_scan.py"
    spec = importlib.util.spec_from_file_location("signals_scan", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["signals_scan"] = module
    spec.loader.exec_module(module)
    return module


def _mangle(text: str, rng: random.Random) -> str:
    """Vary spacing, punctuation, case and accents without changing the words much."""
    out: list[str] = []
    for char in text:
        roll = rng.random()
        if char == " " and roll < 0.08:
            out.append(rng.choice(["  ", "\t", " \n ", "\u00a0", " - ", ", ", "   "]))
        elif char.isalpha() and roll < 0.03:
            out.append(char.upper() if char.islower() else char.lower())
        elif char in "aeiou" and roll < 0.04:
            out.append({"a": "á", "e": "ë", "i": "ï", "o": "ö", "u": "ü"}[char])
        elif char == "." and roll < 0.2:
            out.append(rng.choice(["..", ".)", ".\u201d", " .", "!", "?", ";"]))
        else:
            out.append(char)
    return "".join(out)


def inputs() -> list[dict[str, str]]:
    """Return the snapshot inputs: id and text."""
    items: list[dict[str, str]] = []
    for path in sorted((HERE / "notes").glob("*.yaml")):
        for note in yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]:
            items.append({"id": f"note:{note['id']}", "text": note["text"]})
    bench = _bench_module()
    docs = bench.generate_corpus(0.2, SEED)  # ≈100 documents of ≈2,000 characters
    docs += bench.generate_corpus(0.1, SEED + 1, signal_rate=0.6)
    rng = random.Random(SEED)
    for i, doc in enumerate(docs):
        items.append({"id": f"generated:{i}", "text": doc})
    for i, doc in enumerate(docs[:60]):
        items.append({"id": f"mangled:{i}", "text": _mangle(doc, rng)})
    for i, text in enumerate(EDGE_CASES):
        items.append({"id": f"edge:{i}", "text": text})
    return items


def results(items: list[dict[str, str]]) -> list[dict[str, object]]:
    """Scan each input (minor unknown, then minor=False for every fifth) and return the dicts."""
    out: list[dict[str, object]] = []
    for index, item in enumerate(items):
        minor = False if index % 5 == 4 else None
        out.append(scan_text(item["text"], minor=minor, doc_id=item["id"]).to_dict())
    return out


def main() -> None:
    """Write the snapshot (gzip-compressed JSON: inputs and results)."""
    items = inputs()
    scanned = results(items)
    data = {"inputs": items, "results": scanned}
    SNAPSHOT.parent.mkdir(exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0).encode()
    with gzip.GzipFile(SNAPSHOT, "wb", mtime=0) as out:
        out.write(raw)
    sentences = sum(item["text"].count(". ") + 1 for item in items)
    findings = sum(len(cast(list[object], r["findings"])) for r in scanned)
    print(f"{SNAPSHOT}: {len(items)} inputs, ≈{sentences} sentences, {findings} findings")


if __name__ == "__main__":
    main()
