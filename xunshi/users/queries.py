"""The account list of the admins' page, and the teams whose cadres wait for accounts."""

from __future__ import annotations

from django.db.models import Case, Count, Q, QuerySet, Value, When

from xunshi.accounts import otp
from xunshi.accounts.models import ADMIN_ROLES, AdminRequest, AdminRequestStatus, User
from xunshi.rounds.models import Team, TeamMembership

__all__ = [
    "accounts_matching",
    "admin_requests",
    "admin_requests_awaiting",
    "team_members",
    "teams_waiting",
]


def accounts_matching(
    q: str, *, never_signed_in: bool = False, without_second_factor: bool = False
) -> QuerySet[User]:
    """Accounts whose user name or full name contains q (all of them for an empty q), each
    with `has_second_factor`; with never_signed_in, only the active accounts with a role that
    nobody has signed in to yet; with without_second_factor, only the active accounts whose
    role needs a second factor and that have none (those the admins' desk counts)."""
    users = (
        User.objects.select_related("body")
        .annotate(has_second_factor=otp.with_second_factor())
        .order_by("username")
    )
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if never_signed_in:
        users = users.filter(is_active=True, last_login__isnull=True).exclude(role="")
    if without_second_factor:
        users = users.filter(otp.without_second_factor())
    return users


def teams_waiting() -> QuerySet[Team]:
    """Teams with a cadre who has no account (`no_account`) or an account without a role
    (`no_role`), the latest rounds first."""
    no_account = Count("memberships", filter=Q(memberships__cadre__user__isnull=True))
    no_role = Count("memberships", filter=Q(memberships__cadre__user__role=""))
    return (
        Team.objects.annotate(no_account=no_account, no_role=no_role)
        .filter(Q(no_account__gt=0) | Q(no_role__gt=0))
        .select_related("round__body")
        .order_by("-round__start", "-round__pk", "number")
    )


def team_members(team: Team) -> QuerySet[TeamMembership]:
    """The team's memberships with each cadre's account (None when it has none)."""
    return team.memberships.select_related("cadre__user").order_by("role", "pk")


def admin_requests_awaiting(user: User) -> QuerySet[AdminRequest]:
    """The pending requests about admins' accounts this admin may decide: not asked by it,
    not about its own account, not asked by an admin of its own role (`decision_refusal`)."""
    if not user.is_active or user.role not in ADMIN_ROLES:
        return AdminRequest.objects.none()
    return (
        AdminRequest.objects.filter(status=AdminRequestStatus.PENDING)
        .exclude(requested_by=user)
        .exclude(target=user)
        .exclude(requested_by__role=user.role)
        .select_related("target", "requested_by")
    )


def admin_requests() -> QuerySet[AdminRequest]:
    """Every request about admins' accounts, the pending first, then the newest."""
    pending = Case(When(status=AdminRequestStatus.PENDING, then=Value(1)), default=Value(0))
    return (
        AdminRequest.objects.select_related("target", "requested_by", "decided_by")
        .alias(pending=pending)
        .order_by("-pending", "-requested_at", "-pk")
    )
