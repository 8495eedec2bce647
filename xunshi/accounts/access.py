"""What each role may do at all (function level); apps' access.py add the object scope.

Deny by default: a capability not listed for a role is refused. Each app's
``get_x_for(user, pk, write=...)`` first asks `require` for the function (403), then looks
the object up in the user's scoped queryset (404 for anything outside it), so an outsider
learns nothing about objects it may not see and a read-only user gets 403 on a write.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import Role, User

__all__ = ["CAPABILITIES", "can", "require"]

_READ_CASE = {
    "org.list",
    "org.view",
    "cadre.view",
    "round.view",
    "inspection.view",
    "coverage.view",
    "registry.export",
}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OFFICE: frozenset(
        _READ_CASE
        | {"org.edit", "cadre.edit", "round.edit", "inspection.edit", "import.run"}
        | {"deadline.view", "deadline.manage", "taxonomy.manage"}
        | {"onsite.view", "clue.view", "clue.manage", "report.view", "stage.change"}
        | {"ledger.view", "ledger.verify", "supervision.view"}
        | {"portal.manage"}  # intake: the public portal's submissions and announcements
        # oversight: the bodies below as summaries, reviewing their filings, re-filing a plan
        | {"oversight.view", "oversight.review", "oversight.file"}
        | {"dashboard.view"}  # dashboards: the figures and charts of the own body's work
        # decisions: a paper decision with its minutes, a paper pledge with its scan
        | {"decision.record", "pledge.record"}
        | {"knowledge.view", "knowledge.manage"}  # knowledge: 知识库, the own body's kept
        | {"template.manage"}  # doctemplates: the wording of the body's documents
    ),
    Role.LEADING_GROUP: frozenset(
        _READ_CASE
        | {"deadline.view", "report.view", "ledger.view", "supervision.view", "oversight.view"}
        | {"dashboard.view"}
        # The group acts for itself: approves the year's and the rounds' plans, hears the
        # reports and records the committee's decision (the stages that need them).
        | {"decision.record", "stage.change"}
        | {"knowledge.view"}
    ),
    # Team scope is applied by the apps' querysets.
    Role.INSPECTOR: frozenset(
        {"org.list", "org.view", "cadre.view", "round.view", "inspection.view", "pledge.sign"}
        | {"onsite.view", "onsite.edit", "clue.view", "clue.create", "report.view"}
        | {"stage.change", "ledger.view", "knowledge.view"}
    ),
    # The inspected organization: its own feedback, plan and ledger, nothing else.
    # knowledge.public: the shared public regulations only, never a body's own nor the cases.
    Role.LIAISON: frozenset(
        {"org.view", "ledger.view", "ledger.fill", "stage.change", "knowledge.public"}
    ),
    # Each admin also decides the others' requests about admins' accounts (三员相互制约);
    # otp.reset: removes another account's second factor (a lost phone), never its own.
    Role.SYSTEM_ADMIN: frozenset(
        {"user.manage", "deadline.view", "calendar.manage", "admin_request.decide"}
    ),
    Role.SECURITY_ADMIN: frozenset(
        {"user.grant", "lockout.manage", "otp.reset", "admin_request.decide"}
    ),
    Role.AUDIT_ADMIN: frozenset({"audit.view", "admin_request.decide"}),
}


def can(user: User, capability: str) -> bool:
    """Whether the user's role grants the capability at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def require(user: User, capability: str) -> None:
    """Refuse with 403 unless the user's role grants the capability."""
    if not can(user, capability):
        raise PermissionDenied("您没有执行此操作的权限。")
