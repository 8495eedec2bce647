from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .passwords import HISTORY_LENGTH


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message whether the user name or the password was wrong.
        "invalid_login": _("用户名或密码错误。"),
        "inactive": _("用户名或密码错误。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, keeping what was typed when the new password is refused: retyping
    three passwords after every refusal is what made people give up. The page that shows
    them again is never cached (PasswordChangeView)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old_password", "new_password1", "new_password2"):
            widget = self.fields[name].widget
            self.fields[name].widget = forms.PasswordInput(attrs=widget.attrs, render_value=True)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or self.cleaned_data
        # The current password as the new one: said without hashing it once more.
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new and "new_password2" not in self.errors:
            self.add_error(
                "new_password2",
                _("不能使用最近%(count)d次用过的密码。") % {"count": HISTORY_LENGTH},
            )
        return cleaned


class SecondFactorForm(forms.Form):
    """The code of the authenticator (6 digits) or one recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )
