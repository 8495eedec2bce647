from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "xunshi.oversight"
    verbose_name = "上下联动"
