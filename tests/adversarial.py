"""Adversarial inputs for the linear-time tests: long runs of what patterns on user text expect.

A regular expression or parser that backtracks or rescans can be made quadratic by one long run
of capitals, initials, digits or particles. Each entry point that reads user text is run on
100 kB of each run and must stay within a CPU budget relative to 100 kB of ordinary notes in the
same run (a ratio, not seconds: the machine may be shared).
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

SIZE = 100_000

_SINGLE = list("Aa1 -.'@+()/:\t\n*é_,°#;\"[]")
_PAIRS = [
    a + b
    for a, b in itertools.product(
        ["A", "a", "1", "A."], [" ", "-", ".", "'", "1", "a", "@", ", ", "\n"]
    )
]
_WORDS = [
    "Kerk ", "van ", "A. ", "1 ", "06 ", "NL", "12-", "a@", "de Vries ", "Jan ", "jan de ",
    "punt ", "a punt ", "(at) ", "niet ", "moet ", "hij ", "geen ", "zij moet ", "Ze ", "dat ",
    "15 jaar ", "bsn ", "geb. ", "Kerkstraat ", "postcode ", "1234 AB ", "+31 ", "@a ",
    "Politie ", "mevrouw ", "'t ", "straat 1", "is niet ", "wordt ", "verklaarde dat ",
]  # fmt: skip
UNITS: tuple[str, ...] = tuple(_SINGLE + _PAIRS + _WORDS)


def run_of(unit: str, size: int = SIZE) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def ordinary_text(size: int = SIZE) -> str:
    """Ordinary case-note text (the project's annotated notes), repeated to `size` characters."""
    notes_dir = Path(__file__).parent / "signals" / "notes"
    texts = []
    for path in sorted(notes_dir.glob("*.yaml")):
        texts.extend(note["text"] for note in yaml.safe_load(path.read_text("utf-8"))["notes"])
    return run_of(" ".join(texts), size)


def cpu_seconds(work: Callable[[], object]) -> float:
    """CPU time of one call (process time: other load on the machine does not count)."""
    started = time.process_time()
    work()
    return time.process_time() - started


def worst_ratio(
    entry: Callable[[str], object], units: Iterable[str] = UNITS, size: int = SIZE
) -> tuple[float, str, float]:
    """The slowest unit's CPU time relative to ordinary text: (ratio, unit, baseline seconds)."""
    text = ordinary_text(size)
    baseline = min(cpu_seconds(lambda: entry(text)) for _ in range(2))
    baseline = max(baseline, 0.005)  # below this the clock's resolution decides the ratio
    worst = (0.0, "")
    for unit in units:
        # The run alone, and the run followed by a letter: a pattern that needs something after
        # the run (a space, an end) backtracks through it when the text goes on.
        for label, run in ((unit, run_of(unit, size)), (unit + "…x", run_of(unit, size - 1) + "x")):
            ratio = cpu_seconds(lambda run=run: entry(run)) / baseline
            worst = max(worst, (ratio, label))
    return worst[0], worst[1], baseline


def patterns_of(*modules: object) -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled regular expression defined at the top level of the given modules."""
    found = []
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{module.__name__}.{name}", value))
    return found


def growth(pattern: re.Pattern[str], unit: str) -> tuple[float, float, float]:
    """CPU seconds of `finditer` on 1,000, 8,000 and 16,000 characters of `unit` (best of 3).

    A ratio above 3 is confirmed on 16,000 and 32,000 characters (best of 5).

    The 1,000-character run comes first so that a cubic pattern fails fast instead of hanging.
    The larger runs are only measured when the 8,000-character one takes measurable time.
    """

    def best(text: str, times: int = 3) -> float:
        return min(cpu_seconds(lambda: list(pattern.finditer(text))) for _ in range(times))

    def text(size: int) -> str:  # the run, then one letter: see worst_ratio
        return run_of(unit, size - 1) + "x"

    tiny = best(text(1_000), 1)
    if tiny > 0.05:
        return tiny, float("inf"), float("inf")
    small = best(text(8_000), 1)
    if small < 0.005:
        return tiny, small, 2 * small
    small, large = best(text(8_000)), best(text(16_000))
    if large > 3 * small:
        # One slow sample on a shared machine (a CI neighbour, a garbage collection) can make a
        # linear pattern look quadratic; confirm on twice the sizes before calling it so.
        small, large = best(text(16_000), 5), best(text(32_000), 5)
    return tiny, small, large
