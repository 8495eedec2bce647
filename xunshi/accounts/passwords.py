"""Password rule of China's MLPS level 3: at least three of four character classes."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError


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
            raise ValidationError(
                "密码须至少包含小写字母、大写字母、数字、其他符号中的三类。",
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return "密码须至少包含小写字母、大写字母、数字、其他符号中的三类。"
