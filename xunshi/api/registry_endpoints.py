"""The registry (organizations, cadres), terms and rounds, read through the same scoped
querysets as their pages: another body's record is 404, a role without the function 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as param

from xunshi.accounts.access import require
from xunshi.registry.access import (
    cadres_visible_to,
    get_cadre_for,
    get_org_for,
    orgs_visible_to,
    terms_visible_to,
)
from xunshi.registry.models import Cadre, OrgUnit, Sector, Term
from xunshi.registry.queries import cadres_filtered, orgs_filtered
from xunshi.rounds.access import get_round_for, rounds_visible_to
from xunshi.rounds.models import InspectionKind, Round

from .auth import holder
from .errors import ERRORS
from .pages import MAX_ID, MAX_LIMIT, MAX_OFFSET, NO_NUL, page
from .schemas import CadreOut, CadrePage, OrgOut, OrgPage, RoundOut, RoundPage, TermPage

router = Router(tags=["名录与轮次"])

Limit = param.Query(20, ge=1, le=MAX_LIMIT, description="每页条数（1–100）")
Offset = param.Query(0, ge=0, le=MAX_OFFSET, description="起始位置")
Search = param.Query("", max_length=50, pattern=NO_NUL, description="按名称、编码或拼音首字母查询")
Pk = param.Path(..., ge=1, le=MAX_ID, example=1)


def _org(o: OrgUnit) -> dict[str, Any]:
    return {
        "id": o.pk,
        "code": o.code,
        "name": o.name,
        "short_name": o.short_name,
        "sector": o.sector,
        "sector_label": str(Sector(o.sector).label) if o.sector in Sector.values else o.sector,
        "parent_id": o.parent_id,
        "tags": [str(t) for t in o.tags or []],
        "in_scope": o.in_scope,
    }


def _cadre(c: Cadre) -> dict[str, Any]:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "gender": c.gender,
        "id_number_masked": c.id_number_masked,
        "rank": c.rank,
        "unit_name": c.unit_name,
        "post": c.post,
        "skills": [str(s) for s in c.skills or []],
        "can_lead": c.can_lead,
        "active": c.active,
    }


def _term(t: Term) -> dict[str, Any]:
    return {"id": t.pk, "name": t.name, "start": t.start, "end": t.end}


def _round(r: Round) -> dict[str, Any]:
    return {
        "id": r.pk,
        "term_id": r.term_id,
        "ordinal": r.ordinal,
        "name": r.name,
        "kind": r.kind,
        "kind_label": str(InspectionKind(r.kind).label),
        "theme": r.theme,
        "start": r.start,
        "end": r.end,
        "plan_approved_on": r.plan_approved_on,
    }


@router.get("/orgs", response={200: OrgPage, **ERRORS}, summary="单位名录")
def org_list(
    request: HttpRequest, q: str = Search, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    user = holder(request)
    require(user, "org.list")
    return page(orgs_filtered(orgs_visible_to(user), q=q), limit, offset, _org)


@router.get("/orgs/{pk}", response={200: OrgOut, **ERRORS}, summary="一个单位")
def org_detail(request: HttpRequest, pk: int = Pk) -> dict[str, Any]:
    return _org(get_org_for(holder(request), pk))


@router.get("/cadres", response={200: CadrePage, **ERRORS}, summary="巡视干部人才库")
def cadre_list(
    request: HttpRequest, q: str = Search, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    user = holder(request)
    require(user, "cadre.view")
    return page(cadres_filtered(cadres_visible_to(user), q=q), limit, offset, _cadre)


@router.get("/cadres/{pk}", response={200: CadreOut, **ERRORS}, summary="一名干部")
def cadre_detail(request: HttpRequest, pk: int = Pk) -> dict[str, Any]:
    return _cadre(get_cadre_for(holder(request), pk))


@router.get("/terms", response={200: TermPage, **ERRORS}, summary="届")
def term_list(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    user = holder(request)
    require(user, "round.view")
    return page(terms_visible_to(user), limit, offset, _term)


@router.get("/rounds", response={200: RoundPage, **ERRORS}, summary="轮次")
def round_list(request: HttpRequest, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    user = holder(request)
    require(user, "round.view")
    rows = rounds_visible_to(user).order_by("-term__start", "-ordinal", "-id")
    return page(rows, limit, offset, _round)


@router.get("/rounds/{pk}", response={200: RoundOut, **ERRORS}, summary="一个轮次")
def round_detail(request: HttpRequest, pk: int = Pk) -> dict[str, Any]:
    return _round(get_round_for(holder(request), pk))
