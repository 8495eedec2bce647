"""The office's portal pages: the intake overview with 立即拉取, the announcements, routing a
report by hand, and the sealed original of a file.

Every view reads as form → access (intake.access) → action (intake.actions) → render. A
refused form comes back on its page with the reasons (status 200) and nothing saved.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_response
from xunshi.rounds.list_filters import list_export, list_page, wants_export

from . import actions
from .access import (
    announceable_inspections_for,
    get_announceable_inspection_for,
    get_submission_for,
    require_portal_manager,
    routes_portal_reports,
)
from .forms import AnnouncementForm, RouteForm
from .queries import announcement_rows, overview, with_wanted


def _home(request: SignedInRequest, route_form: RouteForm | None = None, failed: int = 0) -> Any:
    inspections = announceable_inspections_for(request.user)
    o = overview(routes_reports=routes_portal_reports(request.user))
    unrouted_page = list_page(o.unrouted, request.GET.get("page"))
    choices: list[Any] | None = None
    unrouted = []
    for s in unrouted_page.object_list:
        form = None
        if s.kind == "report":
            form = route_form if route_form is not None and s.pk == failed else None
            if form is None:
                form = RouteForm(inspections=inspections, prefix=f"s{s.pk}", choices=choices)
                choices = choices or form.drawn_choices()
        unrouted.append((s, form))
    outbox_page = list_page(o.outbox, request.GET.get("outbox_page"))
    return render(
        request,
        "intake/home.html",
        {
            "o": o,
            "unrouted": unrouted,
            "unrouted_page": unrouted_page,
            "unreadable_page": list_page(o.unreadable, request.GET.get("unreadable_page")),
            "outbox_page": outbox_page,
            "outbox_rows": with_wanted(outbox_page.object_list),
            # Each list's page links keep the other lists' pages.
            "query": _pages(request, "page"),
            "unreadable_query": _pages(request, "unreadable_page"),
            "outbox_query": _pages(request, "outbox_page"),
        },
    )


def _pages(request: SignedInRequest, own: str) -> str:
    names = ("page", "unreadable_page", "outbox_page")
    return urlencode({n: request.GET[n] for n in names if n != own and request.GET.get(n)})


@require_safe
def intake_home(request: SignedInRequest) -> HttpResponse:
    require_portal_manager(request.user)
    return _home(request)  # type: ignore[no-any-return]


@require_POST
def intake_pull(request: SignedInRequest) -> HttpResponse:
    require_portal_manager(request.user)
    result = actions.portal_sync(actor=request.user)
    pull = result.pull
    if pull.pulled:
        messages.success(
            request,
            _("已拉取%(n)s件：%(routed)s件已转为信访件，%(waiting)s件待巡视办处理。")
            % {"n": pull.pulled, "routed": pull.routed, "waiting": pull.unrouted + pull.unreadable},
        )
    elif not pull.error:
        messages.info(request, _("门户网站没有新的举报。"))
    if result.push.pushed:
        messages.success(
            request, _("已向门户网站推送%(n)s条办理状态。") % {"n": result.push.pushed}
        )
    for error in result.errors:
        messages.error(request, error)
    return redirect("intake_home")


@require_POST
def submission_route(request: SignedInRequest, pk: int) -> HttpResponse:
    submission = get_submission_for(request.user, pk)
    form = RouteForm(
        request.POST, inspections=announceable_inspections_for(request.user), prefix=f"s{pk}"
    )
    if form.is_valid():
        try:
            actions.portal_submission_route(
                actor=request.user,
                submission=submission,
                inspection=form.cleaned_data["inspection"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            petition = submission.petition
            messages.success(
                request,
                _("门户举报%(ref)s已登记为%(team)s第%(seq)s号信访件。")
                % {
                    "ref": submission.ref,
                    "team": form.cleaned_data["inspection"].team.name,
                    "seq": petition.seq if petition else "",
                },
            )
            return redirect("intake_home")
    return _home(request, route_form=form, failed=pk)  # type: ignore[no-any-return]


@require_safe
def submission_file(request: SignedInRequest, pk: int, n: int) -> HttpResponse:
    """The original of the n-th file (with its metadata: evidence, for the office only)."""
    submission = get_submission_for(request.user, pk)
    try:
        payload = actions.portal_original(actor=request.user, submission=submission)
    except ValidationError as e:
        raise Http404(e.messages[0]) from None
    files = payload.get("files") or []
    if not 1 <= n <= len(files) or not isinstance(files[n - 1], dict):
        raise Http404(_("没有找到该附件。"))
    try:
        data = base64.b64decode(files[n - 1].get("original") or "", validate=True)
    except (binascii.Error, ValueError):
        raise Http404(_("该附件的原件已损坏。")) from None
    name = str(files[n - 1].get("name") or f"附件{n}")
    return download_response(data, name=name, content_type="application/octet-stream", sandbox=True)


def _announcements(
    request: SignedInRequest, bound: AnnouncementForm | None = None, bound_pk: int = 0
) -> HttpResponse:
    rows = announcement_rows(announceable_inspections_for(request.user))
    for row in rows:
        pk = row["inspection"].pk
        row["form"] = (
            bound
            if bound is not None and pk == bound_pk
            else AnnouncementForm(initial=row["initial"], prefix=f"a{pk}")
        )
    return render(request, "intake/announcements.html", {"rows": rows})


@require_safe
def announcement_list(request: SignedInRequest) -> HttpResponse:
    require_portal_manager(request.user)
    if wants_export(request.GET):
        rows = announcement_rows(announceable_inspections_for(request.user))
        return list_export(
            request,
            name=_("巡视公告.xlsx"),
            title=_("巡视公告"),
            head=[
                _("巡视组"),
                _("被巡视单位"),
                _("阶段"),
                _("值班电话"),
                _("邮政信箱"),
                _("通讯地址"),
                _("受理范围"),
                _("举报页面（二维码）"),
                _("发布时间"),
            ],
            rows=(_announcement_row(row) for row in rows),
            object_type="intake.portalannouncement",
        )
    return _announcements(request)


def _announcement_row(row: dict[str, Any]) -> list[Any]:
    # What is saved, not the form's suggestions for an inspection with no announcement yet.
    inspection, ann = row["inspection"], row["announcement"]
    published = timezone.localtime(ann.published_at) if ann and ann.published_at else None
    return [
        inspection.team.name,
        inspection.target.name,
        inspection.get_stage_display(),
        ann.phone if ann else "",
        ann.mailbox if ann else "",
        ann.address if ann else "",
        ann.scope if ann else "",
        row["link"],
        published or _("尚未发布"),
    ]


@require_POST
def announcement_save(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_announceable_inspection_for(request.user, pk)
    form = AnnouncementForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        try:
            actions.announcement_save(
                actor=request.user, inspection=inspection, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            published = actions.portal_publish(actor=request.user)
            if published.error:
                messages.warning(
                    request,
                    _("巡视公告已保存，但暂未发布到门户网站（%(error)s），下次同步时将自动发布。")
                    % {"error": published.error},
                )
            else:
                messages.success(
                    request,
                    _("%(org)s巡视公告已保存并发布到门户网站。") % {"org": inspection.target.name},
                )
            return redirect("announcement_list")
    return _announcements(request, form, pk)
