"""The registry's pages: the organization list and pages, the cadre pool, avoidance waivers.

Each view asks access.py for what the user may see (403 for a function the role lacks, 404 for
an object outside its scope), writes only through actions.py, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import Role, User
from xunshi.audit.downloads import table_download
from xunshi.lib.sheets import Table
from xunshi.rounds import queries as round_queries
from xunshi.rounds.access import inspections_visible_to
from xunshi.rounds.avoidance import hits_between

from . import actions, queries
from .access import (
    bodies_for,
    cadres_visible_to,
    get_cadre_for,
    get_org_for,
    get_own_body_for,
    orgs_visible_to,
)
from .forms import (
    CadreFilterForm,
    CadreForm,
    OrgFilterForm,
    OrgForm,
    TeamAccessGraceForm,
    WaiverForm,
)
from .models import Cadre, OrgUnit

PAGE_SIZE = 50
_SEES_WHOLE_POOL = {Role.OFFICE, Role.LEADING_GROUP}


def _require_lists(user: User) -> None:
    """The lists are for the office, the leading group and the teams; a liaison reads only
    the own organization's page."""
    require(user, "org.list")


def _visible_org_ids(user: User, ids: set[int]) -> set[int]:
    return set(orgs_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _visible_cadre_ids(user: User, ids: set[int]) -> set[int]:
    if not can(user, "cadre.view"):
        return set()
    return set(cadres_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _visible_inspection_ids(user: User, ids: set[int]) -> set[int]:
    if not can(user, "inspection.view"):
        return set()
    return set(inspections_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@require_safe
def org_list(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    _require_lists(user)
    visible = orgs_visible_to(user)
    form = OrgFilterForm(request.GET, tags=queries.org_tags(visible), cities=queries.cities())
    filters = form.filters()
    orgs = queries.orgs_filtered(visible, **filters)
    if _wants_export(request):
        return _org_export(user, orgs, filters)
    page = Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page"))
    last = round_queries.last_inspections(page.object_list)
    return render(
        request,
        "registry/org_list.html",
        {
            "form": form,
            "page": page,
            "query": form.query(),
            "rows": [(org, last.get(org.pk)) for org in page],
            "can_create": can(user, "org.edit"),
        },
    )


def _wants_export(request: SignedInRequest) -> bool:
    # The lists' parameter (xunshi/rounds/list_filters.py, a floor above the registry).
    return request.GET.get("export") == "xlsx"


def _filters_of(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: getattr(v, "pk", v) for k, v in filters.items() if v not in ("", None)}


def _org_export(user: User, orgs: Any, filters: dict[str, Any]) -> HttpResponse:
    """The filtered organizations as the page shows them (not the re-import workbook)."""
    orgs = list(orgs)
    last = round_queries.last_inspections(orgs)
    head = [_("单位编码"), _("单位名称"), _("板块"), _("行政区划"), _("标签"), _("主要负责人")]
    head += [_("职务"), _("纳入范围"), _("最近一次巡视"), _("轮次"), _("阶段")]

    def row(org: OrgUnit) -> list[Any]:
        insp = last.get(org.pk)
        return [
            org.code,
            org.name,
            org.get_sector_display(),
            org.region.name if org.region else "",
            "、".join(org.tags),
            org.principal_name,
            org.principal_post,
            org.in_scope,
            insp.start if insp else None,
            insp.round.name if insp else "",
            insp.get_stage_display() if insp else "",
        ]

    return table_download(
        actor=user,
        name=_("单位名录.xlsx"),
        tables=[Table(_("单位名录"), head, (row(o) for o in orgs))],
        object_type="registry.org_list",
        filters=_filters_of(filters),
    )


def _cadre_export(user: User, cadres: Any, filters: dict[str, Any]) -> HttpResponse:
    """The filtered cadres as the page shows them (not the re-import workbook)."""
    head = [_("人员编号"), _("姓名"), _("性别"), _("职级"), _("单位"), _("职务")]
    head += [_("专业类别"), _("籍贯"), _("可任组长"), _("在库")]
    rows = (
        [
            c.code,
            c.name,
            c.gender,
            c.rank,
            c.unit_name,
            c.post,
            "、".join(c.skills),
            c.origin.name if c.origin else "",
            c.can_lead,
            c.active,
        ]
        for c in cadres
    )
    return table_download(
        actor=user,
        name=_("巡视干部人才库.xlsx"),
        tables=[Table(_("巡视干部人才库"), head, rows)],
        object_type="registry.cadre_list",
        filters=_filters_of(filters),
    )


@require_safe
def org_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    user: User = request.user
    org = get_org_for(user, pk)
    inspections = round_queries.org_inspections(org)
    children = queries.org_children(org)
    related = {c.pk for c in children} | ({org.parent_id} if org.parent_id else set())
    show_hits = can(user, "cadre.view") and user.role in _SEES_WHOLE_POOL
    hits = []
    if show_hits:
        pool = list(cadres_visible_to(user).filter(active=True))
        by_code = {c.code: c for c in pool}
        hits = [{"hit": h, "cadre": by_code[h.cadre_code]} for h in hits_between(pool, [org])]
    return render(
        request,
        "registry/org_detail.html",
        {
            "org": org,
            "children": children,
            "inspections": inspections,
            "show_hits": show_hits,
            "hits": hits,
            "open_orgs": _visible_org_ids(user, related),
            "open_inspections": _visible_inspection_ids(user, {i.pk for i in inspections}),
            "principal_open": bool(
                org.principal_id and _visible_cadre_ids(user, {org.principal_id})
            ),
            "can_edit": can(user, "org.edit"),
        },
    )


def _save_org(request: SignedInRequest, form: OrgForm) -> OrgUnit | None:
    try:
        org, changed = actions.org_upsert(
            actor=request.user, body=form.body_for_save(), data=form.to_input()
        )
    except ValidationError as e:
        form.add_error(None, e)
        return None
    if changed:
        messages.success(request, _("已保存“%(name)s”。") % {"name": org.name})
    else:
        messages.info(request, _("内容没有变化。"))
    return org


def org_create(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    require(user, "org.edit")
    bodies = bodies_for(user)
    form = OrgForm(request.POST if request.method == "POST" else None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        org = _save_org(request, form)
        if org is not None:
            return redirect("org_detail", pk=org.pk)
    return render(request, "registry/org_form.html", {"form": form, "org": None})


def org_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    org = get_org_for(request.user, pk, write=True)
    form = OrgForm(request.POST if request.method == "POST" else None, org=org)
    if request.method == "POST" and form.is_valid() and _save_org(request, form) is not None:
        return redirect("org_detail", pk=org.pk)
    return render(request, "registry/org_form.html", {"form": form, "org": org})


@require_safe
def cadre_list(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    require(user, "cadre.view")
    visible = cadres_visible_to(user)
    form = CadreFilterForm(request.GET, skills=queries.cadre_skills(visible))
    filters = form.filters()
    cadres = queries.cadres_filtered(visible, **filters)
    if _wants_export(request):
        return _cadre_export(user, cadres, filters)
    page = Paginator(cadres, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/cadre_list.html",
        {
            "form": form,
            "page": page,
            "query": form.query(),
        },
    )


def _hits_of(user: User, cadre: Cadre) -> list[dict[str, Any]]:
    """The cadre's avoidance hits against the in-scope organizations the user may see."""
    targets = list(orgs_visible_to(user).filter(in_scope=True))
    by_code = {o.code: o for o in targets}
    waivers = queries.cadre_waivers(cadre)
    return [
        {
            "hit": h,
            "org": by_code[h.target_code],
            "waiver": waivers.get((h.rule, h.target_code)),
            "form": WaiverForm(
                initial={"cadre": cadre.pk, "target": by_code[h.target_code].pk, "rule": h.rule},
                auto_id=f"id_w{n}_%s",
            ),
        }
        for n, h in enumerate(hits_between([cadre], targets))
    ]


@require_safe
def cadre_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    user: User = request.user
    cadre = get_cadre_for(user, pk)
    teams = round_queries.cadre_teams(cadre)
    inspections = [i for m in teams for i in m.team.inspections.all()]
    hits = _hits_of(user, cadre)
    return render(
        request,
        "registry/cadre_detail.html",
        {
            "cadre": cadre,
            **queries.cadre_record(cadre),
            "teams": teams,
            "hits": hits,
            "open_orgs": _visible_org_ids(
                user,
                {i.target_id for i in inspections} | ({cadre.unit_id} if cadre.unit_id else set()),
            ),
            "open_inspections": _visible_inspection_ids(user, {i.pk for i in inspections}),
            "can_edit": can(user, "cadre.edit"),
        },
    )


def cadre_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    cadre = get_cadre_for(request.user, pk, write=True)
    form = CadreForm(request.POST if request.method == "POST" else None, cadre=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            _cadre, changed = actions.cadre_upsert(
                actor=request.user,
                body=cadre.body,
                data=form.to_input(actions.cadre_history_inputs(cadre)),
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if changed:
                messages.success(request, _("已保存%(name)s的基本信息。") % {"name": cadre.name})
            else:
                messages.info(request, _("内容没有变化。"))
            return redirect("cadre_detail", pk=cadre.pk)
    return render(request, "registry/cadre_form.html", {"form": form, "cadre": cadre})


@require_POST
def waiver_create(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    require(user, "cadre.edit")
    form = WaiverForm(request.POST)
    if not form.is_valid():
        if "cadre" not in form.cleaned_data:
            return redirect("cadre_list")
        cadre = get_cadre_for(user, form.cleaned_data["cadre"], write=True)
        if "reason" in form.errors or "approver" in form.errors:
            messages.error(request, _("豁免回避须写明理由和批准人。"))
        else:
            messages.error(request, _("提交的豁免信息不完整，请重新操作。"))
        return redirect("cadre_detail", pk=cadre.pk)
    d = form.cleaned_data
    cadre = get_cadre_for(user, d["cadre"], write=True)
    target = get_org_for(user, d["target"])
    hit = next((h for h in hits_between([cadre], [target]) if h.rule == d["rule"]), None)
    if hit is None or hit.waived:
        messages.error(request, _("该回避情形不存在或已经豁免。"))
        return redirect("cadre_detail", pk=cadre.pk)
    try:
        actions.waiver_create(
            actor=user,
            cadre=cadre,
            target=target,
            rule=hit.rule,
            reason=d["reason"],
            approver=d["approver"],
        )
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(
            request,
            _("已豁免%(name)s对%(org)s的“%(rule)s”回避。")
            % {"name": cadre.name, "org": target.name, "rule": hit.rule_label},
        )
    return redirect("cadre_detail", pk=cadre.pk)


def body_settings(request: SignedInRequest) -> HttpResponse:
    """The office's settings of its own body: how long a team reads a closed inspection."""
    body = get_own_body_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = TeamAccessGraceForm(data, initial={"days": body.team_access_grace_days})
    if request.method == "POST" and form.is_valid():
        try:
            actions.body_set_team_access_grace(
                actor=request.user, body=body, days=form.cleaned_data["days"]
            )
        except ValidationError as e:
            form.add_error("days", e)
        else:
            messages.success(request, _("已保存办结后巡视组查阅期限。"))
            return redirect("body_settings")
    return render(request, "registry/body_settings.html", {"form": form, "body": body})
