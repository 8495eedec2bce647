"""Who sees the findings of an inspection.

- Clues: the office and the team; a highly confidential one (高密) only the office and the
  team's leader.
- Problems and the report: the office, the leading group and the team.
- The feedback and the rectification notice, once the feedback was given: also the liaison
  of the inspected organization, for its own inspection only, and, for a 提级巡察 of a lower
  body's unit, that lower body's office and leading group (`elevated_inspections_on`), who
  read it as the unit's liaison does. Otherwise the liaison reaches
  nothing in this app; its plan and ledger live in `xunshi.rectification`.

Each `get_x_for` gives 403 for a role without the function and 404 for anything outside
the user's scope, as everywhere else.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.accounts.models import Role, User
from xunshi.fieldwork.access import find_inspection, inspections_with_onsite_for
from xunshi.rounds.access import (
    elevated_inspections_on,
    is_own_body,
    is_team_leader,
    is_team_member,
    liaison_targets,
)
from xunshi.rounds.models import Inspection

from .models import Clue
from .queries import feedback_date

__all__ = [
    "clues_visible_to",
    "get_clue_for",
    "get_feedback_inspection_for",
    "get_report_inspection_for",
]


def get_report_inspection_for(user: User, pk: int) -> Inspection:
    """The inspection whose problems and report the user may read."""
    require(user, "report.view")
    if user.role in (Role.OFFICE, Role.LEADING_GROUP):
        qs = Inspection.objects.filter(round__body_id=user.body_id)
    else:
        qs = inspections_with_onsite_for(user)
    return find_inspection(qs, pk)


def get_feedback_inspection_for(user: User, pk: int) -> Inspection:
    """The inspection whose feedback the user may download: the office, the leading group
    and the team, or the liaison of the inspected organization (and for a 提级巡察 the office
    and leading group of the unit's own body); 404 for anyone else and before the feedback
    was given."""
    inspection: Inspection | None
    elevated = (
        elevated_inspections_on(user)
        .filter(pk=pk)
        .select_related("round__body", "team", "target")
        .first()
    )
    if elevated is not None:
        inspection = elevated
    elif user.role == Role.LIAISON:
        inspection = (
            Inspection.objects.filter(liaison_targets(user), pk=pk)
            .select_related("round__body", "team", "target")
            .first()
        )
    elif can(user, "report.view"):
        inspection = get_report_inspection_for(user, pk)
    else:
        inspection = None
    if inspection is None:
        raise Http404("没有找到该巡视任务。")
    if feedback_date(inspection) is None:
        raise Http404("巡视意见尚未反馈。")
    return inspection


def clues_visible_to(user: User, inspection: Inspection) -> QuerySet[Clue]:
    """The inspection's clues the user may see: 高密 ones only for the office and the leader."""
    qs = inspection.clues.all()
    if (user.role == Role.OFFICE and is_own_body(user, inspection)) or is_team_leader(
        user, inspection
    ):
        return qs
    if is_team_member(user, inspection):
        return qs.filter(highly_confidential=False)
    return qs.none()


def get_clue_for(user: User, pk: int, *, manage: bool = False) -> Clue:
    """A clue the user may see (404 otherwise); transfer and disposal are the office's."""
    require(user, "clue.view")
    clue = (
        Clue.objects.filter(pk=pk).select_related("inspection__team", "inspection__round").first()
    )
    if clue is None:
        raise Http404("没有找到该线索。")
    visible = clues_visible_to(user, clue.inspection).filter(pk=pk).exists()
    if not visible:
        raise Http404("没有找到该线索。")
    if manage:
        require(user, "clue.manage")
    return clue
