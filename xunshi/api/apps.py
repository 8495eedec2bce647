from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xunshi.api"
    verbose_name = "接口"
