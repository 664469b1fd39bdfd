"""Token pages for organisation admins (behind login and the second factor, like all pages)."""

from django.urls import path

from ketenwijs.web.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("new/", views.token_create, name="create"),
    path("<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
