from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "xunshi.rectification"
    verbose_name = "整改"
