from django.urls import path

from ketenwijs.web.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("statements/<slug:kind>/edit/", views.statement_edit, name="statement_edit"),
    path("glossary/", views.glossary, name="glossary"),
    path("help/", views.help_page, name="help"),
    path("search/", views.site_search, name="search"),
]
