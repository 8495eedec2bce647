from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xunshi.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import signals  # noqa: F401
