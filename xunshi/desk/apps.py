from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "xunshi.desk"
    verbose_name = "首页与提醒"
