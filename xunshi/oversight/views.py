"""Pages of oversight (上下联动): the bodies below with their figures and warnings, those
behind pace, one lower body's terms, rounds, filings and points, one filing, and the own
body's filings and the points addressed to it.

Every view reads as access (oversight.access) → queries or action → render. None links to a
lower body's case pages (inspections, talks, petitions, papers, clues, ledgers): those stay
404 for a higher body. The list of the bodies below and the list behind pace read the figures
the background count kept (`figures_refresh`, every XUNSHI_OVERSIGHT_FIGURES_SECONDS) and say
when they were counted; one lower body's page counts its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.form_errors import error_text
from xunshi.registry.models import InspectingBody

from . import actions
from .access import (
    filings_visible_to,
    get_filing_for,
    get_lower_body_for,
    get_refile_round_for,
    lower_bodies_for,
    own_body_for,
    points_visible_to,
)
from .figures import (
    PHASES,
    REFILE_LATE_DAYS,
    REPORT_LATE_DAYS,
    BodyRow,
    body_rows,
    body_tree,
    tree_pages,
)
from .forms import PointForm, ReturnForm
from .models import Filing, FilingKind, FilingStatus
from .queries import body_round_choices, body_rounds, body_terms, filings_page, points_for

# Rows of the list of bodies below on one page (a province has 175): whole cities per page.
BODIES_PER_PAGE = 50


def _own_body(request: SignedInRequest) -> InspectingBody:
    body = own_body_for(request.user)
    if body is None:
        raise Http404("您的账号没有所属党组织。")
    return body


def _rows(request: SignedInRequest, body: InspectingBody) -> tuple[list[BodyRow], Any]:
    """The rows of the bodies below (only one city's subtree with ?under=<id>), from the
    figures the background count kept while they are younger than two of its periods."""
    user = request.user
    lower = list(lower_bodies_for(user))
    period = dt.timedelta(seconds=settings.XUNSHI_OVERSIGHT_FIGURES_SECONDS)
    fresh = timezone.now() - 2 * period
    under = request.GET.get("under", "")
    if not under:
        return body_rows(body_tree(lower, body.pk), summaries_after=fresh), None
    if not under.isdigit():
        raise Http404("没有找到该下级党组织。")
    top = get_lower_body_for(user, int(under))
    tree = [(top, 0)] + [(b, d + 1) for b, d in body_tree(lower, top.pk)]
    return body_rows(tree, summaries_after=fresh), top


def _counted(rows: list[BodyRow]) -> dict[str, Any]:
    """When the oldest figures shown were counted (none: all counted for this request), and
    how often they are counted, for the page's 截至 line."""
    kept = [r.counted_at for r in rows if r.counted_at is not None]
    return {
        "counted_at": min(kept) if kept else None,
        "count_minutes": max(1, settings.XUNSHI_OVERSIGHT_FIGURES_SECONDS // 60),
    }


def _columns() -> list[str | Promise]:
    return [label for _key, label, _stages in PHASES]


@require_safe
def home(request: SignedInRequest) -> HttpResponse:
    body = _own_body(request)
    rows, under = _rows(request, body)
    user = request.user
    own = filings_visible_to(user).filter(from_body_id=body.pk)
    pages = Paginator(tree_pages(rows, BODIES_PER_PAGE), 1).get_page(request.GET.get("bpage"))
    return render(
        request,
        "oversight/home.html",
        {
            "body": body,
            "rows": pages.object_list[0],
            "body_pages": pages,
            "bodies": len(rows),
            "under": under,
            "phases": _columns(),
            "behind": sum(1 for r in rows if r.reasons),
            "today": timezone.localdate(),
            **_counted(rows),
            "own_filings": filings_page(own, request.GET.get("page")) if body.parent_id else None,
            "points": points_for(points_visible_to(user), body) if body.parent_id else [],
        },
    )


@require_safe
def behind(request: SignedInRequest) -> HttpResponse:
    body = _own_body(request)
    rows, under = _rows(request, body)
    return render(
        request,
        "oversight/behind.html",
        {
            "body": body,
            "rows": [r for r in rows if r.reasons],
            "under": under,
            "today": timezone.localdate(),
            **_counted(rows),
            "report_late_days": REPORT_LATE_DAYS,
            "refile_late_days": REFILE_LATE_DAYS,
        },
    )


@require_safe
def body_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    body = get_lower_body_for(user, pk)
    filings = filings_visible_to(user).filter(from_body_id=body.pk)
    rounds_page, rounds = body_rounds(body, request.GET.get("page"))
    return render(
        request,
        "oversight/body_detail.html",
        {
            "body": body,
            "rows": body_rows([(body, 0)]),
            "phases": _columns(),
            "terms": body_terms(body),
            "rounds_page": rounds_page,
            "rounds": rounds,
            "filings": filings_page(filings, request.GET.get("fpage")),
            "points": points_for(points_visible_to(user), body),
            "can_point": can(user, "oversight.review"),
        },
    )


@require_http_methods(["GET", "POST"])
def point_create(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    body = get_lower_body_for(user, pk)
    require(user, "oversight.review")
    rounds = body_round_choices(body)
    form = PointForm(request.POST or None, rounds=rounds)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, error_text(form))
        else:
            data = form.cleaned_data
            try:
                actions.point_create(
                    actor=user,
                    to_body=body,
                    text=data["text"],
                    due=data["due"],
                    round=data["round"],
                )
            except ValidationError as e:
                messages.error(request, "".join(e.messages))
            else:
                messages.success(request, _("已向%(body)s提出督导要点。") % {"body": body.name})
                return redirect("oversight_body", pk=body.pk)
    return render(request, "oversight/point_form.html", {"body": body, "form": form})


def _filing_page(
    request: SignedInRequest, filing: Filing, form: ReturnForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    may_review = (
        can(user, "oversight.review")
        and filing.to_body_id == user.body_id
        and filing.status == FilingStatus.FILED
    )
    return render(
        request,
        "oversight/filing_detail.html",
        {
            "filing": filing,
            "s": filing.summary,
            "kinds": FilingKind,
            "may_review": may_review,
            "may_return": may_review and filing.kind == FilingKind.PLAN,
            "form": form or ReturnForm(),
            "is_own": filing.from_body_id == user.body_id,
        },
        status=status,
    )


@require_safe
def filing_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _filing_page(request, get_filing_for(request.user, pk))


@require_POST
def filing_return(request: SignedInRequest, pk: int) -> HttpResponse:
    filing = get_filing_for(request.user, pk, review=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _filing_page(request, filing, form)
    try:
        actions.filing_return(actor=request.user, filing=filing, reason=form.cleaned_data["reason"])
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        return _filing_page(request, filing, form)
    done = {"filing": filing, "body": filing.from_body.name}
    messages.success(request, _("已将%(filing)s退回%(body)s。") % done)
    return redirect("oversight_filing", pk=filing.pk)


@require_POST
def filing_accept(request: SignedInRequest, pk: int) -> HttpResponse:
    filing = get_filing_for(request.user, pk, review=True)
    try:
        actions.filing_accept(actor=request.user, filing=filing)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
        return _filing_page(request, filing)
    messages.success(request, _("%(filing)s已审核。") % {"filing": filing})
    return redirect("oversight_filing", pk=filing.pk)


@require_POST
def filing_refile(request: SignedInRequest, pk: int) -> HttpResponse:
    rnd = get_refile_round_for(request.user, pk)
    try:
        filing = actions.filing_refile(actor=request.user, round=rnd)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    else:
        done = {"body": filing.to_body.name, "filing": filing}
        messages.success(request, _("已向%(body)s报备%(filing)s。") % done)
    return redirect("round_detail", pk=rnd.pk)
