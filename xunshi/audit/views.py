"""The audit trail, readable by the audit admin only; each reading and each export is itself
audited."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.sheets import Table

from .actions import record
from .chain import check_rows
from .downloads import table_download
from .forms import TrailFilterForm
from .models import VerificationStatus
from .queries import audit_events, trail_page, trail_rows, verification_for
from .tasks import run_verification
from .verify_actions import verification_request

PER_PAGE = 50
# One export is built inside the request: at most this many events, about 15 s on the loaded
# 2-core machine (bench/audit_trail.py); a longer span is exported in parts.
EXPORT_LIMIT = 10_000
_FILTERS = ("start", "end", "actor", "action", "object_type", "object_id")


def _query(request: SignedInRequest) -> str:
    """The filters of this request as a query string, for the pages and the export."""
    return urlencode({k: request.GET[k] for k in _FILTERS if request.GET.get(k)})


def _invalid(request: SignedInRequest, form: TrailFilterForm, refusal: str = "") -> HttpResponse:
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": None, "query": _query(request), "refusal": refusal},
        status=400,
    )


@require_safe
def audit_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "audit.view")
    form = TrailFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    chosen = form.trail_filter()
    before, after = form.cleaned_data.get("before"), form.cleaned_data.get("after")
    page = trail_page(chosen, before=before, after=after, size=PER_PAGE)
    where = {"older_than": before} if before else {"newer_than": after} if after is not None else {}
    with transaction.atomic():
        record(
            actor=request.user,
            action="audit.view",
            object_type="audit.auditevent",
            object_id=str(page.events[0].id) if page.events else "",
            after={"filters": chosen.as_dict(), **where},
        )
    events = page.events
    checks = check_rows(events)
    rows = [(row, checks[row.id]) for row in trail_rows(events)]
    verification = None
    if request.GET.get("verify"):
        # Long work: the worker runs it (tasks.py); this page shows its progress.
        verification = verification_request(
            actor=request.user, full=request.GET["verify"] == "full"
        )
        if verification.status == VerificationStatus.QUEUED:
            run_verification.enqueue(verification.pk)
            verification.refresh_from_db()
    query = _query(request)
    return render(
        request,
        "audit/audit_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "broken": sum(1 for _row, reason in rows if reason),
            "query": query,
            "verification": verification,
        },
    )


@require_safe
def audit_verification(request: SignedInRequest, pk: int) -> HttpResponse:
    """A verification's progress and result, which the trail's page polls."""
    require(request.user, "audit.view")
    verification = verification_for(pk)
    if verification is None:
        raise Http404(_("没有这次核验。"))
    return render(request, "audit/verification.html", {"verification": verification})


# The page's columns, in its order.
HEAD = [
    gettext_lazy("序号"),
    gettext_lazy("时间"),
    gettext_lazy("用户"),
    gettext_lazy("角色"),
    gettext_lazy("操作"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象"),
    gettext_lazy("变更"),
]


@require_safe
def audit_export(request: SignedInRequest) -> HttpResponse:
    require(request.user, "audit.view")
    form = TrailFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    chosen = form.trail_filter()
    events = audit_events(chosen)
    count = events.count()
    if count > EXPORT_LIMIT:
        refusal = _(
            "所选条件下有 {count} 条记录，一次最多导出 {limit} 条：请缩小日期范围分批导出。"
        )
        return _invalid(request, form, refusal.format(count=count, limit=EXPORT_LIMIT))
    rows = (row.cells() for row in trail_rows(events.iterator(chunk_size=2000), all_users=True))
    return table_download(
        actor=request.user,
        name=_("审计日志{day}.xlsx").format(day=f"{timezone.localdate():%Y%m%d}"),
        tables=[
            Table(_("审计日志"), [str(h) for h in HEAD], rows, [8, 20, 18, 16, 22, 14, 36, 60])
        ],
        object_type="audit.auditevent",
        filters=chosen.as_dict(),
    )
