from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xunshi.findings"
    verbose_name = "问题与线索"
