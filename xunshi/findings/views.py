"""Pages of the findings: the problems of an inspection by class, a problem made from an
approved paper (the leader), and the problem clues (问题线索): the inspection's list and a
new clue (the team), one clue with its transfer and disposal (the office acts), and the
office's list of disposal feedback overdue across all inspections.

A 高密 clue is shown to the office and the team's leader only (`clues_visible_to`); the
other members see neither it nor how many are hidden. Every view reads as form → access →
action → render, and a refused form comes back with the action's reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import User
from xunshi.deadlines.rules import warning_level, warning_thresholds
from xunshi.fieldwork.access import get_onsite_inspection_for, get_paper_for
from xunshi.fieldwork.paper_forms import ProblemForm
from xunshi.fieldwork.paper_views import paper_page
from xunshi.rounds.access import is_team_member
from xunshi.rounds.models import Inspection
from xunshi.rounds.tabs import inspection_context

from . import actions
from .access import clues_visible_to, get_clue_for, get_report_inspection_for
from .forms import ClueDisposeForm, ClueForm, ClueTransferForm
from .models import Clue
from .queries import clues_disposal_overdue, clues_untransferred

# An untransferred clue older than this is marked on the office's list.
UNTRANSFERRED_WARN_DAYS = 30


def _inspection_for(user: User, pk: int, *, write: bool = False) -> Inspection:
    require(user, "clue.create" if write else "clue.view")
    return get_onsite_inspection_for(user, pk, write=write)


def _may_create(user: User, inspection: Inspection) -> bool:
    return (
        can(user, "clue.create")
        and is_team_member(user, inspection)
        and inspection.stage in actions.CLUE_STAGES
    )


def _warning(clue: Clue, today: dt.date, thresholds: tuple[int, int]) -> str:
    if clue.disposal_due is None or clue.disposal_reported_on is not None:
        return ""
    return warning_level(clue.disposal_due, today, thresholds=thresholds)


def _list_page(
    request: SignedInRequest, inspection: Inspection, form: ClueForm | None = None
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    thresholds = warning_thresholds(body_id=inspection.round.body_id)
    clues = clues_visible_to(user, inspection).order_by("seq")
    rows = [{"clue": c, "warning": _warning(c, today, thresholds)} for c in clues]
    may_create = _may_create(user, inspection)
    return render(
        request,
        "findings/clue_list.html",
        {
            **inspection_context(user, inspection, "clues"),
            "rows": rows,
            # A refused form is shown with its reason even if the stage has moved on.
            "form": form
            if form is not None
            else (ClueForm(inspection=inspection) if may_create else None),
            "may_manage": can(user, "clue.manage"),
        },
    )


@require_safe
def clue_list(request: SignedInRequest, pk: int) -> HttpResponse:
    return _list_page(request, _inspection_for(request.user, pk))


@require_POST
def clue_create(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, write=True)
    form = ClueForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            clue = actions.clue_create(
                actor=request.user, inspection=inspection, **form.action_args()
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已登记%(clue)s。") % {"clue": clue})
            return redirect("clue_detail", pk=clue.pk)
    return _list_page(request, inspection, form)


def _detail(
    request: SignedInRequest,
    clue: Clue,
    *,
    transfer_form: ClueTransferForm | None = None,
    dispose_form: ClueDisposeForm | None = None,
) -> HttpResponse:
    user = request.user
    inspection = get_onsite_inspection_for(user, clue.inspection_id)
    manage = can(user, "clue.manage")
    transferred = clue.transferred_on is not None
    reported = clue.disposal_reported_on is not None
    return render(
        request,
        "findings/clue_detail.html",
        {
            **inspection_context(user, inspection, "clues"),
            "clue": clue,
            "record": clue.talk or clue.petition or clue.document or clue.paper,
            "warning": _warning(
                clue,
                timezone.localdate(),
                warning_thresholds(body_id=inspection.round.body_id),
            ),
            "transfer_form": transfer_form
            or (ClueTransferForm() if manage and not transferred else None),
            "dispose_form": dispose_form
            or (ClueDisposeForm() if manage and transferred and not reported else None),
        },
    )


@require_safe
def clue_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, get_clue_for(request.user, pk))


@require_POST
def clue_transfer(request: SignedInRequest, pk: int) -> HttpResponse:
    clue = get_clue_for(request.user, pk, manage=True)
    form = ClueTransferForm(request.POST)
    if form.is_valid():
        try:
            actions.clue_transfer(actor=request.user, clue=clue, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("已登记移交，处置情况应于%(due)s前反馈。") % {"due": clue.disposal_due}
            )
            return redirect("clue_detail", pk=clue.pk)
    return _detail(request, clue, transfer_form=form)


@require_POST
def clue_dispose(request: SignedInRequest, pk: int) -> HttpResponse:
    clue = get_clue_for(request.user, pk, manage=True)
    form = ClueDisposeForm(request.POST)
    if form.is_valid():
        try:
            actions.clue_dispose(
                actor=request.user,
                clue=clue,
                disposal=form.cleaned_data["disposal"],
                outcome=form.cleaned_data["outcome"],
                reported_on=form.cleaned_data["reported_on"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已登记处置情况。"))
            return redirect("clue_detail", pk=clue.pk)
    return _detail(request, clue, dispose_form=form)


@require_safe
def clue_overdue(request: SignedInRequest) -> HttpResponse:
    """The office's list: disposal feedback overdue, and clues not yet transferred."""
    require(request.user, "clue.manage")
    today = timezone.localdate()
    overdue_rows = [
        {"clue": c, "days": (today - c.disposal_due).days}
        for c in clues_disposal_overdue(request.user.body_id, today)
        if c.disposal_due is not None
    ]
    waiting_rows = []
    for c in clues_untransferred(request.user.body_id):
        days = (today - timezone.localtime(c.created_at).date()).days
        waiting_rows.append({"clue": c, "days": days, "late": days > UNTRANSFERRED_WARN_DAYS})
    return render(
        request,
        "findings/clue_overdue.html",
        {
            "overdue": overdue_rows,
            "waiting": waiting_rows,
            "today": today,
            "warn_days": UNTRANSFERRED_WARN_DAYS,
        },
    )


# --- problems ---------------------------------------------------------------------------------


@require_POST
def problem_create(request: SignedInRequest, pk: int) -> HttpResponse:
    paper = get_paper_for(request.user, pk, write=True)
    form = ProblemForm(request.POST)
    if form.is_valid():
        try:
            problem = actions.problem_create(
                actor=request.user, paper=paper, summary=form.cleaned_data["summary"]
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已形成第%(seq)s个问题。") % {"seq": problem.seq})
            return redirect("paper_detail", pk=paper.pk)
    return paper_page(request, paper, problem_form=form)


def problems_by_category(inspection: Inspection) -> list[dict[str, Any]]:
    """The inspection's problems grouped by their paper's class, in the taxonomy's order."""
    rows = inspection.problems.select_related("paper__category__taxonomy").order_by(
        "paper__category__taxonomy__code",
        "paper__category__position",
        "paper__category__code",
        "seq",
    )
    groups: dict[int, dict[str, Any]] = {}
    for problem in rows:
        category = problem.paper.category
        group = groups.setdefault(category.pk, {"category": category, "problems": []})
        group["problems"].append(problem)
    return list(groups.values())


@require_safe
def problem_list(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_report_inspection_for(request.user, pk)
    return render(
        request,
        "findings/problem_list.html",
        {
            **inspection_context(request.user, inspection, "problems"),
            "groups": problems_by_category(inspection),
        },
    )
