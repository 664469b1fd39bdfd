"""Run the content files' example sentences, so authors see which pattern change broke what."""

from __future__ import annotations

from ketenwijs.content import ContentError
from ketenwijs.signals.engine import find_indicators
from ketenwijs.signals.library import ExampleRef, IndicatorLibrary


def example_text(example: ExampleRef, library: IndicatorLibrary) -> str:
    """The text an example is checked on: an indicator that counts only beside another signal
    (`counts_with`) gets the first match example of such a signal before its sentence."""
    needs = library.indicators[example.indicator].counts_with
    if not needs:
        return example.sentence
    support = next(
        e.sentence
        for e in library.examples
        if e.expect_match and library.indicators[e.indicator].ilo_dimension in needs
    )
    return f"{support} {example.sentence}"


def check_examples(library: IndicatorLibrary) -> list[ContentError]:
    """Return one error per example sentence whose result differs from what its file expects."""
    errors: list[ContentError] = []
    for example in library.examples:
        found = find_indicators(example_text(example, library), library)
        affirmed = [f for f in found if f.indicator == example.indicator and f.is_affirmed]
        if example.expect_match and not affirmed:
            others = [f for f in found if f.indicator == example.indicator]
            why = f" (found, but {others[0].context})" if others else ""
            message = f"example for '{example.indicator}' is not found{why}: {example.sentence!r}"
        elif not example.expect_match and affirmed:
            message = (
                f"no_match example for '{example.indicator}' is found as "
                f"{affirmed[0].text!r}: {example.sentence!r}"
            )
        else:
            continue
        errors.append(ContentError(message, path=example.path, line=example.line))
    return errors
