from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ketenwijs.web.api"
    label = "api"
    verbose_name = _("HTTP API")

    def home_cards(self, user):  # type: ignore[no-untyped-def]
        """Organisation admins manage their organisation's API tokens, auditors their own."""
        from ketenwijs.web.api.services import can_manage_tokens
        from ketenwijs.web.core.modules import card

        if not can_manage_tokens(user):
            return []
        return [
            card(
                _("API tokens"),
                _("Let other systems use Ketenwijs for your organisation, with limited scopes."),
                "api_tokens:list",
                order=820,
            )
        ]
