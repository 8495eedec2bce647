"""The only code that writes the admins' requests (三员相互制约): one admin asks for a change
to an admin's account, a second admin approves it (the change made in the same transaction)
or refuses it.

Who asks: the system admin or the security admin disables, enables or unlocks, the security
admin alone grants an admin role. Who decides: an active admin who is neither the one who
asked nor the one whose account it is, and holds another admin role than the one who asked
(the security admin asks → the system admin or the audit admin approves).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xunshi.accounts.actions import lockout_reset
from xunshi.accounts.models import (
    ADMIN_ROLES,
    AdminRequest,
    AdminRequestKind,
    AdminRequestStatus,
    Role,
    User,
    is_admin_account,
)
from xunshi.audit.actions import record, snapshot
from xunshi.registry.models import InspectingBody

from .actions import sanyuan_refusal, user_grant_role, user_set_active

__all__ = [
    "REQUESTERS",
    "admin_request_approve",
    "admin_request_create",
    "admin_request_refuse",
    "decision_refusal",
]

REQUEST_FIELDS = ["target", "kind", "role", "body", "reason", "requested_by", "status"]
DECISION_FIELDS = ["status", "decided_by", "decided_at", "note"]
REASON_MAX = 500

# Which admin may ask for which change.
REQUESTERS: dict[str, frozenset[str]] = {
    AdminRequestKind.DISABLE: frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    AdminRequestKind.ENABLE: frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    AdminRequestKind.UNLOCK: frozenset({Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN}),
    AdminRequestKind.GRANT: frozenset({Role.SECURITY_ADMIN}),
}


def _ask_refusal(actor: User, target: User, kind: str, role: str) -> str | None:
    """Why this admin may not ask for this change (None when it may)."""
    if kind not in AdminRequestKind.values:
        return _("未知的变更事项。")
    if not actor.is_active or actor.role not in REQUESTERS[kind]:
        return _("三员分立：%(role)s不能申请%(kind)s。") % {
            "role": actor.get_role_display() or _("该账号"),
            "kind": AdminRequestKind(kind).label,
        }
    if target.pk == actor.pk:
        return _("三员分立：不能为自己的账号提出申请。")
    if kind == AdminRequestKind.GRANT:
        if (refusal := sanyuan_refusal(target, role)) is not None:
            return refusal
        if role not in ADMIN_ROLES:
            return _("须选择三种管理员角色之一。")
        if target.role == role:
            return _("该账号已是%(role)s。") % {"role": target.get_role_display()}
        return None
    if not is_admin_account(target):
        return _("只有管理员账号的变更须经批准，其他账号请直接办理。")
    if kind == AdminRequestKind.DISABLE and not target.is_active:
        return _("该账号已停用。")
    if kind == AdminRequestKind.ENABLE and target.is_active:
        return _("该账号已启用。")
    return None


def admin_request_create(
    *,
    actor: User,
    target: User,
    kind: str,
    reason: str,
    role: str = "",
    body: InspectingBody | None = None,
) -> AdminRequest:
    """Ask for a change to an admin's account (or for an admin role); nothing changes until
    a second admin approves it."""
    reason = reason.strip()
    if (refusal := _ask_refusal(actor, target, kind, role)) is not None:
        raise ValidationError(refusal)
    if not reason:
        raise ValidationError(_("请填写申请理由。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("申请理由不能超过%(n)d字。") % {"n": REASON_MAX})
    with transaction.atomic():
        if AdminRequest.objects.filter(
            target=target, kind=kind, status=AdminRequestStatus.PENDING
        ).exists():
            raise ValidationError(_("该账号已有一项待批准的同类申请。"))
        req = AdminRequest.objects.create(
            target=target,
            kind=kind,
            role=role if kind == AdminRequestKind.GRANT else "",
            body=body if kind == AdminRequestKind.GRANT else None,
            reason=reason,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        record(
            actor=actor,
            action="accounts.adminrequest.create",
            obj=req,
            after=snapshot(req, REQUEST_FIELDS),
        )
    return req


def decision_refusal(actor: User, req: AdminRequest) -> str | None:
    """Why this account may not decide the request (None when it may): a second admin, not
    the one who asked, not the one whose account it is, of another admin role."""
    if req.status != AdminRequestStatus.PENDING:
        return _("该申请已处理。")
    if not actor.is_active or actor.role not in ADMIN_ROLES:
        return _("三员分立：只有另一名管理员可以批准。")
    if actor.pk == req.requested_by_id:
        return _("三员分立：申请人不能批准自己的申请。")
    if actor.pk == req.target_id:
        return _("三员分立：不能批准对自己账号的变更。")
    if actor.role == req.requested_by.role:
        return _("三员分立：须由与申请人不同的管理员批准。")
    return None


def _decided(actor: User, req: AdminRequest, status: str, note: str) -> AdminRequest:
    """Lock the request, check the decider, mark it decided (inside the caller's transaction)."""
    locked = AdminRequest.objects.select_for_update().select_related("requested_by").get(pk=req.pk)
    if (refusal := decision_refusal(actor, locked)) is not None:
        raise ValidationError(refusal)
    before = snapshot(locked, DECISION_FIELDS)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
    action = (
        "accounts.adminrequest.approve"
        if status == AdminRequestStatus.APPROVED
        else "accounts.adminrequest.refuse"
    )
    record(
        actor=actor,
        action=action,
        obj=locked,
        before=before,
        after=snapshot(locked, DECISION_FIELDS),
    )
    return locked


def admin_request_approve(*, actor: User, req: AdminRequest, note: str = "") -> AdminRequest:
    """Approve a request and make its change, in one transaction: if the change is refused
    (the account changed meanwhile), nothing is written and the request stays pending."""
    with transaction.atomic():
        approved = _decided(actor, req, AdminRequestStatus.APPROVED, note.strip()[:200])
        target = User.objects.select_for_update().get(pk=approved.target_id)
        if approved.kind in (AdminRequestKind.DISABLE, AdminRequestKind.ENABLE):
            user_set_active(
                actor=actor,
                user=target,
                active=approved.kind == AdminRequestKind.ENABLE,
                approval=approved,
            )
        elif approved.kind == AdminRequestKind.UNLOCK:
            lockout_reset(actor=actor, username=target.username, approval=approved)
        else:
            user_grant_role(
                actor=actor, user=target, role=approved.role, body=approved.body, approval=approved
            )
    return approved


def admin_request_refuse(*, actor: User, req: AdminRequest, note: str) -> AdminRequest:
    """Refuse a request with a reason; the account stays as it is."""
    note = note.strip()
    if not note:
        raise ValidationError(_("请填写不予批准的理由。"))
    if len(note) > 200:
        raise ValidationError(_("理由不能超过200字。"))
    with transaction.atomic():
        return _decided(actor, req, AdminRequestStatus.REFUSED, note)
