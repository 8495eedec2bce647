"""Pages of the year's plan (年度巡视巡察工作计划): the versions of the own body's plans, one
version with its rounds, targets and rule check, and its execution (planned against done).

The office edits a draft and opens a new version of an approved plan; the leading group
approves a version on its page (`{% year_plan_approval %}` of the decisions room).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.form_errors import error_text

from . import yearplan_actions as actions
from .access import (
    get_year_plan_for,
    get_year_plan_round_for,
    rounds_visible_to,
    year_plans_visible_to,
)
from .models import YearPlanStatus
from .yearplan_forms import LinkPlanRoundForm, YearPlanForm, YearPlanRoundForm
from .yearplan_queries import year_plan_execution, year_plan_versions
from .yearplan_rules import year_plan_problems


@require_safe
def year_plan_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "coverage.view")
    plans = year_plans_visible_to(request.user).order_by("-year", "-version")
    page = Paginator(plans, 30).get_page(request.GET.get("page"))
    can_edit = can(request.user, "round.edit")
    return render(
        request,
        "rounds/year_plan_list.html",
        {"page": page, "query": "", "form": YearPlanForm() if can_edit else None},
    )


@require_POST
def year_plan_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, "round.edit")
    form = YearPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("year_plan_list")
    body = request.user.body
    if body is None:  # the office always works for a body (a check constraint)
        raise PermissionDenied("您的账号没有所属党组织。")
    try:
        plan = actions.year_plan_create(actor=request.user, body=body, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        return redirect("year_plan_list")
    messages.success(request, _("已新建%(plan)s。") % {"plan": plan})
    return redirect("year_plan_detail", pk=plan.pk)


@require_safe
def year_plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_year_plan_for(request.user, pk)
    can_edit = can(request.user, "round.edit")
    rounds = list(plan.rounds.select_related("round").prefetch_related("targets"))
    draft = plan.status == YearPlanStatus.DRAFT
    own_rounds = rounds_visible_to(request.user).filter(start__year=plan.year)
    return render(
        request,
        "rounds/year_plan_detail.html",
        {
            "plan": plan,
            "rounds": [
                {
                    "row": r,
                    "link_form": (
                        LinkPlanRoundForm(rounds=own_rounds, initial={"round": r.round_id})
                        if can_edit and plan.status != YearPlanStatus.SUPERSEDED
                        else None
                    ),
                }
                for r in rounds
            ],
            "problems": year_plan_problems(plan) if draft else [],
            "versions": year_plan_versions(plan),
            "draft": draft,
            "can_edit": can_edit,
            "round_form": (
                YearPlanRoundForm(body=plan.body, initial={"position": len(rounds) + 1})
                if can_edit and draft
                else None
            ),
        },
    )


@require_POST
def year_plan_round_save(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_year_plan_for(request.user, pk, write=True)
    form = YearPlanRoundForm(request.POST, body=plan.body)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("year_plan_detail", pk=plan.pk)
    data = form.cleaned_data
    try:
        saved = actions.year_plan_round_save(
            actor=request.user,
            plan=plan,
            position=data["position"],
            name=data["name"],
            kind=data["kind"],
            theme=data["theme"],
            theme_tags=data["theme_tags"],
            start=data["start"],
            end=data["end"],
            targets=data["target_codes"],
        )
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    else:
        messages.success(request, _("已保存“%(name)s”。") % {"name": saved.name})
    return redirect("year_plan_detail", pk=plan.pk)


@require_POST
def year_plan_round_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    plan_round = get_year_plan_round_for(request.user, pk)
    try:
        actions.year_plan_round_remove(actor=request.user, plan_round=plan_round)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    return redirect("year_plan_detail", pk=plan_round.plan_id)


@require_POST
def year_plan_link(request: SignedInRequest, pk: int) -> HttpResponse:
    plan_round = get_year_plan_round_for(request.user, pk)
    rounds = rounds_visible_to(request.user).filter(start__year=plan_round.plan.year)
    form = LinkPlanRoundForm(request.POST, rounds=rounds)
    if not form.is_valid():
        messages.error(request, error_text(form))
    else:
        try:
            actions.year_plan_link_round(
                actor=request.user, plan_round=plan_round, round=form.cleaned_data["round"]
            )
        except ValidationError as e:
            messages.error(request, "".join(e.messages))
    return redirect("year_plan_detail", pk=plan_round.plan_id)


@require_POST
def year_plan_revise(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_year_plan_for(request.user, pk, write=True)
    try:
        draft = actions.year_plan_revise(actor=request.user, plan=plan)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        return redirect("year_plan_detail", pk=plan.pk)
    messages.success(request, _("已新建%(plan)s，修改后须重新报领导小组审批。") % {"plan": draft})
    return redirect("year_plan_detail", pk=draft.pk)


@require_safe
def year_plan_execution_page(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_year_plan_for(request.user, pk)
    rows = year_plan_execution(plan)
    totals = {
        "planned": sum(r.planned for r in rows),
        "arranged": sum(r.arranged for r in rows),
        "done": sum(r.done for r in rows),
    }
    return render(
        request,
        "rounds/year_plan_execution.html",
        {"plan": plan, "rows": rows, "totals": totals},
    )
