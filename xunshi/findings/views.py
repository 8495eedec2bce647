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
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import User
from xunshi.audit.downloads import table_download
from xunshi.deadlines.rules import warning_level, warning_thresholds
from xunshi.fieldwork.access import get_onsite_inspection_for, get_paper_for
from xunshi.fieldwork.paper_forms import ProblemForm
from xunshi.fieldwork.paper_views import paper_page
from xunshi.lib.sheets import Table
from xunshi.rounds.access import is_team_member, work_word_of
from xunshi.rounds.list_filters import (
    ListFilterForm,
    filter_rounds,
    filter_units,
    in_words,
    list_page,
    wants_export,
)
from xunshi.rounds.models import Inspection
from xunshi.rounds.tabs import inspection_context

from . import actions
from .access import clues_visible_to, get_clue_for, get_report_inspection_for
from .forms import ClueDisposeForm, ClueForm, ClueTransferForm
from .models import Clue, Problem
from .queries import (
    clue_inspections,
    clues_disposal_overdue,
    clues_filtered,
    clues_untransferred,
    problems_filtered,
)

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


def _clue_statuses() -> list[tuple[str, str]]:
    return [("untransferred", _("待移交")), ("awaiting", _("待反馈")), ("reported", _("已反馈"))]


def _warn_wrong(request: SignedInRequest, form: ListFilterForm) -> None:
    if (text := form.message()) and not wants_export(request.GET):
        messages.warning(request, text)


def _clue_state(c: Clue) -> str:
    if c.disposal_reported_on:
        return f"{c.get_disposal_display()}（{c.disposal_reported_on:%Y-%m-%d}）"
    return _("待反馈") if c.transferred_on else _("待移交")


def _recipient(c: Clue) -> str:
    return c.recipient_other if c.recipient == "other" else c.get_recipient_display()


def _list_page(
    request: SignedInRequest, inspection: Inspection, form: ClueForm | None = None
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    thresholds = warning_thresholds(body_id=inspection.round.body_id)
    filter_form = ListFilterForm(
        request.GET,
        colours=("red", "yellow", "green"),
        statuses=_clue_statuses(),
        dates=gettext_lazy("登记日期"),
        overdue=gettext_lazy("处置反馈逾期"),
    )
    _warn_wrong(request, filter_form)
    filters = filter_form.filters()
    clues = clues_filtered(
        clues_visible_to(user, inspection), filters, today=today, thresholds=thresholds
    ).order_by("seq")
    if wants_export(request.GET) and request.method != "POST":
        head = [_("序号"), _("高密"), _("涉及人员"), _("来源"), _("拟移交"), _("移交日期")]
        head += [_("处置反馈期限"), _("处置情况")]
        cells = (
            [
                str(c),
                c.highly_confidential,
                c.persons,
                c.get_source_display(),
                _recipient(c),
                c.transferred_on,
                c.disposal_due,
                _clue_state(c),
            ]
            for c in clues
        )
        return table_download(
            actor=user,
            name=_("问题线索-%(unit)s.xlsx") % {"unit": inspection.target.name},
            tables=[Table(_("问题线索"), head, cells)],
            object_type="inspections.clue",
            filters={"inspection": inspection.pk, **filters.as_dict()},
        )
    page = list_page(clues, request.GET.get("page"))
    rows = [{"clue": c, "warning": _warning(c, today, thresholds)} for c in page.object_list]
    may_create = _may_create(user, inspection)
    return render(
        request,
        "findings/clue_list.html",
        {
            **inspection_context(user, inspection, "clues"),
            "rows": rows,
            "page": page,
            "filters": filter_form,
            "query": filter_form.query(),
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
    """The office's list: disposal feedback overdue, and clues not yet transferred, both
    filtered by round, stage and unit, paged apart (``page``, ``waiting_page``), or both as
    the two sheets of one workbook."""
    user = request.user
    require(user, "clue.manage")
    today = timezone.localdate()
    scope = clue_inspections(user.body_id)
    form = ListFilterForm(
        request.GET,
        rounds=filter_rounds(scope),
        stages=True,
        units=filter_units(scope),
        word=work_word_of(user),
    )
    _warn_wrong(request, form)
    filters = form.filters()
    thresholds = warning_thresholds(body_id=user.body_id)
    overdue = clues_filtered(
        clues_disposal_overdue(user.body_id, today), filters, today=today, thresholds=thresholds
    )
    waiting = clues_filtered(
        clues_untransferred(user.body_id), filters, today=today, thresholds=thresholds
    )
    word = work_word_of(user)
    if wants_export(request.GET):
        return table_download(
            actor=user,
            name=_("线索处置逾期.xlsx"),
            tables=[
                Table(
                    _("处置情况逾期未反馈"),
                    in_words(_OVERDUE_HEAD, word),
                    (_overdue_cells(_overdue_row(c, today)) for c in overdue),
                ),
                Table(
                    _("待移交"),
                    in_words(_WAITING_HEAD, word),
                    (_waiting_cells(_waiting_row(c, today)) for c in waiting),
                ),
            ],
            object_type="inspections.clue_overdue",
            filters=filters.as_dict(),
        )
    overdue_page = list_page(overdue, request.GET.get("page"))
    waiting_page = list_page(waiting, request.GET.get("waiting_page"))
    return render(
        request,
        "findings/clue_overdue.html",
        {
            "overdue": [_overdue_row(c, today) for c in overdue_page.object_list],
            "waiting": [_waiting_row(c, today) for c in waiting_page.object_list],
            "overdue_page": overdue_page,
            "waiting_page": waiting_page,
            "form": form,
            "query": form.query(),
            "today": today,
            "warn_days": UNTRANSFERRED_WARN_DAYS,
        },
    )


_OVERDUE_HEAD = [
    gettext_lazy("被巡视单位"),
    gettext_lazy("轮次"),
    gettext_lazy("巡视组"),
    gettext_lazy("线索"),
    gettext_lazy("接收单位"),
    gettext_lazy("移交日期"),
    gettext_lazy("处置反馈期限"),
    gettext_lazy("逾期天数"),
]
_WAITING_HEAD = [
    gettext_lazy("被巡视单位"),
    gettext_lazy("轮次"),
    gettext_lazy("巡视组"),
    gettext_lazy("线索"),
    gettext_lazy("拟移交"),
    gettext_lazy("登记日期"),
    gettext_lazy("已登记天数"),
]


def _overdue_row(c: Clue, today: dt.date) -> dict[str, Any]:
    assert c.disposal_due is not None  # clues_disposal_overdue: due before today
    return {"clue": c, "days": (today - c.disposal_due).days}


def _waiting_row(c: Clue, today: dt.date) -> dict[str, Any]:
    days = (today - timezone.localtime(c.created_at).date()).days
    return {"clue": c, "days": days, "late": days > UNTRANSFERRED_WARN_DAYS}


def _where(c: Clue) -> list[Any]:
    return [c.inspection.target.name, c.inspection.round.name, c.inspection.team.name, str(c)]


def _overdue_cells(row: dict[str, Any]) -> list[Any]:
    c = row["clue"]
    return [*_where(c), c.receiving_body, c.transferred_on, c.disposal_due, row["days"]]


def _waiting_cells(row: dict[str, Any]) -> list[Any]:
    c = row["clue"]
    created = timezone.localtime(c.created_at).date()
    return [*_where(c), _recipient(c), created, row["days"]]


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


def problems_by_category(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """The problems (in the taxonomy's order) grouped by their paper's class."""
    groups: dict[int, dict[str, Any]] = {}
    for problem in problems:
        category = problem.paper.category
        group = groups.setdefault(category.pk, {"category": category, "problems": []})
        group["problems"].append(problem)
    return list(groups.values())


@require_safe
def problem_list(request: SignedInRequest, pk: int) -> HttpResponse:
    """The inspection's problems by class, made in the dates asked, 50 a page, or as Excel."""
    user = request.user
    inspection = get_report_inspection_for(user, pk)
    form = ListFilterForm(request.GET, dates=gettext_lazy("形成日期"))
    _warn_wrong(request, form)
    filters = form.filters()
    problems = problems_filtered(inspection, filters)
    if wants_export(request.GET):
        head = [_("序号"), _("问题类别"), _("问题"), _("底稿编号"), _("问题表述")]
        rows = (
            [p.seq, p.paper.category.name, p.paper.title, p.paper.number, p.summary]
            for p in problems
        )
        return table_download(
            actor=user,
            name=_("问题-%(unit)s.xlsx") % {"unit": inspection.target.name},
            tables=[Table(_("问题"), head, rows)],
            object_type="inspections.problem",
            filters={"inspection": inspection.pk, **filters.as_dict()},
        )
    page = list_page(problems, request.GET.get("page"))
    return render(
        request,
        "findings/problem_list.html",
        {
            **inspection_context(user, inspection, "problems"),
            "groups": problems_by_category(page.object_list),
            "page": page,
            "form": form,
            "query": form.query(),
        },
    )
