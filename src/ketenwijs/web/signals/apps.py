from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "ketenwijs.web.signals"
    label = "signals"
