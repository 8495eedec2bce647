from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xunshi.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        # Connects the sign-in receivers; the signals reach the models through the actions,
        # so this cannot be at the top: Django's app registry is not ready at import time.
        from . import signals  # noqa: F401
