"""Web app for the `sharing` domain: Delen (information sharing).

Views call `ketenwijs.sharing` (the pure core)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "ketenwijs.web.sharing"
    label = "sharing"
    verbose_name = _("Delen")

    def home_cards(self, user):  # type: ignore[no-untyped-def]
        """The guided sharing assessment and its infographic, for every signed-in user."""
        from ketenwijs.web.core.modules import card

        return [
            card(
                _("Delen: may I share this information?"),
                _(
                    "A guided assessment, one question at a time, with the article behind each "
                    "step; acute danger gets the answer first."
                ),
                "sharing:start",
                order=100,
            ),
            card(
                _("Delen infographic"),
                _("The steps and checks of the assessment as a picture and as text."),
                "sharing:infographic",
                order=110,
            ),
        ]
