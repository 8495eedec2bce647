"""The first three accounts of a new installation: the 系统管理员, the 安全管理员 and the
审计管理员 (三员), made from the server's command line (`manage.py create_admins`) because
`createsuperuser` is refused and nobody can sign in yet to open them. Once any admin exists
this is refused: from then on the admins open and grant accounts in the application."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.actions import record, snapshot

from .models import ADMIN_ROLES, Role, User

__all__ = ["ADMIN_ORDER", "NewAdmin", "admins_create", "one_time_password"]

# The order in which the command asks for them and prints them.
ADMIN_ORDER = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
FIELDS = ["username", "full_name", "role", "is_active", "must_change_password"]
_ALPHABET = string.ascii_letters + string.digits + "#%+-=@^_"


@dataclass(frozen=True)
class NewAdmin:
    role: str
    username: str
    full_name: str
    password: str


def one_time_password(length: int = 20) -> str:
    """A random password that passes the password rules (all four kinds of character)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


def admins_create(*, admins: list[NewAdmin]) -> list[User]:
    """Open the three admin accounts at once, as the system, each with its role and a password
    to change at first sign-in; refused when any admin account exists already."""
    roles = [a.role for a in admins]
    if sorted(roles) != sorted(ADMIN_ORDER):
        raise ValidationError(_("须同时创建系统管理员、安全管理员、审计管理员三个账号，各一个。"))
    usernames = [a.username.strip() for a in admins]
    if any(not name for name in usernames):
        raise ValidationError(_("三个管理员的用户名都不能为空。"))
    if len({name.lower() for name in usernames}) != len(usernames):
        raise ValidationError(_("三个管理员须使用三个不同的用户名（三员分立）。"))
    with transaction.atomic():
        if User.objects.select_for_update().filter(role__in=ADMIN_ROLES).exists():
            raise ValidationError(
                _("已存在管理员账号，不能再用此命令创建；请由系统管理员在应用中开设账号。")
            )
        for name in usernames:
            if User.objects.filter(username__iexact=name).exists():
                raise ValidationError(_("用户名“%(name)s”已被使用。") % {"name": name})
        made = []
        for admin, name in zip(admins, usernames, strict=True):
            full_name = admin.full_name.strip() or str(Role(admin.role).label)
            # 三员 for life: the admin role is remembered with the role (accounts 0004).
            user = User(
                username=name, full_name=full_name, role=admin.role, admin_role_once=admin.role
            )
            try:
                validate_password(admin.password, user)
            except ValidationError as error:
                label = Role(admin.role).label
                raise ValidationError(
                    _("%(role)s（%(name)s）的密码不符合要求：%(reasons)s")
                    % {"role": label, "name": name, "reasons": "".join(error.messages)}
                ) from error
            user.set_password(admin.password)
            user.must_change_password = True
            user.save()
            record(
                actor=SYSTEM,
                action="accounts.admin.bootstrap",
                obj=user,
                after=snapshot(user, FIELDS),
            )
            made.append(user)
    return made
