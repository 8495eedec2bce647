"""The admins' requests about admins' accounts (三员相互制约): the system or the security admin
asks from the account list, a second admin approves or refuses on the requests page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest

from . import request_actions
from .access import get_account_for, get_admin_request_for
from .forms import AdminRequestForm, DecisionForm
from .queries import admin_requests, admin_requests_awaiting


def _error_text(e: ValidationError) -> str:
    return "；".join(e.messages)


@require_POST
def admin_request_create(request: SignedInRequest, pk: int) -> HttpResponse:
    if not can(request.user, "user.grant"):
        require(request.user, "user.manage")
    target = get_account_for(request.user, pk)
    form = AdminRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择变更事项并填写申请理由。"))
        return redirect("user_list")
    try:
        request_actions.admin_request_create(
            actor=request.user,
            target=target,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as e:
        messages.error(request, _error_text(e))
        return redirect("user_list")
    messages.success(request, _("已提交申请，待另一名管理员批准后生效。"))
    return redirect("admin_request_list")


@require_safe
def admin_request_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "admin_request.decide")
    awaiting = set(admin_requests_awaiting(request.user).values_list("pk", flat=True))
    page = Paginator(admin_requests(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "users/admin_request_list.html",
        {"page": page, "awaiting": awaiting, "query": "", "form": DecisionForm()},
    )


def _decide(
    request: SignedInRequest, pk: int, decide: Callable[..., object], done: str
) -> HttpResponse:
    """Approve or refuse one request (decide is the action), saying what was decided."""
    require(request.user, "admin_request.decide")
    req = get_admin_request_for(request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decide(actor=request.user, req=req, note=note)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    else:
        messages.success(
            request, done % {"kind": req.get_kind_display(), "target": req.target.username}
        )
    return redirect("admin_request_list")


@require_POST
def admin_request_approve(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(
        request, pk, request_actions.admin_request_approve, _("已批准：%(kind)s %(target)s。")
    )


@require_POST
def admin_request_refuse(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(
        request, pk, request_actions.admin_request_refuse, _("已不予批准：%(kind)s %(target)s。")
    )
