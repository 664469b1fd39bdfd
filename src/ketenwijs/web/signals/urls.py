"""URLs of the signals app. Empty until the module's pages are built: no placeholder pages."""

app_name = "signals"

urlpatterns: list[object] = []
