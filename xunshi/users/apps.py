from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "xunshi.users"
    verbose_name = "用户管理"
