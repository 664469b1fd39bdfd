from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ketenwijs.web.audit"
    label = "audit"
