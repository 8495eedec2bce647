"""The only code that writes accounts: opening, enabling and disabling, granting a role.

The system admin opens and disables accounts; the security admin grants roles, tying an
inspector to a cadre of the pool and a liaison to the organization it speaks for. 三员分立
holds over an account's whole life (`sanyuan_refusal`), and a person changes an admin's
account only through an `AdminRequest` another admin has approved (`request_actions.py`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xunshi.accounts.actors import Actor, is_system, person
from xunshi.accounts.models import (
    ADMIN_ROLES,
    CASE_ROLES,
    AdminRequest,
    AdminRequestKind,
    AdminRequestStatus,
    Role,
    User,
    is_admin_account,
)
from xunshi.audit.actions import record, snapshot
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit

USER_FIELDS = ["username", "full_name", "role", "cadre", "org", "body", "is_active"]


def sanyuan_refusal(user: User, role: str) -> str | None:
    """Why 三员分立 forbids the account this role, in Chinese (None when it allows it): an
    admin holds one admin role in its life and never a role of the work, a case account never
    becomes an admin, and an admin is tied to no cadre and no unit."""
    labels = dict(Role.choices)
    if role in ADMIN_ROLES:
        if user.case_role_once or user.role in CASE_ROLES:
            return str(
                _("三员分立：该账号担任过业务角色，不能再担任%(role)s。") % {"role": labels[role]}
            )
        held = user.admin_role_once or (user.role if user.role in ADMIN_ROLES else "")
        if held and held != role:
            return str(
                _(
                    "三员分立：该账号担任过%(held)s，不能再担任%(role)s，一人只能担任一种管理员角色。"
                )
                % {"held": labels[held], "role": labels[role]}
            )
        if user.cadre_id is not None or user.org_id is not None:
            return str(_("三员分立：管理员账号不能关联干部库人员或被巡视单位。"))
    elif role in CASE_ROLES and is_admin_account(user):
        held = user.admin_role_once or user.role
        return str(
            _("三员分立：该账号担任过%(held)s，不能再担任业务角色%(role)s。")
            % {"held": labels[held], "role": labels[role]}
        )
    return None


def needs_approval(user: User, role: str = "") -> bool:
    """Whether a person's change to this account (or this grant) waits for a second admin's
    approval: the account is or was an admin, or the role granted is an admin role."""
    return is_admin_account(user) or role in ADMIN_ROLES


def _approved(approval: AdminRequest | None, user: User, kind: str) -> bool:
    return (
        approval is not None
        and approval.status == AdminRequestStatus.APPROVED
        and approval.target_id == user.pk
        and approval.kind == kind
    )


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
    approval: AdminRequest | None = None,
) -> User:
    """Give a user one role (security admin) in an inspecting body: office staff and the
    leading group name their body; a team cadre works for the body of the cadre's pool, a
    liaison for the body whose registry holds the unit. An admin role, or any role of an
    admin's account, only with an approved request (`approval`) when a person gives it."""
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
    if (refusal := sanyuan_refusal(user, role)) is not None:
        raise ValidationError(refusal)
    if (
        needs_approval(user, role)
        and not is_system(actor)
        and not _approved(approval, user, AdminRequestKind.GRANT)
    ):
        raise ValidationError(_("三员分立：授予管理员角色须经另一名管理员批准，请提交申请。"))
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.role = role
        user.cadre = cadre if role == Role.INSPECTOR else None
        user.org = org if role == Role.LIAISON else None
        user.body = body
        if role in ADMIN_ROLES:
            user.admin_role_once = role
        else:
            user.case_role_once = True
        user.save(
            update_fields=["role", "cadre", "org", "body", "admin_role_once", "case_role_once"]
        )
        record(
            actor=actor,
            action="accounts.user.grant",
            obj=user,
            before=before,
            after=_with_approval(snapshot(user, USER_FIELDS), approval),
        )
    return user


def _with_approval(after: dict[str, Any], approval: AdminRequest | None) -> dict[str, Any]:
    # The event of an approved change names the request it carries out.
    return {**after, "request": approval.pk} if approval is not None else after


def user_set_active(
    *, actor: Actor, user: User, active: bool, approval: AdminRequest | None = None
) -> User:
    """Enable or disable an account (system admin); a disabled account cannot sign in. An
    admin's account only with an approved request (`approval`) when a person asks."""
    if user == person(actor):
        raise ValidationError("不能停用自己的账号。")
    kind = AdminRequestKind.ENABLE if active else AdminRequestKind.DISABLE
    if is_admin_account(user) and not is_system(actor) and not _approved(approval, user, kind):
        raise ValidationError(_("三员分立：停用、启用管理员账号须经另一名管理员批准，请提交申请。"))
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="accounts.user.activate" if active else "accounts.user.disable",
            obj=user,
            before=before,
            after=_with_approval(snapshot(user, USER_FIELDS), approval),
        )
    return user
