"""The user glossary: schema checks on load, and linking the first occurrence of each term."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenwijs.content import ContentError
from ketenwijs.site.glossary import (
    MAX_LINKED_TEXT,
    check_glossary,
    link_segments,
    load_glossary,
)

TERM = """
  - id: {id}
    term: {{nl: "{name}", en: "{name}"}}
    aliases: {{nl: ["{alias}"], en: ["{alias}"]}}
    definition: {{nl: "Uitleg.", en: "Explanation."}}
    sources: {sources}
"""


def _write(tmp_path: Path, *terms: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n" + "".join(terms), encoding="utf-8")
    return path


def test_packaged_glossary_loads_with_the_terms_the_issue_names() -> None:
    glossary = load_glossary()
    ids = {term.id for term in glossary.terms}
    for expected in ("wpg", "wgs", "dpia", "bevoegd-gezag", "hit-no-hit", "avg", "fg", "meldcode"):
        assert expected in ids
    for expected in ("veilig-thuis", "riec", "bibob", "ots", "gi", "aandachtsfunctionaris"):
        assert expected in ids


def test_unknown_source_is_refused_with_line_and_suggestion(tmp_path: Path) -> None:
    path = _write(
        tmp_path, TERM.format(id="x", name="X", alias="xx", sources='["sharing:avg-35x"]')
    )
    with pytest.raises(ContentError) as caught:
        check_glossary(path)
    assert "unknown source 'sharing:avg-35x'" in str(caught.value)
    assert caught.value.suggestion == "sharing:avg-35"
    assert caught.value.line is not None


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, TERM.format(id="x", name="X", alias="xx", sources="[]") + "    note: x\n"
    )
    with pytest.raises(ContentError, match="unknown key 'note'"):
        check_glossary(path)


def test_an_alias_used_by_two_terms_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        TERM.format(id="a", name="A", alias="zelfde", sources="[]"),
        TERM.format(id="b", name="B", alias="Zelfde", sources="[]"),
    )
    with pytest.raises(ContentError, match="alias 'Zelfde' of 'b' is also an alias of 'a'"):
        check_glossary(path)


def _linked(text: str, language: str = "nl") -> list[tuple[str, str]]:
    return [
        (piece, term.id) for piece, term in link_segments(text, load_glossary(), language) if term
    ]


def test_first_occurrence_of_each_term_is_linked_and_text_is_kept() -> None:
    text = "De FG kijkt naar de DPIA. Vraag de FG ook naar de Wpg."
    pieces = link_segments(text, load_glossary(), "nl")
    assert "".join(piece for piece, _ in pieces) == text
    assert _linked(text) == [("FG", "fg"), ("DPIA", "dpia"), ("Wpg", "wpg")]


def test_abbreviations_match_only_in_capitals_and_as_whole_words() -> None:
    assert _linked("een gift of fg-waarde, en AVG-proof") == []
    assert _linked("Is er een OTS of een GI betrokken?") == [("OTS", "ots"), ("GI", "gi")]


def test_longer_alias_wins_and_case_is_ignored_for_ordinary_words() -> None:
    assert _linked("Een hit/no-hit bevraging bij veilig thuis") == [
        ("hit/no-hit", "hit-no-hit"),
        ("veilig thuis", "veilig-thuis"),
    ]


def test_english_texts_use_the_english_aliases() -> None:
    assert _linked("Ask the data protection officer about personal data.", "en") == [
        ("data protection officer", "fg"),
        ("personal data", "persoonsgegevens"),
    ]


def test_links_per_text_are_bounded() -> None:
    text = "AVG Wpg WGS DPIA RIEC Bibob OTS GI FG"
    assert len(_linked(text)) == 6


def test_overlong_text_is_returned_whole_without_links() -> None:
    text = "AVG " * (MAX_LINKED_TEXT // 4 + 1)
    assert link_segments(text, load_glossary(), "nl") == [(text, None)]
