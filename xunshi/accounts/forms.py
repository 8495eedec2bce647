from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message whether the user name or the password was wrong.
        "invalid_login": _("用户名或密码错误。连续失败5次，账号将被锁定30分钟。"),
        "inactive": _("用户名或密码错误。连续失败5次，账号将被锁定30分钟。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
