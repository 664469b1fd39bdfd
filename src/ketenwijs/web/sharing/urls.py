"""URLs of the sharing app. Empty until the module's pages are built: no placeholder pages."""

app_name = "sharing"

urlpatterns: list[object] = []
