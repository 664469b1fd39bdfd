"""No text makes the privacy guard slow: linear time on adversarial input (issue #17)."""

from __future__ import annotations

import re

import pytest
from tests.adversarial import UNITS, growth, patterns_of, worst_ratio

from ketenwijs.privacy import addresses, check_text, dates, guard, lexicon, names, numbers

# 100 kB of the worst run may cost this many times 100 kB of ordinary notes. Linear detectors
# measure at most about 8x (docs/PERFORMANCE.md); a quadratic one costs hundreds of times more.
BUDGET = 25


def test_guard_stays_within_budget_on_every_adversarial_run() -> None:
    ratio, unit, baseline = worst_ratio(check_text)
    print(f"\nprivacy guard: worst {ratio:.1f}x ordinary text on {unit!r} ({baseline:.3f}s base)")
    assert ratio <= BUDGET, f"{unit!r} costs {ratio:.0f}x ordinary text"


@pytest.mark.parametrize(
    ("name", "pattern"),
    patterns_of(addresses, dates, guard, lexicon, names, numbers),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_pattern_grows_linearly(name: str, pattern: re.Pattern[str]) -> None:
    for unit in UNITS:
        tiny, small, large = growth(pattern, unit)
        # Twice the input may cost about twice the time; quadratic would be 4x.
        assert large <= 3.2 * small, (
            f"{name} on {unit!r}: {tiny:.3f}s/1k {small:.3f}s/8k {large:.3f}s/16k"
        )
