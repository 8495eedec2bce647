from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xunshi.intake"
    verbose_name = "码上巡察受理"
