from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "ketenwijs.web.learning"
    label = "learning"
