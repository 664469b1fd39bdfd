"""Benchmark the privacy guard against a bare regex pass over the same text, in one process.

Run: .venv/bin/python bench/privacy_guard.py
Prints throughput of `check_text` on motivation-sized texts (about 400 characters each) and the
ratio to a single-regex baseline, so the number means the same on any machine.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable

from ketenwijs.privacy import check_text

SENTENCES = [
    "Op grond van art. 20 Wpg en het convenant RIEC is op 3 maart 2025 besloten te delen.",
    "Gesprek met mevrouw Fatima de Vries-Bakker over haar werkomstandigheden.",
    "Het besluit van 12 maart 2024 (zaaknummer 2024-0312) is op 14 maart verzonden.",
    "Haar BSN is 123456782 en ze staat ingeschreven op de Kerkstraat 12 in Zeist.",
    "Informatie gedeeld met Veilig Thuis Utrecht en CoMensha conform artikel 9 lid 2 AVG.",
    "De wijkagent sprak met Mohamed en zijn broer Yusuf op het plein.",
    "Zij is bereikbaar op 06-12345678 of via f.devries@example.nl.",
    "Parketnummer 13/123456-24; zie ook ECLI:NL:HR:2019:1234 over art. 273f Sr.",
    "Een boete van € 1.250,00 is opgelegd op grond van de Wet Bibob.",
    "De Gemeente Utrecht heeft de melding doorgezet naar de Nationale Politie.",
    "Het slachtoffer (geb. 03-11-2005) verbleef aan de Dorpsweg 7, 1234 AB Ergens.",
    "Loon werd gestort op NL91 ABNA 0417 1643 00 en daarna contant opgenomen.",
    "Advies van de FG gevraagd; zij wees op art. 22 UAVG en artikel 67 Awr.",
]
BASELINE = re.compile(r"\b\d{9}\b|[\w.+-]+@[\w-]+\.\w+|\b[A-Z][a-z]+\b")


def make_texts(count: int, seed: int = 7) -> list[str]:
    """Build `count` motivation-like texts of about five sentences each."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(SENTENCES) for _ in range(5)) for _ in range(count)]


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of `repeat` timed runs, which is the least disturbed by the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time the guard and the baseline on the same texts and print the ratio."""
    texts = make_texts(2000)
    chars = sum(len(t) for t in texts)
    check_text(texts[0])  # load the name lists once, as a web worker does at its first request
    guard = best_of(3, lambda: [check_text(t) for t in texts])
    baseline = best_of(3, lambda: [list(BASELINE.finditer(t)) for t in texts])
    print(f"texts: {len(texts)}, characters: {chars:,}, mean {chars // len(texts)} per text")
    per_text = guard / len(texts) * 1e6
    print(f"privacy guard : {chars / guard / 1e6:6.2f} M chars/s, {per_text:7.1f} µs/text")
    print(f"bare regex    : {chars / baseline / 1e6:6.2f} M chars/s")
    print(f"ratio guard/baseline time: {guard / baseline:.1f}x")


if __name__ == "__main__":
    main()
