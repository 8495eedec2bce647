"""The only code that writes accounts: opening, enabling and disabling, granting a role.

The system admin opens and disables accounts; the security admin grants roles, tying an
inspector to a cadre of the pool and a liaison to the organization it speaks for.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import ADMIN_ROLES, Role, User
from xunshi.audit.actions import record, snapshot
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit

USER_FIELDS = ["username", "full_name", "role", "cadre", "org", "body", "is_active"]


def user_create(
    *, actor: Actor, username: str, full_name: str, password: str, must_change_password: bool = True
) -> User:
    """Open an account (system admin); the role is granted separately by the security admin."""
    username = username.strip()
    if not username or not full_name.strip():
        raise ValidationError("用户名和姓名不能为空。")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用。")
    candidate = User(username=username, full_name=full_name.strip())
    validate_password(password, candidate)
    with transaction.atomic():
        candidate.set_password(password)
        candidate.must_change_password = must_change_password
        candidate.save()
        record(
            actor=actor,
            action="accounts.user.create",
            obj=candidate,
            after=snapshot(candidate, USER_FIELDS),
        )
    return candidate


def user_grant_role(
    *,
    actor: Actor,
    user: User,
    role: str,
    cadre: Cadre | None = None,
    org: OrgUnit | None = None,
    body: InspectingBody | None = None,
) -> User:
    """Give a user one role (security admin) in an inspecting body: office staff and the
    leading group name their body; a team cadre works for the body of the cadre's pool, a
    liaison for the body whose registry holds the unit."""
    if role not in Role.values:
        raise ValidationError("未知的角色。")
    if role == Role.INSPECTOR and cadre is None:
        raise ValidationError("巡视组干部须关联干部库中的人员。")
    if role == Role.LIAISON and org is None:
        raise ValidationError("联络员须关联其所在单位。")
    if role in (Role.OFFICE, Role.LEADING_GROUP) and body is None:
        raise ValidationError("巡视办工作人员和领导小组成员须指定所属党组织。")
    if role == Role.INSPECTOR and cadre is not None:
        body = cadre.body
    elif role == Role.LIAISON and org is not None:
        body = org.body
    if user == person(actor):
        raise ValidationError("不能给自己授权。")
    if role in ADMIN_ROLES and user.role in ADMIN_ROLES and user.role != role:
        raise ValidationError("三员角色互斥：一人只能担任一种管理员角色。")
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.role = role
        user.cadre = cadre if role == Role.INSPECTOR else None
        user.org = org if role == Role.LIAISON else None
        user.body = body
        user.save(update_fields=["role", "cadre", "org", "body"])
        record(
            actor=actor,
            action="accounts.user.grant",
            obj=user,
            before=before,
            after=snapshot(user, USER_FIELDS),
        )
    return user


def user_set_active(*, actor: Actor, user: User, active: bool) -> User:
    """Enable or disable an account (system admin); a disabled account cannot sign in."""
    if user == person(actor):
        raise ValidationError("不能停用自己的账号。")
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="accounts.user.activate" if active else "accounts.user.disable",
            obj=user,
            before=before,
            after=snapshot(user, USER_FIELDS),
        )
    return user
