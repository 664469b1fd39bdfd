"""What the home page shows: each web app offers cards for the modules it has built."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class ModuleCard:
    """One entry on the home page: a module or task the user can open."""

    title: str
    description: str
    url: str
    order: int = 100


CardProvider = Callable[[object], Iterable[ModuleCard]]


def cards_for(user: object) -> list[ModuleCard]:
    """Collect the cards of every installed app that defines `home_cards(user)`, in order."""
    cards: list[ModuleCard] = []
    for config in apps.get_app_configs():
        provider: CardProvider | None = getattr(config, "home_cards", None)
        if provider is not None:
            cards.extend(provider(user))
    return sorted(cards, key=lambda card: (card.order, card.title))


def card(
    title: str, description: str, url_name: str, order: int = 100, **kwargs: object
) -> ModuleCard:
    """Build a card whose link is resolved from a URL name."""
    return ModuleCard(
        title=title,
        description=description,
        url=reverse(url_name, kwargs=kwargs or None),
        order=order,
    )
