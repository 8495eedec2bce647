from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "xunshi.rounds"
    verbose_name = "轮次与巡视组"
