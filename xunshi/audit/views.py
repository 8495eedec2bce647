"""The audit trail, readable by the audit admin only; each query is itself audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest

from .actions import record
from .chain import verify_chain
from .queries import audit_events


@require_safe
def audit_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "audit.view")
    q = request.GET.get("q", "").strip()
    page = Paginator(audit_events(q), 50).get_page(request.GET.get("page"))
    with transaction.atomic():
        record(
            actor=request.user,
            action="audit.view",
            object_type="audit.auditevent",
            object_id=str(page.number),
            after={"q": q, "page": page.number},
        )
    verified = None
    if request.GET.get("verify"):
        count, brk = verify_chain()
        verified = {"count": count, "break": brk}
    return render(
        request,
        "audit/audit_list.html",
        {"page": page, "q": q, "query": f"q={q}", "verified": verified},
    )
