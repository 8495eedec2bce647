"""Pages of the rectification ledger: the list of ledgers, the village ledger, the
supervision page (督办), the documents, the look-back and the published disclosure (one
inspection's ledger and its items' forms are in `ledger_views`).

Every view reads as form → access (rectification.access) → action → render or redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_response
from xunshi.deadlines.rules import warning_thresholds
from xunshi.lib.form_errors import error_text
from xunshi.rounds.access import work_word_of
from xunshi.rounds.documents import DOCX_CONTENT_TYPE
from xunshi.rounds.list_filters import (
    ListFilterForm,
    filter_rounds,
    filter_units,
    list_export,
    list_page,
    wants_export,
)
from xunshi.rounds.tabs import inspection_context

from . import actions, documents
from .access import (
    get_ledger_inspection_for,
    get_notice_for,
    ledger_inspections_for,
    village_ledger_inspections_for,
)
from .disclosure import disclosure_text
from .forms import (
    LookbackForm,
    NoticeForm,
    VillageLedgerFilterForm,
)
from .lookback_actions import lookback_create
from .models import OPEN_STATUSES, ItemStatus
from .queries import (
    item_warnings,
    ledger_list,
    ledger_rows,
    published_disclosure,
    supervision_items,
    supervision_units,
    teams_of_other_rounds,
    village_items,
    village_ledgers,
    village_page_items,
    village_townships,
)

VILLAGE_ITEMS_PER_PAGE = 50
# A unit of 督办 is a card with every warned item of its ledger (dozens at a national size).
SUPERVISED_UNITS_PER_PAGE = 20


def _download(content: bytes, name: str) -> HttpResponse:
    return download_response(content, name=name, content_type=DOCX_CONTENT_TYPE)


# --- the list of ledgers ----------------------------------------------------------------------


_LEDGER_STATUSES = [("open", gettext_lazy("有未销号事项")), *ItemStatus.choices]
_SUPERVISED_STATUSES = [c for c in ItemStatus.choices if c[0] in OPEN_STATUSES]


def _filter_form(request: SignedInRequest, inspections: Any, **kwargs: Any) -> ListFilterForm:
    form = ListFilterForm(
        request.GET,
        rounds=filter_rounds(inspections),
        stages=True,
        units=filter_units(inspections),
        colours=("red", "yellow", "green"),
        word=work_word_of(request.user),
        **kwargs,
    )
    if (text := form.message()) and not wants_export(request.GET):
        messages.warning(request, text)
    return form


def _colour_text(red: int, yellow: int, green: int) -> str:
    parts = [
        _("红色 %(n)s") % {"n": red} if red else "",
        _("黄色 %(n)s") % {"n": yellow} if yellow else "",
        _("绿色 %(n)s") % {"n": green} if green else "",
    ]
    return " ".join(p for p in parts if p) or "—"


@require_safe
def ledger_home(request: SignedInRequest) -> HttpResponse:
    """整改台账: one row per ledger the user reads, filtered, 50 a page, or all as Excel."""
    user = request.user
    require(user, "ledger.view")
    scope = ledger_inspections_for(user)
    form = _filter_form(
        request,
        scope,
        statuses=_LEDGER_STATUSES,
        dates=gettext_lazy("整改时限"),
        overdue=gettext_lazy("逾期"),
    )
    filters = form.filters()
    today = timezone.localdate()
    thresholds = warning_thresholds(body_id=user.body_id)
    ids = ledger_list(scope, filters, today=today, thresholds=thresholds).values_list(
        "pk", flat=True
    )
    if wants_export(request.GET):
        rows = ledger_rows(list(ids), today=today, thresholds=thresholds)
        return list_export(
            request,
            name=_("整改台账.xlsx"),
            title=_("整改台账"),
            head=_ledger_head(),
            rows=(
                [
                    i.target.name,
                    i.round.name,
                    i.team.name,
                    i.get_stage_display(),
                    i.total,
                    i.closed,
                    _colour_text(i.red, i.yellow, i.green),
                ]
                for i in rows
            ),
            object_type="rectification.ledger_list",
            filters=filters,
        )
    page = list_page(ids, request.GET.get("page"))
    return render(
        request,
        "rectification/ledger_home.html",
        {
            "inspections": ledger_rows(list(page.object_list), today=today, thresholds=thresholds),
            "villages": village_ledger_inspections_for(user).exists(),
            "form": form,
            "query": form.query(),
            "page": page,
        },
    )


def _ledger_head() -> list[str]:
    return [_("被巡视单位"), _("轮次"), _("巡视组"), _("阶段"), _("问题"), _("已销号"), _("预警")]


@require_safe
def village_ledger(request: SignedInRequest) -> HttpResponse:
    """村级整改台账: every ledger item of the villages the user follows, one row each; the
    office filters by township, a township's liaison sees its own villages."""
    ledgers = village_ledgers(village_ledger_inspections_for(request.user))
    form = VillageLedgerFilterForm(request.GET, townships=village_townships(ledgers))
    today = timezone.localdate()
    # The villages are the county's, so are the user's body's rules (a township's liaison
    # works for the county whose registry holds the township).
    thresholds = warning_thresholds(body_id=request.user.body_id)
    filters = form.filters()
    items = village_items(ledgers, today=today, thresholds=thresholds, **filters)
    ids = items.values_list("pk", flat=True)
    if wants_export(request.GET):
        return _village_export(request, list(ids), filters, today, thresholds)
    page = Paginator(ids, VILLAGE_ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    shown = village_page_items(list(page.object_list))
    levels = item_warnings(shown, today, thresholds)
    return render(
        request,
        "rectification/village_ledger.html",
        {
            "form": form,
            "page": page,
            "query": form.query(),
            "rows": [{"item": item, "level": levels[item.pk]} for item in shown],
        },
    )


def _village_export(
    request: SignedInRequest,
    ids: list[int],
    filters: dict[str, Any],
    today: Any,
    thresholds: tuple[int, int],
) -> HttpResponse:
    """The village ledger's rows under its filters, every page, as Excel."""
    head = [_("乡镇（街道）"), _("村（社区）"), _("序号"), _("问题"), _("整改时限"), _("状态")]
    head.append(_("预警"))
    words = {"red": _("红色"), "yellow": _("黄色"), "green": _("绿色"), "": "—"}

    def rows() -> Any:
        # A thousand rows at a time: the page's loader, not one query per row.
        for start in range(0, len(ids), 1000):
            items = village_page_items(ids[start : start + 1000])
            levels = item_warnings(items, today, thresholds)
            for item in items:
                target = item.inspection.target
                yield [
                    target.parent.name if target.parent else "—",
                    target.name,
                    item.seq,
                    item.title,
                    item.deadline,
                    item.get_status_display(),
                    words[levels[item.pk]],
                ]

    township = filters.get("township")
    return list_export(
        request,
        name=_("村级整改台账.xlsx"),
        title=_("村级整改台账"),
        head=head,
        rows=rows(),
        object_type="rectification.village_ledger",
        filters={
            "township": township.pk if township else None,
            "status": filters.get("status"),
            "level": filters.get("level"),
        },
    )


# --- documents --------------------------------------------------------------------------------


@require_safe
def rect_report_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_ledger_inspection_for(request.user, pk)
    return _download(*documents.report_export(actor=request.user, inspection=inspection))


@require_safe
def notice_docx_download(request: SignedInRequest, pk: int) -> HttpResponse:
    notice = get_notice_for(request.user, pk)
    return _download(*documents.notice_export(actor=request.user, notice=notice))


# --- supervision ------------------------------------------------------------------------------


@require_safe
def supervision(request: SignedInRequest) -> HttpResponse:
    """整改督办: the units with red or yellow items, the most red first, filtered, 20 units a
    page, or every warned item as Excel."""
    user = request.user
    require(user, "supervision.view")
    scope = ledger_inspections_for(user)
    form = _filter_form(
        request,
        scope,
        statuses=_SUPERVISED_STATUSES,
        dates=gettext_lazy("整改时限"),
        overdue=gettext_lazy("逾期"),
    )
    filters = form.filters()
    today = timezone.localdate()
    # The thresholds of the 督办函, which lists the same items (`notice_issue`).
    thresholds = warning_thresholds()
    units = supervision_units(scope, filters, today=today, thresholds=thresholds)
    if wants_export(request.GET):
        groups = supervision_items(list(units), filters, today=today, thresholds=thresholds)
        return list_export(
            request,
            name=_("整改督办.xlsx"),
            title=_("整改督办"),
            head=_supervision_head(),
            rows=_supervision_rows(groups),
            object_type="rectification.supervision",
            filters=filters,
        )
    page = list_page(units, request.GET.get("page"), SUPERVISED_UNITS_PER_PAGE)
    groups = supervision_items(list(page.object_list), filters, today=today, thresholds=thresholds)
    red, yellow = units.totals
    return render(
        request,
        "rectification/supervision.html",
        {
            "groups": groups,
            "today": today,
            "red": red,
            "yellow": yellow,
            "can_issue": can(user, "ledger.verify"),
            # One date input, drawn once for every unit's 督办函 form: a form's widget is a
            # template of its own, which cost 6 ms a unit.
            "notice_on": NoticeForm(prefix="notice")["on"].as_widget(),
            "form": form,
            "query": form.query(),
            "page": page,
        },
    )


def _supervision_head() -> list[str]:
    return [
        _("被巡视单位"),
        _("轮次"),
        _("巡视组"),
        _("责任领导"),
        _("序号"),
        _("问题"),
        _("责任部门"),
        _("整改时限"),
        _("状态"),
        _("预警"),
    ]


def _supervision_rows(groups: list[Any]) -> Any:
    for g in groups:
        i = g.inspection
        for lg in g.leaders:
            for w in lg.rows:
                item = w.item
                yield [
                    i.target.name,
                    i.round.name,
                    i.team.name,
                    lg.leader or "—",
                    item.seq,
                    item.title,
                    item.responsible_department or "—",
                    item.deadline,
                    w.status_text,
                    w.tag_text,
                ]


@require_POST
def notice_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_ledger_inspection_for(request.user, pk, verify=True)
    form = NoticeForm(request.POST, prefix="notice")
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("supervision")
    try:
        notice = actions.notice_issue(
            actor=request.user, inspection=inspection, on=form.cleaned_data["on"]
        )
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        return redirect("supervision")
    messages.success(
        request,
        _("已向%(org)s发出督办函%(number)s。")
        % {"org": inspection.target.name, "number": notice.number},
    )
    return redirect("supervision")


# --- look-back and disclosure -----------------------------------------------------------------


@require_POST
def lookback(request: SignedInRequest, pk: int) -> HttpResponse:
    parent = get_ledger_inspection_for(request.user, pk, verify=True)
    require(request.user, "inspection.edit")
    form = LookbackForm(request.POST, teams=teams_of_other_rounds(parent))
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("ledger", pk=parent.pk)
    try:
        child = lookback_create(actor=request.user, parent=parent, team=form.cleaned_data["team"])
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        return redirect("ledger", pk=parent.pk)
    messages.success(
        request,
        _("已安排%(team)s对%(org)s开展“回头看”，带入%(n)s项未销号事项。")
        % {
            "team": child.team.name,
            "org": child.target.name,
            "n": child.rectification_items.count(),
        },
    )
    return redirect("inspection_workspace", pk=child.pk)


@require_safe
def disclosure_page(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = get_ledger_inspection_for(user, pk)
    published = published_disclosure(inspection)
    # The office and the leading group see what the ledger would publish today.
    preview = None
    if published is None and can(user, "supervision.view"):
        preview = disclosure_text(inspection)
    return render(
        request,
        "rectification/disclosure.html",
        {
            **inspection_context(user, inspection, "ledger"),
            "disclosure": published,
            "lines": published.text.splitlines() if published else [],
            "preview": preview.splitlines() if preview else [],
        },
    )
