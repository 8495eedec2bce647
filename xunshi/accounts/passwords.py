"""The password rules (China's MLPS level 3) and their messages in the office's words.

Django's own validators say some of theirs in English even in Chinese (the minimum length's
message has no Chinese in Django's catalogue), so each rule here words its message and help
text itself, wrapped for translation like every other string of the application:
at least 10 characters, not too close to the user name or full name, not a common password,
and three of four character classes.
"""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "CharacterClassValidator",
    "CommonPasswordValidator",
    "MinimumLengthValidator",
    "UserAttributeSimilarityValidator",
]


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    """At least `min_length` characters."""

    def get_error_message(self) -> str:
        return _("密码太短：至少需要%(min_length)d位。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少%(min_length)d位。") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    """Not too close to the account's user name, full name or e-mail."""

    def get_error_message(self) -> str:
        return _("密码与%(verbose_name)s过于相似。")

    def get_help_text(self) -> str:
        return _("密码不能与用户名、姓名等个人信息相似。")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    """Not one of the 20,000 common passwords Django ships."""

    def get_error_message(self) -> str:
        return _("这个密码过于常见，容易被猜中。")

    def get_help_text(self) -> str:
        return _("密码不能是常见密码。")


class CharacterClassValidator:
    """Require three of: lower case, upper case, digits, other characters."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(self.get_help_text(), code="password_character_classes")

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、其他符号中的三类。")
