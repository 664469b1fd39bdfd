"""No text makes the signal checker slow: linear time on adversarial input (issue #17).

The web form and the API scan up to 100,000-200,000 characters per request; 100 kB of each
adversarial run may cost at most BUDGET times 100 kB of ordinary notes (CPU-time ratio in one
run), and every regular expression of the signals core grows linearly on its own.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import ketenwijs.signals
from ketenwijs.signals import scan_text
from tests.adversarial import UNITS, growth, patterns_of, worst_ratio

# Measured worst: about 8x (runs of digits, which the age finder judges one by one).
BUDGET = 25

_MODULES = [
    importlib.import_module(f"ketenwijs.signals.{info.name}")
    for info in pkgutil.iter_modules(ketenwijs.signals.__path__)
]


def test_scan_stays_within_budget_on_every_adversarial_run() -> None:
    scan_text("opwarmen")  # the library loads once per process; that is not the scan
    ratio, unit, baseline = worst_ratio(scan_text)
    print(f"\nsignal scan: worst {ratio:.1f}x ordinary text on {unit!r} ({baseline:.3f}s base)")
    assert ratio <= BUDGET, f"{unit!r} costs {ratio:.0f}x ordinary text"


@pytest.mark.parametrize(
    ("name", "pattern"),
    patterns_of(*_MODULES),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_pattern_grows_linearly(name: str, pattern: re.Pattern[str]) -> None:
    for unit in UNITS:
        tiny, small, large = growth(pattern, unit)
        assert large <= 3.2 * small, (
            f"{name} on {unit!r}: {tiny:.3f}s/1k {small:.3f}s/8k {large:.3f}s/16k"
        )
