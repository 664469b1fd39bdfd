from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "ketenwijs.web.learning"
    label = "learning"
    verbose_name = _("Herkennen")

    def home_cards(self, user):  # type: ignore[no-untyped-def]
        """The learning module for everyone in an organisation; due cards; the trainer view."""
        from django.utils.translation import ngettext

        from ketenwijs.web.accounts.constants import Role
        from ketenwijs.web.core.modules import card
        from ketenwijs.web.learning import services

        if user.organisation_id is None:
            return []
        cards = [
            card(
                _("Herkennen: recognising exploitation"),
                _(
                    "Lessons, an explainer, case scenarios and a quiz on domestic sexual "
                    "exploitation beyond the 'loverboy' image."
                ),
                "learning:index",
                order=200,
            )
        ]
        due = services.due_card_count(user)
        if due:
            cards.append(
                card(
                    ngettext("%(count)d key card to review", "%(count)d key cards to review", due)
                    % {"count": due},
                    _("Short repetition keeps what you learnt (spaced repetition)."),
                    "learning:review",
                    order=210,
                )
            )
        if user.role in {Role.TRAINER, Role.ORG_ADMIN}:
            cards.append(
                card(
                    _("Learning results of your organisation"),
                    _("Anonymous totals: completion, weakest questions, common wrong choices."),
                    "learning:trainer",
                    order=220,
                )
            )
        return cards
