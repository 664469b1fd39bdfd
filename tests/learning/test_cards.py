"""The key-card deck: large enough, mostly situations to recognise, and traced to Signaleren
indicators that exist."""

from __future__ import annotations

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.schema import CardKind
from ketenwijs.signals.library import default_library


def test_the_deck_has_at_least_sixty_cards_mostly_situations() -> None:
    cards = load_learning_content().cards
    assert len(cards) >= 60
    situations = [card for card in cards if card.kind is CardKind.SITUATION]
    assert len(situations) * 2 > len(cards)


def test_many_cards_are_derived_from_indicators_that_exist() -> None:
    known = set(default_library().indicators)
    cards = load_learning_content().cards
    linked = [card for card in cards if card.indicators]
    assert len(linked) >= 30
    for card in linked:
        assert card.kind is CardKind.SITUATION, card.id
        unknown = set(card.indicators) - known
        assert not unknown, (card.id, unknown)
    covered = {indicator for card in linked for indicator in card.indicators}
    assert len(covered) >= 40  # most of the library's indicators are trained by some card


def test_card_ids_are_unique_across_decks_and_sources_are_known() -> None:
    content = load_learning_content()
    ids = [card.id for card in content.cards]
    assert len(ids) == len(set(ids))
    assert all(card.source in content.sources for card in content.cards)
