from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ketenwijs.web.audit"
    label = "audit"
    verbose_name = _("Decision log")

    def home_cards(self, user):  # type: ignore[no-untyped-def]
        """The decision log for everyone in an organisation; auditors see all of it."""
        from ketenwijs.web.audit.permissions import can_read_log
        from ketenwijs.web.core.modules import card

        if not can_read_log(user):
            return []
        if user.role == "auditor":
            description = _("Read, verify and export your organisation's sharing decisions.")
        else:
            description = _("Your saved sharing decisions, with their reasons and sources.")
        cards = [card(_("Decision log"), description, "audit:list", order=400)]
        if user.is_org_admin:
            cards.append(
                card(
                    _("Retention of decisions"),
                    _("How long your organisation keeps its decision records."),
                    "audit:retention",
                    order=810,
                )
            )
        return cards
