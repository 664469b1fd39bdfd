"""Every indicator finds its 'match' sentences (affirmed) and not its 'no_match' sentences."""

from __future__ import annotations

import pytest

from ketenwijs.signals import default_library, find_indicators
from ketenwijs.signals.checks import example_text
from ketenwijs.signals.library import ExampleRef

EXAMPLES = default_library().examples


def _id(example: ExampleRef) -> str:
    return f"{example.indicator}-{'match' if example.expect_match else 'no_match'}-{example.line}"


def test_a_denial_alone_is_a_screening_answer_not_a_signal() -> None:
    # labelling guide §3: denies_or_minimises needs exploitation-like content to play down.
    alone = find_indicators("Ze zegt dat ze geen slachtoffer is en dat het wel meevalt.")
    assert "denies_or_minimises" not in {f.indicator for f in alone if f.is_affirmed}
    beside = find_indicators(
        "Ze moet met mannen mee voor geld. Ze zegt dat ze geen slachtoffer is en dat het meevalt."
    )
    assert "denies_or_minimises" in {f.indicator for f in beside if f.is_affirmed}


@pytest.mark.parametrize("example", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_indicator_example(example: ExampleRef) -> None:
    found = find_indicators(example_text(example, default_library()))
    affirmed = {f.indicator for f in found if f.is_affirmed}
    where = f"{example.path.name}:{example.line}"
    if example.expect_match:
        assert example.indicator in affirmed, f"{where}: not found in {example.sentence!r}: {found}"
    else:
        assert example.indicator not in affirmed, f"{where}: wrongly found in {example.sentence!r}"


def test_every_indicator_has_a_must_and_a_must_not_sentence() -> None:
    library = default_library()
    for spec in library.signals:
        assert spec.examples.match, spec.id
        assert spec.examples.no_match, spec.id
