"""Inspections and their stages, problems and the ledger (整改台账), through the same access
functions as their pages; the two writes go through the actions the pages use: a stage through
`inspection_transition`, an item's progress through `progress_report`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as param

from xunshi.accounts.access import require
from xunshi.accounts.models import Role
from xunshi.findings.access import get_report_inspection_for
from xunshi.findings.models import Problem
from xunshi.lifecycle.actions import inspection_transition
from xunshi.lifecycle.models import StageChange
from xunshi.rectification.access import get_item_for, get_ledger_inspection_for
from xunshi.rectification.actions import progress_report
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.rectification.queries import ledger_items
from xunshi.rounds.access import get_inspection_for, inspections_visible_to
from xunshi.rounds.models import Inspection, InspectionKind, Stage

from .auth import holder
from .errors import ERRORS, WRITE_ERRORS
from .pages import MAX_ID, MAX_LIMIT, MAX_OFFSET, page, plausible_day
from .schemas import (
    InspectionOut,
    InspectionPage,
    ItemOut,
    ItemPage,
    ProblemPage,
    ProgressIn,
    StageChangePage,
    StageIn,
)

router = Router(tags=["巡视任务与整改"])

Limit = param.Query(20, ge=1, le=MAX_LIMIT, description="每页条数（1–100）")
Offset = param.Query(0, ge=0, le=MAX_OFFSET, description="起始位置")
InRound = param.Query(None, ge=1, le=MAX_ID, description="只列此轮次的")
AtStage = param.Query(None, description="只列处于此阶段的")
Pk = param.Path(..., ge=1, le=MAX_ID, example=1)


def _inspection(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "round_id": i.round_id,
        "team_id": i.team_id,
        "team_name": i.team.name,
        "target_id": i.target_id,
        "target_name": i.target.name,
        "kind": i.kind,
        "kind_label": str(InspectionKind(i.kind).label),
        "stage": i.stage,
        "stage_label": str(Stage(i.stage).label),
        "start": i.start,
        "end": i.end,
    }


def _change(c: StageChange) -> dict[str, Any]:
    return {
        "from_stage": c.from_stage,
        "to_stage": c.to_stage,
        "to_stage_label": str(Stage(c.to_stage).label),
        "on": c.on,
        "reason": c.reason,
    }


def _problem(p: Problem) -> dict[str, Any]:
    return {"id": p.pk, "seq": p.seq, "summary": p.summary}


def _item(i: RectificationItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "inspection_id": i.inspection_id,
        "seq": i.seq,
        "title": i.title,
        "measures": i.measures,
        "responsible_leader": i.responsible_leader,
        "responsible_department": i.responsible_department,
        "deadline": i.deadline,
        "kind": i.kind,
        "status": i.status,
        "status_label": str(ItemStatus(i.status).label),
        "claimed_on": i.claimed_on,
        "closed_on": i.closed_on,
        "progress": [
            {"id": p.pk, "reported_on": p.reported_on, "text": p.text} for p in i.progress.all()
        ],
    }


@router.get("/inspections", response={200: InspectionPage, **ERRORS}, summary="巡视任务")
def inspection_list(
    request: HttpRequest,
    round: int | None = InRound,
    stage: Stage | None = AtStage,
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    user = holder(request)
    require(user, "inspection.view")
    rows = inspections_visible_to(user).select_related("team", "target")
    if round is not None:
        rows = rows.filter(round_id=round)
    if stage is not None:
        rows = rows.filter(stage=stage)
    return page(rows.order_by("round_id", "team__number", "id"), limit, offset, _inspection)


@router.get("/inspections/{pk}", response={200: InspectionOut, **ERRORS}, summary="一次巡视")
def inspection_detail(request: HttpRequest, pk: int = Pk) -> dict[str, Any]:
    return _inspection(get_inspection_for(holder(request), pk))


@router.get(
    "/inspections/{pk}/stages", response={200: StageChangePage, **ERRORS}, summary="阶段变更记录"
)
def stage_history(
    request: HttpRequest, pk: int = Pk, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    inspection = get_inspection_for(holder(request), pk)
    rows = inspection.stage_changes.order_by("at", "id")
    return page(rows, limit, offset, _change)


@router.post(
    "/inspections/{pk}/stage",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="变更阶段",
    description="与页面上的阶段按钮相同：由阶段表决定能否转入、由谁操作；受阻时答复 409 及原因。",
)
def stage_change(request: HttpRequest, payload: StageIn, pk: int = Pk) -> dict[str, Any]:
    user = holder(request)
    require(user, "stage.change")
    if user.role == Role.LIAISON:
        inspection = get_ledger_inspection_for(user, pk)
    else:
        inspection = get_inspection_for(user, pk)
    plausible_day(payload.on, "日期")
    moved = inspection_transition(
        actor=user,
        inspection=inspection,
        to=payload.to,
        on=payload.on,
        reason=payload.reason,
    )
    return _inspection(moved)


@router.get("/inspections/{pk}/problems", response={200: ProblemPage, **ERRORS}, summary="问题清单")
def problem_list(
    request: HttpRequest, pk: int = Pk, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    inspection = get_report_inspection_for(holder(request), pk)
    return page(inspection.problems.order_by("seq", "id"), limit, offset, _problem)


@router.get("/inspections/{pk}/ledger", response={200: ItemPage, **ERRORS}, summary="整改台账")
def ledger(
    request: HttpRequest, pk: int = Pk, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    inspection = get_ledger_inspection_for(holder(request), pk)
    return page(ledger_items(inspection), limit, offset, _item)


@router.get("/ledger/items/{pk}", response={200: ItemOut, **ERRORS}, summary="一个整改事项")
def item_detail(request: HttpRequest, pk: int = Pk) -> dict[str, Any]:
    return _item(get_item_for(holder(request), pk))


@router.post(
    "/ledger/items/{pk}/progress",
    response={200: ItemOut, **WRITE_ERRORS},
    summary="报告整改进展",
    description="被巡视单位联络员报告一个整改事项的进展（佐证材料请在页面上传）。",
)
def item_progress(request: HttpRequest, payload: ProgressIn, pk: int = Pk) -> dict[str, Any]:
    user = holder(request)
    item = get_item_for(user, pk, fill=True)
    plausible_day(payload.reported_on, "报告日期")
    progress_report(
        actor=user,
        item=item,
        text=payload.text,
        reported_on=payload.reported_on,
        rules_revised=payload.rules_revised,
        funds_recovered=Decimal(payload.funds_recovered),
        persons_sanctioned=payload.persons_sanctioned,
    )
    return _item(get_item_for(user, pk))
