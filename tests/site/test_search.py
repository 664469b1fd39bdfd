"""Site search: every word must match, title matches count more, queries are bounded."""

from __future__ import annotations

import pytest

from ketenwijs.site.search import MAX_QUERY_LENGTH, Document, QueryError, query_tokens, search

DOCS = [
    Document("lesson", "Wat is uitbuiting", "Uitbuiting is misbruik van iemand voor winst.", "/a"),
    Document("glossary", "Meldcode", "Het stappenplan bij signalen; zie ook uitbuiting.", "/b"),
    Document("help", "Help", "Bel de helpdesk of mail de FG.", "/c"),
]


def test_all_words_must_match_case_insensitively() -> None:
    assert [r.document.url for r in search("UITBUITING stappenplan", DOCS)] == ["/b"]


def test_title_match_ranks_first_and_snippet_marks_the_word() -> None:
    results = search("uitbuiting", DOCS)
    assert [r.document.url for r in results] == ["/a", "/b"]
    assert results[1].match == "uitbuiting"
    assert results[1].before.endswith("zie ook ")


def test_word_part_matches() -> None:
    assert [r.document.url for r in search("meld", DOCS)] == ["/b"]


def test_nothing_found_is_an_empty_list() -> None:
    assert search("fietsenstalling", DOCS) == []


def test_query_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(QueryError, match="too_long"):
        query_tokens("a" * (MAX_QUERY_LENGTH + 1))


def test_query_without_words_is_refused() -> None:
    with pytest.raises(QueryError, match="no_words"):
        query_tokens("? ! a")


def test_tokens_are_distinct_and_bounded() -> None:
    assert query_tokens("de de het") == ["de", "het"]
    assert len(query_tokens(" ".join(f"w{i}" for i in range(20)))) == 8
