from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "xunshi.ops"
    verbose_name = "运维"
