"""Statement texts: default content loads, and the small text format has only three blocks."""

from __future__ import annotations

from ketenwijs.site.statements import (
    MAX_BLOCKS,
    Block,
    StatementKind,
    default_statement,
    parse_blocks,
)


def test_defaults_exist_in_both_languages_and_claim_only_partial_compliance() -> None:
    accessibility = default_statement(StatementKind.ACCESSIBILITY)
    assert "voldoet gedeeltelijk" in accessibility.nl
    assert "partially complies" in accessibility.en
    privacy = default_statement(StatementKind.PRIVACY)
    assert "## Wat Ketenwijs niet bewaart" in privacy.nl


def test_headings_lists_and_paragraphs() -> None:
    text = "Intro regel een\nregel twee\n\n## Kop\n- een\n- twee\nSlot"
    assert parse_blocks(text) == [
        Block("paragraph", text="Intro regel een regel twee"),
        Block("heading", text="Kop"),
        Block("list", items=("een", "twee")),
        Block("paragraph", text="Slot"),
    ]


def test_markup_is_kept_as_text_for_the_template_to_escape() -> None:
    assert parse_blocks("<script>x</script>") == [Block("paragraph", text="<script>x</script>")]


def test_block_count_is_bounded() -> None:
    assert len(parse_blocks("## a\n" * (MAX_BLOCKS + 50))) == MAX_BLOCKS
