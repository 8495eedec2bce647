from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xunshi.web"
    verbose_name = "界面"
