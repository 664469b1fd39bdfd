"""URLs of the audit app. Empty until the module's pages are built: no placeholder pages."""

app_name = "audit"

urlpatterns: list[object] = []
