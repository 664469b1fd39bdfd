import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class CoreConfig(AppConfig):
    name = "ketenwijs.web.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        """Compile stale .mo catalogues before the first request, whatever started Django."""
        from django.utils.translation import trans_real

        from ketenwijs.web.core.translations import compile_translations

        try:
            compiled = compile_translations()
        except OSError as exc:  # a read-only installation ships its compiled catalogues
            logger.warning("translations not compiled: %s", exc)
            return
        if compiled:
            # A catalogue loaded before this point (without the .mo) would stay cached.
            trans_real._translations = {}
            trans_real._default = None
