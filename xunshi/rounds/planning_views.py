"""The planning pages of a round: parameters and targets, the solver's progress, the plan with
its checks, edits with live checks, acceptance, and the two exports.

Only the office plans (capability round.edit); everyone else gets 403, also on the pages
that only show a plan. The working copy of an edited plan lives in the page (a hidden JSON
field, the teams only) and is checked again by `planning.plan_review` on every request, so
nothing but `actions.round_apply_plan` writes it to the database.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import User
from xunshi.audit.downloads import download_response
from xunshi.registry.models import OrgUnit, Sector
from xunshi.registry.queries import cadre_unit_names

from . import actions, village_actions
from .access import get_planning_job_for, get_round_for
from .bodies import decision_missing, pool_body_ids
from .documents import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE, plan_export
from .models import InspectionKind, PlanningJob, Round
from .plan_sheet import PlanSheet, plan_sheet, sector_label, solver_teams
from .planning import propose_targets
from .planning_forms import (
    PlanEditForm,
    ProposeForm,
    RoundParamsForm,
    ScheduleForm,
    WorkingPlanForm,
    pool_skills,
)
from .queries import plan_candidates, round_planning_jobs, round_teams_as_plan

_SECTOR_ORDER = {s: i for i, s in enumerate(Sector.values)}


def _round_for(user: User, pk: int) -> Round:
    require(user, "round.edit")
    return get_round_for(user, pk, write=True)


# --- parameters and targets -------------------------------------------------------------------


def _townships(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The village rows by township (乡镇、街道), townships by code, those without one last."""
    by_township: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        by_township.setdefault(row["org"].parent_id, []).append(row)
    groups = [
        {
            "township": ws[0]["org"].parent,
            "key": str(pk or ""),
            "rows": ws,
            "checked": sum(r["checked"] for r in ws),
        }
        for pk, ws in by_township.items()
    ]
    groups.sort(key=lambda g: (g["township"] is None, g["township"].code if g["township"] else ""))
    return groups


def _groups(
    candidates: QuerySet[OrgUnit], checked: set[int], reasons: Mapping[int, str]
) -> list[dict[str, Any]]:
    by_sector: dict[str, list[dict[str, Any]]] = {}
    for org in candidates.select_related("parent"):
        by_sector.setdefault(org.sector, []).append(
            {"org": org, "checked": org.pk in checked, "reason": reasons.get(org.pk, "")}
        )
    return [
        {
            "sector": sector,
            "label": sector_label(sector),
            "rows": rows,
            "checked": sum(r["checked"] for r in rows),
            # A county's villages come by township, each township selectable at once.
            "townships": _townships(rows) if sector == Sector.VILLAGE else [],
        }
        for sector, rows in sorted(by_sector.items(), key=lambda kv: _SECTOR_ORDER.get(kv[0], 99))
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def round_plan(request: SignedInRequest, pk: int) -> HttpResponse:
    rnd = _round_for(request.user, pk)
    village = rnd.kind == InspectionKind.VILLAGE
    propose = ProposeForm(request.GET or None, village=village)
    try:
        counts = propose.counts()
        proposals = propose_targets(
            rnd.term,
            counties=counts["counties"],
            departments=counts["departments"],
            soes=counts["soes"],
            villages=counts["villages"],
            theme_tags=rnd.theme_tags,
        )
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        proposals = []
    candidates = plan_candidates(rnd)
    allowed = set(candidates.values_list("pk", flat=True))
    proposed = [p.org.pk for p in proposals if p.org.pk in allowed]
    skills = pool_skills(pool_body_ids(rnd))
    if request.method == "POST":
        form = RoundParamsForm(request.POST, candidates=candidates, skills=skills, body=rnd.body)
        if form.is_valid():
            try:
                job = actions.planning_job_create(
                    actor=request.user,
                    round=rnd,
                    params=form.cleaned_data["params"],
                    targets=list(form.cleaned_data["targets"]),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect("plan_job", pk=job.pk)
        checked = {int(v) for v in request.POST.getlist("targets") if v.isdigit()}
    else:
        n = rnd.targets_per_team
        initial = {
            "teams": max(1, math.ceil(len(proposed) / n)),
            "targets_per_team": n,
            "targets": proposed,
        }
        form = RoundParamsForm(initial=initial, candidates=candidates, skills=skills, body=rnd.body)
        checked = set(proposed)
    reasons = {p.org.pk: p.reason for p in proposals}
    groups = _groups(candidates, checked, reasons)
    return render(
        request,
        "rounds/planning_round.html",
        {
            "round": rnd,
            "village": village,
            "form": form,
            "propose": ProposeForm(initial=propose.counts(), village=village),
            "groups": groups,
            "townships": [t for g in groups for t in g["townships"]],
            "tags": sorted({t for g in groups for r in g["rows"] for t in r["org"].tags}),
            "proposed_count": len(proposed),
            "checked_count": len(checked),
            "jobs": round_planning_jobs(rnd, 10),
            "decision_missing": decision_missing(rnd),
        },
    )


# --- a job and its plan -----------------------------------------------------------------------


def _free_cadres(job: PlanningJob, sheet: PlanSheet, number: int) -> list[dict[str, Any]]:
    """The cadres of the problem no team of the working copy holds, for replacing a member
    of team `number`: those who fit first, then those of a unit already in the team, then
    those with an avoidance hit on its targets (offered, so that the check can show it)."""
    used = {p.code for t in sheet.teams for p in t.people}
    team = sheet.teams[number - 1]
    targets = {g.code for g in team.targets}
    units = {c["id"]: c["unit"] for c in job.problem.get("cadres", [])}
    team_units = {units.get(p.code) for p in team.people}
    blocked = {c["cadre"] for c in job.problem.get("conflicts", []) if c["target"] in targets}
    free = [c for c in job.problem.get("cadres", []) if c["id"] not in used]
    unit_names = cadre_unit_names(c["id"] for c in free)
    fit: list[dict[str, str]] = []
    same_unit: list[dict[str, str]] = []
    blocked_rows: list[dict[str, str]] = []
    for c in free:
        notes = [unit_names.get(c["id"], c["unit"].removeprefix("name:"))]
        if c["can_lead"]:
            notes.append(_("可任组长"))
        row = {"id": c["id"], "label": f"{c['name']}（{'，'.join(notes)}）"}
        if c["id"] in blocked:
            blocked_rows.append(row)
        elif c["unit"] in team_units:
            same_unit.append(row)
        else:
            fit.append(row)
    return [
        {"label": _("无回避关系"), "rows": fit},
        {"label": _("与本组成员同单位"), "rows": same_unit},
        {"label": _("与本组对象有回避关系"), "rows": blocked_rows},
    ]


def _context(
    job: PlanningJob,
    teams: Sequence[Mapping[str, Any]] | None = None,
    *,
    open_team: int | None = None,
    errors: Sequence[str] = (),
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "job": job,
        "round": job.round,
        "params": job.params,
        "problem_counts": {
            key: len(job.problem.get(key, [])) for key in ("targets", "cadres", "conflicts")
        },
        "sector_limits": [
            (sector_label(k), v) for k, v in (job.params.get("max_per_team") or {}).items()
        ],
        "errors": list(errors),
        "open_team": open_team,
    }
    if job.plan is None:
        return context
    if teams is None and job.applied_at is not None:
        teams = round_teams_as_plan(job.round)
    sheet = plan_sheet(job, teams)
    working = [
        {"leader": t["leader"], "members": t["members"], "targets": t["targets"]}
        for t in (teams if teams is not None else solver_teams(job))
    ]
    own = solver_teams(job)
    context |= {
        "sheet": sheet,
        "review": sheet.review,
        "solver": dict(sheet.review.solver),
        "working": json.dumps(working, ensure_ascii=False, separators=(",", ":")),
        "changed": [
            n
            for n, (a, b) in enumerate(zip(working, own, strict=False), start=1)
            if (a["leader"], set(a["members"]), set(a["targets"]))
            != (b["leader"], set(b["members"]), set(b["targets"]))
        ],
        "totals": {
            "max_load": max((t.workload for t in sheet.teams), default=0),
            "min_load": min((t.workload for t in sheet.teams), default=0),
            "regions": sum(len(t.regions) for t in sheet.teams),
        },
        "delta": abs(sheet.objective_change or 0),
        "editable": job.applied_at is None and sheet.review.status in ("optimal", "feasible"),
    }
    if open_team is not None and 1 <= open_team <= len(sheet.teams) and context["editable"]:
        team = sheet.teams[open_team - 1]
        context["editor"] = {
            "team": team,
            "others": [t for t in sheet.teams if t.number != open_team],
            "free": _free_cadres(job, sheet, open_team),
            "movable": team.members,
        }
    return context


@require_safe
def plan_job(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_planning_job_for(request.user, pk)
    return render(request, "rounds/planning_job.html", _context(job))


@require_safe
def plan_job_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_planning_job_for(request.user, pk)
    return render(request, "rounds/planning_job_progress.html", _context(job))


@require_POST
def plan_job_stop(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_planning_job_for(request.user, pk)
    try:
        job = actions.planning_job_stop(actor=request.user, job=job)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    else:
        messages.success(request, _("已要求停止计算。"))
    if getattr(request, "htmx", False):
        return render(request, "rounds/planning_job_progress.html", _context(job))
    return redirect("plan_job", pk=job.pk)


@require_POST
def plan_check(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_planning_job_for(request.user, pk)
    if job.plan is None:
        raise Http404("该计算尚未得出方案。")
    form = PlanEditForm(request.POST, problem=job.problem)
    errors: list[str] = []
    teams: list[dict[str, Any]] | None = None
    open_team = None
    if form.is_valid():
        teams = form.cleaned_data["plan"]
        op = form.cleaned_data["op"]
        if op == "reset":
            teams = None
        else:
            open_team = form.cleaned_data.get("team")
            try:
                teams = form.apply(teams if teams is not None else solver_teams(job))
            except ValidationError as e:
                errors = e.messages
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
    context = _context(job, teams, open_team=open_team, errors=errors)
    template = "rounds/planning_result.html" if request.htmx else "rounds/planning_job.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_POST
def plan_accept(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_planning_job_for(request.user, pk)
    form = WorkingPlanForm(request.POST, problem=job.problem)
    teams = None
    try:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        teams = form.cleaned_data["plan"]
        plan = {**job.plan, "teams": teams} if teams is not None and job.plan else None
        created = actions.round_apply_plan(actor=request.user, job=job, plan=plan)
    except ValidationError as e:
        context = _context(job, teams, errors=[_("未采用该方案："), *e.messages])
        return render(request, "rounds/planning_job.html", context)
    said = _("已采用方案，组建了%(n)d个巡视组，分配了%(k)d个巡视对象。") % {
        "n": len(created),
        "k": sum(t.inspections.count() for t in created),
    }
    messages.success(request, job.round.body.own_words(said))
    if job.round.kind == InspectionKind.VILLAGE:
        # The next step of a village round: each team's villages on the calendar.
        return redirect("round_schedule", pk=job.round_id)
    return redirect("round_detail", pk=job.round_id)


# --- the villages' dates (驻村安排) -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def round_schedule(request: SignedInRequest, pk: int) -> HttpResponse:
    """驻村安排: the office lays each team's villages on the round's working days."""
    rnd = _round_for(request.user, pk)
    if rnd.kind != InspectionKind.VILLAGE:
        raise Http404("驻村安排仅适用于对村巡察轮次。")
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid():
            try:
                done = village_actions.round_schedule_villages(
                    actor=request.user, round=rnd, **form.cleaned_data
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(
                    request,
                    _("已排定%(n)d个村（社区）的驻村时间。") % {"n": len(done)},
                )
                return redirect("round_schedule", pk=rnd.pk)
    else:
        form = ScheduleForm(initial={"first": rnd.start, "last": rnd.end})
    inspections = rnd.inspections.select_related("team", "target__parent").order_by(
        "team__number", "batch", "start", "pk"
    )
    teams: dict[int, dict[str, Any]] = {}
    for inspection in inspections:
        team = teams.setdefault(inspection.team_id, {"team": inspection.team, "rows": []})
        team["rows"].append(inspection)
    return render(
        request,
        "rounds/round_schedule.html",
        {"round": rnd, "form": form, "teams": list(teams.values())},
    )


# --- exports ----------------------------------------------------------------------------------


def _export(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    job = get_planning_job_for(request.user, pk)
    if job.plan is None or not solver_teams(job):
        raise Http404("该计算没有可导出的方案。")
    teams = None
    if request.method == "POST":
        form = WorkingPlanForm(request.POST, problem=job.problem)
        if not form.is_valid():
            messages.error(request, "".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect("plan_job", pk=job.pk)
        teams = form.cleaned_data["plan"]
    if teams is None and job.applied_at is not None:
        teams = round_teams_as_plan(job.round)
    content, filename = plan_export(actor=request.user, job=job, kind=kind, teams=teams)
    content_type = XLSX_CONTENT_TYPE if kind == "xlsx" else DOCX_CONTENT_TYPE
    return download_response(content, name=filename, content_type=content_type)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_export_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@require_http_methods(["GET", "HEAD", "POST"])
def plan_export_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")
