"""Who reaches which ledger (整改台账).

A ledger exists from the feedback on (`FEEDBACK_ON`: feedback_given … archived in the order
of `Stage`). The office and the leading group reach every such inspection of their own body,
a team cadre his own teams' ones (until the grace after closing, `team_inspections`), the
inspected organization's liaison those of its own organization and, at a township, those of
the villages under it (乡镇跟踪村级整改, `liaison_targets` in rounds.access: the villages have
no accounts), and nobody else any.
A 提级巡察 (a higher body inspecting a unit of a lower body) is the higher body's; the lower
body's office and leading group read its ledger as the unit's liaison does
(`elevated_inspections_on`), and may verify, supervise or write nothing in it.
A suspended or cancelled inspection keeps its ledger readable when it had reached the
feedback before it left the main line (its items exist and were sent to the unit); writing is
then refused by the actions, which only accept the open stages.

`get_ledger_inspection_for` and `get_item_for` ask for the function first (403), then look
the object up in the user's scope (404), then ask for filling (the liaison) or verifying
(the office) (403), as everywhere else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.accounts.models import Role, User
from xunshi.files.owners import RecordFiles
from xunshi.registry.models import Sector
from xunshi.rounds.access import (
    elevated_inspections_on,
    is_liaison_of,
    is_target_body_reader,
    liaison_targets,
    team_inspections,
)
from xunshi.rounds.models import Inspection, Round, Stage

from .models import ProgressReport, RectificationItem, SupervisionNotice

__all__ = [
    "EVIDENCE_FILES",
    "FEEDBACK_ON",
    "get_item_for",
    "get_ledger_inspection_for",
    "get_notice_for",
    "is_liaison_of",
    "ledger_inspections_for",
    "village_ledger_inspections_for",
]

_MAIN_LINE = [s for s in Stage if s not in (Stage.SUSPENDED, Stage.CANCELLED)]
FEEDBACK_ON = frozenset(
    _MAIN_LINE[_MAIN_LINE.index(Stage.FEEDBACK_GIVEN) : _MAIN_LINE.index(Stage.ARCHIVED) + 1]
)
_NOT_FOUND = "没有找到该整改台账。"


def _with_ledger() -> QuerySet[Inspection]:
    # The stage history is looked up only for the few suspended or cancelled inspections (a
    # correlated EXISTS), never gathered for the whole table.
    fed_back = Inspection.objects.filter(
        pk=OuterRef("pk"), stage_changes__to_stage=Stage.FEEDBACK_GIVEN
    )
    left_after_feedback = Q(stage__in=[Stage.SUSPENDED, Stage.CANCELLED]) & Q(Exists(fed_back))
    return Inspection.objects.filter(Q(stage__in=FEEDBACK_ON) | left_after_feedback)


def ledger_inspections_for(user: User) -> QuerySet[Inspection]:
    """The inspections whose ledger the user may read (for the office and the leading group,
    one query now: whether the body has 提级巡察 on its units, which decides the query's form)."""
    role = getattr(user, "role", "")
    if not getattr(user, "is_authenticated", False):
        return Inspection.objects.none()
    if role in (Role.OFFICE, Role.LEADING_GROUP):
        # The body's own inspections: an IN over the body's rounds, which PostgreSQL hashes
        # for a province office's 20,000 inspections and looks up by round for a county's few.
        own = Q(round__in=Round.objects.filter(body_id=user.body_id))
        elevated = elevated_inspections_on(user)
        if not elevated.exists():  # most bodies: no higher body inspected any of their units
            return _with_ledger().filter(own)
        # With 提级巡察 on its units (a city's or a county's, a few hundred inspections): a
        # UNION of two indexed lookups. An OR of the two would read every inspection at a
        # ledger stage of every body.
        mine = Inspection.objects.filter(own).order_by().values("pk")
        both = mine.union(elevated.order_by().values("pk"))
        return _with_ledger().filter(pk__in=both)
    if role == Role.LIAISON and user.org_id:
        return _with_ledger().filter(liaison_targets(user))
    # A team cadre: the own teams' ledgers until the grace after closing (none for anybody
    # else).
    return _with_ledger().filter(pk__in=team_inspections(user).values("pk"))


def village_ledger_inspections_for(user: User) -> QuerySet[Inspection]:
    """The village inspections whose ledger the user reads, for the village ledger page
    (村级整改台账): the body's for the office and the leading group, the villages' under its
    township for a township's liaison, the own teams' for a team cadre."""
    require(user, "ledger.view")
    return ledger_inspections_for(user).filter(target__sector=Sector.VILLAGE)


def get_ledger_inspection_for(
    user: User, pk: int, *, fill: bool = False, verify: bool = False
) -> Inspection:
    """The inspection whose ledger the user reads (404 outside the scope); filling is the
    liaison's, verifying the office's of the body that sent the team (403 otherwise)."""
    require(user, "ledger.view")
    obj = (
        ledger_inspections_for(user)
        .filter(pk=pk)
        .select_related("round__body", "team", "target")
        .first()
    )
    if obj is None:
        raise Http404(_NOT_FOUND)
    if fill:
        require(user, "ledger.fill")
    if verify:
        require(user, "ledger.verify")
    if (fill or verify) and is_target_body_reader(user, obj):
        higher = obj.round.body.name
        raise PermissionDenied(
            f"对{obj.target.name}的提级巡察由{higher}组织，{obj.target.body.name}只能查阅其"
            f"整改台账；核验销号、督办和安排“回头看”由{higher}负责。"
        )
    return obj


def get_item_for(
    user: User, pk: int, *, fill: bool = False, verify: bool = False
) -> RectificationItem:
    """A ledger item, reached through its inspection like `get_ledger_inspection_for`."""
    require(user, "ledger.view")
    item = RectificationItem.objects.filter(pk=pk).only("pk", "inspection_id").first()
    if item is None:
        raise Http404("没有找到该整改事项。")
    inspection = get_ledger_inspection_for(user, item.inspection_id, fill=fill, verify=verify)
    full = RectificationItem.objects.get(pk=pk)
    full.inspection = inspection
    return full


def get_notice_for(user: User, pk: int) -> SupervisionNotice:
    """A supervision notice (督办函), readable by whoever reads its inspection's ledger."""
    require(user, "ledger.view")
    notice = SupervisionNotice.objects.filter(pk=pk).first()
    if notice is None:
        raise Http404("没有找到该督办函。")
    notice.inspection = get_ledger_inspection_for(user, notice.inspection_id)
    return notice


_Evidence = ProgressReport.attachments.through


def _evidence_files_held() -> QuerySet[Any]:
    return _Evidence.objects.values("attachment_id")


def _evidence_files_readable(user: User) -> QuerySet[Any]:
    if not can(user, "ledger.view"):
        return _Evidence.objects.none().values("attachment_id")
    inspections = ledger_inspections_for(user).values("pk")
    return _Evidence.objects.filter(progressreport__item__inspection__in=inspections).values(
        "attachment_id"
    )


# The evidence of a ledger item's progress is read by the ledger's readers (files.owners).
EVIDENCE_FILES = RecordFiles(
    "rectification.evidence", _evidence_files_held, _evidence_files_readable
)
