from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "ketenwijs.web.sharing"
    label = "sharing"
