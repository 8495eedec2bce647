from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xunshi.demo"
    verbose_name = "演示数据"
