from django.urls import path

from ketenwijs.web.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
