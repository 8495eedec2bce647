"""Who sees the findings of an inspection.

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
from xunshi.fieldwork.access import find_inspection, inspections_with_onsite_for
from xunshi.rounds.access import is_team_leader, is_team_member
from xunshi.rounds.models import Inspection

from .models import Clue

__all__ = [
    "clues_visible_to",
    "get_clue_for",
    "get_report_inspection_for",
]


def get_report_inspection_for(user: Any, pk: int) -> Inspection:
    """The inspection whose problems and report the user may read."""
    require(user, "report.view")
    if user.role in (Role.OFFICE, Role.LEADING_GROUP):
        qs = Inspection.objects.all()
    else:
        qs = inspections_with_onsite_for(user)
    return find_inspection(qs, pk)


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
