from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "xunshi.decisions"
    verbose_name = "领导小组决定"
