"""URL map: one namespace per app; modules not built yet have no pages (and no links)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("ketenwijs.web.core.urls")),
    path("accounts/", include("ketenwijs.web.accounts.urls")),
    path("sharing/", include("ketenwijs.web.sharing.urls")),
    path("signals/", include("ketenwijs.web.signals.urls")),
    path("learning/", include("ketenwijs.web.learning.urls")),
    path("audit/", include("ketenwijs.web.audit.urls")),
    path("api/v1/", include("ketenwijs.web.api.urls")),
    path("api-tokens/", include("ketenwijs.web.api.manage_urls")),
    # The language switch only sets a cookie, so it is open before login too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]

handler400 = "ketenwijs.web.core.views.bad_request"
handler403 = "ketenwijs.web.core.views.permission_denied"
handler404 = "ketenwijs.web.core.views.page_not_found"
handler500 = "ketenwijs.web.core.views.server_error"
