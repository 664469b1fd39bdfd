from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "ketenwijs.web.signals"
    label = "signals"
    verbose_name = _("Signal checker")

    def home_cards(self, user):  # type: ignore[no-untyped-def]
        """The note checker and the checklist for everyone; saved notes for organisation members;
        the feedback counts for content editors."""
        from ketenwijs.web.core.modules import card

        cards = [
            card(
                _("Check a case note for signals"),
                _(
                    "Paste or upload a note and see signals of exploitation, with their context, "
                    "guidance and next steps. The note is not stored unless you save it."
                ),
                "signals:check",
                order=300,
            ),
            card(
                _("Signal checklist"),
                _("Tick the signals you observed and see the same guidance and next steps."),
                "signals:checklist",
                order=310,
            ),
        ]
        if user.organisation_id is not None:
            cards.append(
                card(
                    _("My saved notes"),
                    _("Case notes you chose to keep; only you can see them."),
                    "signals:note_list",
                    order=320,
                )
            )
        if user.organisation_id is not None and user.role == "content_editor":
            cards.append(
                card(
                    _("Feedback on signals"),
                    _(
                        "How often professionals confirmed or rejected each signal and rule, "
                        "missed signals, and the saved sentences for the evaluation set."
                    ),
                    "signals:feedback_summary",
                    order=330,
                )
            )
        return cards
