from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ketenwijs.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ketenwijs.web.accounts import signals  # noqa: F401 -- connects the receivers

    def home_cards(self, user):  # type: ignore[no-untyped-def]
        """Account and management cards for the home page."""
        from ketenwijs.web.core.modules import card

        cards = [
            card(
                _("My account"),
                _("Your role, organisation, password and two-step verification."),
                "accounts:account",
                order=900,
            )
        ]
        if user.is_platform_admin:
            cards.append(
                card(
                    _("Organisations"),
                    _("Create organisations and manage their administrators."),
                    "accounts:organisation_list",
                    order=800,
                )
            )
        elif user.is_org_admin and user.organisation_id:
            cards.append(
                card(
                    _("Manage users"),
                    _("Invite colleagues, assign roles, reset two-step verification."),
                    "accounts:user_list",
                    order=800,
                    org_id=user.organisation_id,
                )
            )
        return cards
