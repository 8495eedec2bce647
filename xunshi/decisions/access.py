"""Who reads and records the leading group's decisions: the office and the leading group of
the body whose decision it is. Recording needs `decision.record` (both; the office only with
the minutes, which the action checks); entering a paper pledge needs `pledge.record` (the
office), on a membership of a team of the own body."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.accounts.models import Role, User
from xunshi.files.owners import RecordFiles
from xunshi.rounds.models import TeamMembership

from .models import Decision, PaperPledge

__all__ = [
    "MINUTES_FILES",
    "PLEDGE_FILES",
    "decisions_visible_to",
    "get_pledge_membership_for",
    "may_record",
    "require_record",
]

_BODY_ROLES = (Role.OFFICE, Role.LEADING_GROUP)


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    """The decisions of the user's own body; none for anyone but the office and the group."""
    if not can(user, "round.view") or user.role not in _BODY_ROLES:
        return Decision.objects.none()
    return Decision.objects.filter(body_id=user.body_id)


def may_record(user: User) -> bool:
    """Whether the user may record a decision at all (the button is shown)."""
    return can(user, "decision.record") and user.role in _BODY_ROLES


def require_record(user: User) -> None:
    """403 unless the user may record decisions (the office and the leading group)."""
    if not may_record(user):
        raise PermissionDenied("您没有记录领导小组决定的权限。")


def get_pledge_membership_for(user: User, pk: int) -> TeamMembership:
    """A membership of a team of the own body, for the office to enter a paper pledge."""
    require(user, "pledge.record")
    obj = (
        TeamMembership.objects.filter(pk=pk, team__round__body_id=user.body_id)
        .select_related("team__round__body", "cadre")
        .first()
    )
    if obj is None:
        raise Http404("没有找到该成员记录。")
    return obj


def _minutes_held() -> QuerySet[Any]:
    return Decision.objects.filter(minutes__isnull=False).values("minutes_id")


def _minutes_readable(user: User) -> QuerySet[Any]:
    return decisions_visible_to(user).filter(minutes__isnull=False).values("minutes_id")


def _scans_held() -> QuerySet[Any]:
    return PaperPledge.objects.values("scan_id")


def _scans_readable(user: User) -> QuerySet[Any]:
    if not can(user, "round.view") or user.role not in _BODY_ROLES:
        return PaperPledge.objects.none().values("scan_id")
    return PaperPledge.objects.filter(membership__team__round__body_id=user.body_id).values(
        "scan_id"
    )


# A meeting's minutes are read by the decision's readers, a pledge's scan by the office and the
# leading group of the body whose team it is (files.owners).
MINUTES_FILES = RecordFiles("decisions.minutes", _minutes_held, _minutes_readable)
PLEDGE_FILES = RecordFiles("decisions.pledge", _scans_held, _scans_readable)
