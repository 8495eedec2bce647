"""One inspection's ledger (整改台账) and its items' forms: the plan, progress and claim of the
liaison, the verification of the office.

The ledger shows its items 20 a page, each with its progress; the forms of an item are drawn
on demand (`item_forms`, fetched by htmx when the item comes into view), since drawing every
item's forms made the liaison's ledger the slowest page. A refused form re-renders the
item's page of the ledger with the form's input and the action's Chinese reason (status 200,
nothing saved); a success redirects back to the item on its page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.form_errors import error_text
from xunshi.rounds.access import is_target_body_reader
from xunshi.rounds.models import Inspection
from xunshi.rounds.tabs import inspection_context

from . import actions
from .access import FEEDBACK_ON, get_item_for, get_ledger_inspection_for, ledger_inspections_for
from .disclosure import ledger_figures
from .forms import ClaimForm, LookbackForm, NoticeForm, PlanForm, ProgressForm, VerifyForm
from .models import OPEN_STATUSES, ItemStatus, RectificationItem
from .queries import (
    item_page_number,
    item_warnings,
    later_teams,
    ledger_items,
    published_disclosure,
)

__all__ = [
    "ITEMS_PER_PAGE",
    "item_claim",
    "item_forms",
    "item_plan",
    "item_verify",
    "ledger",
    "progress_report",
]

ITEMS_PER_PAGE = 20
_OPEN_ITEM = (ItemStatus.PENDING, ItemStatus.IN_PROGRESS)
# A refused form, bound with the input: (item id, kind) → form.
Bound = dict[tuple[int, str], Any]


def _forms_allowed(
    request: SignedInRequest, inspection: Inspection, item: RectificationItem, *, reported: bool
) -> dict[str, bool]:
    """Which of the item's forms the user may fill in now (kind → allowed); none for the lower
    body reading a 提级巡察 of its unit."""
    user = request.user
    if is_target_body_reader(user, inspection):
        return {}
    fill, verify = can(user, "ledger.fill"), can(user, "ledger.verify")
    stage, work = inspection.stage, inspection.stage in actions.WORK_STAGES
    return {
        "plan": fill and stage in actions.PLAN_STAGES and item.status in _OPEN_ITEM,
        "progress": fill and work and item.status in _OPEN_ITEM,
        "claim": fill and work and item.status == ItemStatus.IN_PROGRESS and reported,
        "verify": verify and work and item.status == ItemStatus.CLAIMED,
    }


_FORMS = {"plan": PlanForm, "progress": ProgressForm, "claim": ClaimForm, "verify": VerifyForm}


def _forms(item: RectificationItem, allowed: dict[str, bool], bound: Bound) -> dict[str, Any]:
    """The item's forms as the template names them (`plan_form` …), a refused one bound with
    its input and reason, the plan's filled in with the item's plan."""
    initial = {
        "plan": {
            "measures": item.measures,
            "responsible_leader": item.responsible_leader,
            "responsible_department": item.responsible_department,
            "deadline": item.deadline,
            "kind": item.kind,
        }
    }
    return {
        f"{kind}_form": (
            bound.get((item.pk, kind))
            or _FORMS[kind](prefix=f"{kind}-{item.pk}", initial=initial.get(kind))
            if allowed.get(kind)
            else None
        )
        for kind in _FORMS
    }


def _item_rows(
    request: SignedInRequest, inspection: Inspection, items: list[RectificationItem], bound: Bound
) -> list[dict[str, Any]]:
    levels = item_warnings(items, timezone.localdate())
    rows = []
    for item in items:
        reports = list(item.progress.all())
        allowed = _forms_allowed(request, inspection, item, reported=bool(reports))
        row: dict[str, Any] = {
            "item": item,
            "level": levels[item.pk],
            "reports": [{"report": r, "files": list(r.attachments.all())} for r in reports],
            "forms_url": reverse("item_forms", args=[item.pk]) if any(allowed.values()) else "",
        }
        if any(key[0] == item.pk for key in bound):
            row.update(_forms(item, allowed, bound))  # the refused form, drawn in place
        rows.append(row)
    return rows


def _render_ledger(
    request: SignedInRequest,
    inspection: Inspection,
    bound: Bound | None = None,
    page_number: Any = None,
) -> HttpResponse:
    user = request.user
    back = reverse("ledger", args=[inspection.pk])
    lookback_form = None
    # A look-back by a team of one of the body's own later rounds: none yet, no form.
    if (
        can(user, "ledger.verify")
        and inspection.stage in FEEDBACK_ON
        and inspection.rectification_items.filter(status__in=OPEN_STATUSES).exists()
        and (teams := later_teams(inspection)).exists()
    ):
        lookback_form = LookbackForm(teams=teams)
    page = Paginator(ledger_items(inspection), ITEMS_PER_PAGE).get_page(page_number)
    readable = ledger_inspections_for(user).select_related("round")
    context = {
        **inspection_context(user, inspection, "ledger"),
        "back_url": back,
        "dues": inspection.dues.all(),
        "rows": _item_rows(request, inspection, list(page.object_list), bound or {}),
        "page": page,
        "figures": ledger_figures(inspection),
        "notices": inspection.supervision_notices.all(),
        "disclosure": published_disclosure(inspection),
        "can_issue": can(user, "ledger.verify") and inspection.stage in actions.WORK_STAGES,
        "notice_form": NoticeForm(prefix="notice"),
        "lookback_form": lookback_form,
        "look_backs": readable.filter(parent=inspection),
        "parent": (
            readable.filter(pk=inspection.parent_id).first() if inspection.parent_id else None
        ),
    }
    return render(request, "rectification/ledger.html", context)


@require_safe
def ledger(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_ledger_inspection_for(request.user, pk)
    return _render_ledger(request, inspection, page_number=request.GET.get("page"))


@require_safe
def item_forms(request: SignedInRequest, pk: int) -> HttpResponse:
    """The forms of one ledger item: the piece the ledger fetches (htmx) when the item comes
    into view, or a page of their own without htmx."""
    item = get_item_for(request.user, pk)
    allowed = _forms_allowed(request, item.inspection, item, reported=item.progress.exists())
    row = {"item": item, **_forms(item, allowed, {})}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "rectification/_item_forms.html", {"row": row})
    return render(
        request,
        "rectification/item_forms.html",
        {
            **inspection_context(request.user, item.inspection, "ledger"),
            "row": row,
            "back": _item_url(item),
        },
    )


def _item_url(item: RectificationItem) -> str:
    """The item on its page of the ledger."""
    url = reverse("ledger", args=[item.inspection_id])
    if (number := item_page_number(item, ITEMS_PER_PAGE)) > 1:
        url += f"?page={number}"
    return f"{url}#item-{item.seq}"


def _back_to(item: RectificationItem) -> HttpResponse:
    return redirect(_item_url(item))


def _refused(
    request: SignedInRequest, item: RectificationItem, kind: str, form: Any, text: str
) -> HttpResponse:
    messages.error(request, text)
    number = item_page_number(item, ITEMS_PER_PAGE)
    return _render_ledger(request, item.inspection, {(item.pk, kind): form}, number)


@require_POST
def item_plan(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk, fill=True)
    form = PlanForm(request.POST, prefix=f"plan-{item.pk}")
    if not form.is_valid():
        return _refused(request, item, "plan", form, error_text(form))
    try:
        actions.item_plan(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as e:
        form.add_error(None, e)
        return _refused(request, item, "plan", form, "".join(e.messages))
    messages.success(request, _("已保存第%(seq)s项的整改措施。") % {"seq": item.seq})
    return _back_to(item)


@require_POST
def progress_report(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk, fill=True)
    form = ProgressForm(request.POST, request.FILES, prefix=f"progress-{item.pk}")
    if not form.is_valid():
        return _refused(request, item, "progress", form, error_text(form))
    try:
        data = dict(form.cleaned_data)
        actions.progress_report(actor=request.user, item=item, files=data.pop("evidence"), **data)
    except ValidationError as e:
        form.add_error(None, e)
        return _refused(request, item, "progress", form, "".join(e.messages))
    messages.success(request, _("已报告第%(seq)s项的整改进展。") % {"seq": item.seq})
    return _back_to(item)


@require_POST
def item_claim(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk, fill=True)
    form = ClaimForm(request.POST, prefix=f"claim-{item.pk}")
    if not form.is_valid():
        return _refused(request, item, "claim", form, error_text(form))
    try:
        actions.item_claim(actor=request.user, item=item, on=form.cleaned_data["on"])
    except ValidationError as e:
        form.add_error(None, e)
        return _refused(request, item, "claim", form, "".join(e.messages))
    messages.success(request, _("第%(seq)s项已申请销号，待巡视办核验。") % {"seq": item.seq})
    return _back_to(item)


@require_POST
def item_verify(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk, verify=True)
    form = VerifyForm(request.POST, prefix=f"verify-{item.pk}")
    if not form.is_valid():
        return _refused(request, item, "verify", form, error_text(form))
    data = form.cleaned_data
    close = data["decision"] == "close"
    try:
        actions.item_verify(
            actor=request.user, item=item, close=close, reason=data["reason"], on=data["on"]
        )
    except ValidationError as e:
        form.add_error(None, e)
        return _refused(request, item, "verify", form, "".join(e.messages))
    text = _("第%(seq)s项已销号。") if close else _("第%(seq)s项已退回。")
    messages.success(request, text % {"seq": item.seq})
    return _back_to(item)
