"""URLs of the learning app. Empty until the module's pages are built: no placeholder pages."""

app_name = "learning"

urlpatterns: list[object] = []
