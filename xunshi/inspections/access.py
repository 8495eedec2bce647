"""Who sees what inside an inspection.

- On-site records (talks, petitions, document requests, immediate fixes, working papers):
  the office (read) and the cadres of the inspection's team (read and write). Not the
  leading group, not the liaison.
- Clues: the office and the team; a highly confidential one (高密) only the office and the
  team's leader.
- Problems and the report: the office, the leading group and the team.
- The liaison of the inspected organization reaches nothing in this app; its feedback,
  plan and ledger live in `xunshi.rectification`.

Each `get_x_for` gives 403 for a role without the function and 404 for anything outside
the user's scope, as everywhere else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.access import require
from xunshi.accounts.models import Role
from xunshi.rounds.models import Inspection, TeamRole

from .models import Clue

__all__ = [
    "clues_visible_to",
    "get_clue_for",
    "get_onsite_inspection_for",
    "get_report_inspection_for",
    "inspections_with_onsite_for",
    "is_team_leader",
    "is_team_member",
]

_NOT_FOUND = "没有找到该巡视任务。"


def is_team_member(user: Any, inspection: Inspection) -> bool:
    """Whether the user is a cadre of the inspection's team."""
    return bool(
        user.role == Role.INSPECTOR
        and user.cadre_id
        and inspection.team.memberships.filter(cadre_id=user.cadre_id).exists()
    )


def is_team_leader(user: Any, inspection: Inspection) -> bool:
    """Whether the user leads the inspection's team."""
    return bool(
        user.role == Role.INSPECTOR
        and user.cadre_id
        and inspection.team.memberships.filter(
            cadre_id=user.cadre_id, role=TeamRole.LEADER
        ).exists()
    )


def inspections_with_onsite_for(user: Any) -> QuerySet[Inspection]:
    """The inspections whose on-site records the user may read."""
    if user.role == Role.OFFICE:
        return Inspection.objects.all()
    if user.role == Role.INSPECTOR and user.cadre_id:
        return Inspection.objects.filter(team__memberships__cadre_id=user.cadre_id).distinct()
    return Inspection.objects.none()


def _lookup(qs: QuerySet[Inspection], pk: int) -> Inspection:
    obj = qs.filter(pk=pk).select_related("round__body", "team", "target").first()
    if obj is None:
        raise Http404(_NOT_FOUND)
    return obj


def get_onsite_inspection_for(user: Any, pk: int, *, write: bool = False) -> Inspection:
    """The inspection whose on-site records the user works on; writing is the team's."""
    require(user, "onsite.view")
    obj = _lookup(inspections_with_onsite_for(user), pk)
    if write:
        require(user, "onsite.edit")
    return obj


def get_report_inspection_for(user: Any, pk: int) -> Inspection:
    """The inspection whose problems and report the user may read."""
    require(user, "report.view")
    if user.role in (Role.OFFICE, Role.LEADING_GROUP):
        qs = Inspection.objects.all()
    else:
        qs = inspections_with_onsite_for(user)
    return _lookup(qs, pk)


def clues_visible_to(user: Any, inspection: Inspection) -> QuerySet[Clue]:
    """The inspection's clues the user may see: 高密 ones only for the office and the leader."""
    qs = inspection.clues.all()
    if user.role == Role.OFFICE or is_team_leader(user, inspection):
        return qs
    if is_team_member(user, inspection):
        return qs.filter(highly_confidential=False)
    return qs.none()


def get_clue_for(user: Any, pk: int, *, manage: bool = False) -> Clue:
    """A clue the user may see (404 otherwise); transfer and disposal are the office's."""
    require(user, "clue.view")
    clue = Clue.objects.filter(pk=pk).select_related("inspection__team").first()
    if clue is None:
        raise Http404("没有找到该线索。")
    visible = clues_visible_to(user, clue.inspection).filter(pk=pk).exists()
    if not visible:
        raise Http404("没有找到该线索。")
    if manage:
        require(user, "clue.manage")
    return clue
