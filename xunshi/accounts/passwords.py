"""The password rules (China's MLPS level 3) and their messages in the office's words.

Django's own validators say some of theirs in English even in Chinese (the minimum length's
message has no Chinese in Django's catalogue), so each rule here words its message and help
text itself, wrapped for translation like every other string of the application:
at least 12 characters, not too close to the user name or full name, not a common password,
three of four character classes, none of the words a guesser tries first (the user name, the
person's name in pinyin, the product's and the inspecting body's names) and none of the
account's last five passwords.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from .hashers import PBKDF2PasswordHasher
from .models import User

__all__ = [
    "HISTORY_LENGTH",
    "CharacterClassValidator",
    "CommonPasswordValidator",
    "ContextWordValidator",
    "HistoryHasher",
    "MinimumLengthValidator",
    "PasswordHistoryValidator",
    "UserAttributeSimilarityValidator",
    "history_hash",
    "in_history",
]

# How many of an account's last passwords a new one may not repeat.
HISTORY_LENGTH = 5
# The product's own names: the first words a guesser tries against this system.
PRODUCT_WORDS = ("xunshi", "xuncha", "巡视", "巡察")
# Shorter words would refuse half of all passwords (two letters are in many of them); two
# Chinese characters (巡察, 张三) are a word.
SHORTEST_WORD = 3
SHORTEST_CHINESE_WORD = 2
# (中共)开封市委巡察办 → 开封: the place a body is named after.
_PLACE = re.compile(r"^(.{2,}?)(?:省|市|县|区|自治区|自治州|自治县)?委")


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


def _pinyin(text: str) -> str:
    """王建国 → wangjianguo (letters only; what is not Chinese is kept as it is)."""
    return "".join(c for c in "".join(lazy_pinyin(text, errors="default")).lower() if c.isalnum())


def _initials(text: str) -> str:
    """开封市委巡察办 → kfswxcb."""
    return "".join(s[0] for s in lazy_pinyin(text, errors="ignore") if s).lower()


def _bodies(user: Any) -> Iterator[Any]:
    """The account's body and the bodies above it; every body for an account without one.

    The body model is read through the account's foreign key: accounts sit below the
    registry and may not import it."""
    body = getattr(user, "body", None)
    if body is None:
        model = User._meta.get_field("body").related_model
        if model is not None and not isinstance(model, str):
            yield from model._default_manager.all()
        return
    seen: set[int] = set()
    while body is not None and body.pk not in seen:
        seen.add(body.pk)
        yield body
        body = body.parent


class ContextWordValidator:
    """None of the words a guesser tries first against this account: its user name, the
    person's name (in characters and in pinyin, either order), the product's names and the
    names of the inspecting body and the bodies above it (in characters, pinyin and
    initials, with the place they are named after and their short name)."""

    def _words(self, user: Any) -> list[tuple[str, str]]:
        words: list[tuple[str, str]] = [(w, _("系统名称")) for w in PRODUCT_WORDS]
        if user is None:
            return words
        username = getattr(user, "username", "") or ""
        words.append((username, _("用户名")))
        full_name = (getattr(user, "full_name", "") or "").strip()
        if full_name:
            words.append((full_name, _("姓名")))
            words.append((_pinyin(full_name), _("姓名拼音")))
            # 王建国 → jianguowang: the given name first, as many write it.
            if len(full_name) >= 2:
                words.append((_pinyin(full_name[1:]) + _pinyin(full_name[:1]), _("姓名拼音")))
        for body in _bodies(user):
            for name in (body.name, body.abbreviation):
                if not name:
                    continue
                words += [(name, _("单位名称")), (_pinyin(name), _("单位名称拼音"))]
                words.append((_initials(name), _("单位名称缩写")))
                place = _PLACE.match(name.removeprefix("中共"))
                if place:
                    words.append((place.group(1), _("单位名称")))
                    words.append((_pinyin(place.group(1)), _("单位名称拼音")))
        return words

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        # Xun-shi@2026 hides the word behind a hyphen: compare without the separators too.
        squeezed = "".join(c for c in lowered if c.isalnum())
        for word, what in self._words(user):
            word = word.lower()
            shortest = SHORTEST_WORD if word.isascii() else SHORTEST_CHINESE_WORD
            if len(word) >= shortest and (word in lowered or word in squeezed):
                raise ValidationError(
                    _("密码不能包含%(what)s。") % {"what": what},
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return _("密码不能包含用户名、姓名或其拼音、系统名称、所在单位的名称或其拼音、缩写。")


class HistoryHasher(PBKDF2PasswordHasher):
    """The hasher of `PasswordHistory`: PBKDF2 over an HMAC of the password keyed with the
    SECRET_KEY (a copy of the database alone gives nothing to guess at), at a tenth of the
    sign-in hasher's iterations, so that checking five of them stays well inside a second."""

    iterations = 100_000


def _peppered(raw_password: str) -> str:
    return salted_hmac("xunshi.accounts.password-history", raw_password).hexdigest()


def history_hash(raw_password: str) -> str:
    """What `PasswordHistory` keeps of a password."""
    hasher = HistoryHasher()
    return hasher.encode(_peppered(raw_password), hasher.salt())


def in_history(raw_password: str, encoded: str) -> bool:
    """Whether the password is the one a `PasswordHistory` row was made from."""
    return HistoryHasher().verify(_peppered(raw_password), encoded)


class PasswordHistoryValidator:
    """None of the account's last `HISTORY_LENGTH` passwords (`PasswordHistory`, written by
    `password_set`; the password change form also refuses the current one as the new one)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        hashes = user.password_history.order_by("-created", "-pk").values_list(
            "password", flat=True
        )[:HISTORY_LENGTH]
        if any(in_history(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("不能使用最近%(count)d次用过的密码。") % {"count": HISTORY_LENGTH},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("不能使用最近%(count)d次用过的密码。") % {"count": HISTORY_LENGTH}
