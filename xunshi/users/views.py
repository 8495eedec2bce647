"""The two account admins' pages: the system admin opens and disables accounts, the
security admin grants roles; for a team, each does its part for all the team's cadres in
one step (team_actions.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import AdminRequestKind, Role, User, is_admin_account
from xunshi.accounts.otp import REQUIRED_ROLES
from xunshi.audit.downloads import table_download
from xunshi.lib.form_errors import error_text
from xunshi.lib.sheets import Table
from xunshi.rounds.models import Team

from . import actions, request_actions, team_actions
from .access import get_account_for, get_team_for
from .forms import AdminRequestForm, GrantForm, UserCreateForm
from .queries import accounts_matching, team_members, teams_waiting


def _error_text(e: ValidationError) -> str:
    return "；".join(e.messages)


def _require_admin(request: SignedInRequest) -> None:
    """The system admin (opens accounts) or the security admin (grants roles)."""
    if not (can(request.user, "user.manage") or can(request.user, "user.grant")):
        require(request.user, "user.manage")


def _wants_export(request: SignedInRequest) -> bool:
    # The lists' parameter (xunshi/rounds/list_filters.py).
    return request.GET.get("export") == "xlsx"


def _account_rows(users: Iterable[User]) -> Iterator[list[Any]]:
    """The accounts as the list shows them and its export writes them (never the password);
    the labels are translated once, not once a row (an export may hold thousands)."""
    roles = {value: str(label) for value, label in Role.choices}
    unassigned, active, disabled, never = _("（未分配）"), _("启用"), _("停用"), _("从未登录")
    for user in users:
        yield [
            user.username,
            user.full_name,
            user.body.name if user.body else "",
            roles.get(user.role) or unassigned,
            active if user.is_active else disabled,
            timezone.localtime(user.last_login) if user.last_login else never,
        ]


def _account_head() -> list[str]:
    return [_("用户名"), _("姓名"), _("所属党组织"), _("角色"), _("状态"), _("最近登录")]


@require_safe
def user_list(request: SignedInRequest) -> HttpResponse:
    _require_admin(request)
    q = request.GET.get("q", "").strip()
    never = request.GET.get("never") == "1"
    no2fa = request.GET.get("no2fa") == "1"
    accounts = accounts_matching(q, never_signed_in=never, without_second_factor=no2fa)
    filters: dict[str, Any] = {"q": q} if q else {}
    if never:
        filters["never"] = 1
    if no2fa:
        filters["no2fa"] = 1
    if _wants_export(request):
        return table_download(
            actor=request.user,
            name=_("用户列表.xlsx"),
            tables=[Table(_("用户列表"), _account_head(), _account_rows(accounts.iterator()))],
            object_type="users.user_list",
            filters=filters,
        )
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "users/user_list.html",
        {
            "page": page,
            "rows": list(zip(page, _account_rows(page), strict=True)),
            "q": q,
            "never": never,
            "no2fa": no2fa,
            "query": urlencode(filters),
            "can_manage": can(request.user, "user.manage"),
            "can_grant": can(request.user, "user.grant"),
            "can_reset_second_factor": can(request.user, "otp.reset"),
            "roles_needing_second_factor": sorted(REQUIRED_ROLES),
            "create_form": UserCreateForm(),
            # An admin's account changes through a second admin's approval: a request form.
            "admin_ids": {u.pk for u in page if is_admin_account(u)},
            "request_form": AdminRequestForm(),
        },
    )


@require_POST
def user_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, "user.manage")
    form = UserCreateForm(request.POST)
    if form.is_valid():
        try:
            user = actions.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, _error_text(e))
        else:
            messages.success(
                request,
                _("已创建账号 %(username)s，请安全管理员分配角色。") % {"username": user.username},
            )
    else:
        messages.error(request, error_text(form))
    return redirect("user_list")


@require_POST
def user_toggle(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    user = get_account_for(request.user, pk)
    try:
        actions.user_set_active(actor=request.user, user=user, active=not user.is_active)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    return redirect("user_list")


def user_grant(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, "user.grant")
    user = get_account_for(request.user, pk)
    form = GrantForm(request.POST or None, initial={"role": user.role, "body": user.body_id})
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        asks = actions.needs_approval(user, role)
        try:
            if asks:
                request_actions.admin_request_create(
                    actor=request.user,
                    target=user,
                    kind=AdminRequestKind.GRANT,
                    role=role,
                    body=form.cleaned_data["body"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                actions.user_grant_role(
                    actor=request.user,
                    user=user,
                    role=role,
                    cadre=form.cleaned_data["cadre"],
                    org=form.cleaned_data["org"],
                    body=form.cleaned_data["body"],
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if asks:
                messages.success(request, _("已提交申请，待另一名管理员批准后生效。"))
                return redirect("admin_request_list")
            messages.success(request, _("已为 %(user)s 设置角色。") % {"user": user})
            return redirect("user_list")
    return render(request, "users/user_grant.html", {"form": form, "target": user})


def _team_row(team: Team) -> list[Any]:
    return [team.round.name, team.name, team.no_account, team.no_role]  # type: ignore[attr-defined]


@require_safe
def team_account_list(request: SignedInRequest) -> HttpResponse:
    _require_admin(request)
    teams = teams_waiting()
    if _wants_export(request):
        head = [_("轮次"), _("巡视组"), _("尚无账号"), _("待确认角色")]
        return table_download(
            actor=request.user,
            name=_("巡视组账号.xlsx"),
            tables=[Table(_("巡视组账号"), head, (_team_row(t) for t in teams))],
            object_type="users.team_account_list",
        )
    page = Paginator(teams, 50).get_page(request.GET.get("page"))
    return render(request, "users/team_account_list.html", {"page": page, "query": ""})


def _team_page(
    request: SignedInRequest, pk: int, opened: list[team_actions.FirstPassword] | None = None
) -> HttpResponse:
    team = get_team_for(request.user, pk)
    members = list(team_members(team))
    return render(
        request,
        "users/team_accounts.html",
        {
            "team": team,
            "members": members,
            "no_account": sum(1 for m in members if not hasattr(m.cadre, "user")),
            "no_role": sum(
                1 for m in members if hasattr(m.cadre, "user") and not m.cadre.user.role
            ),
            "can_manage": can(request.user, "user.manage"),
            "can_grant": can(request.user, "user.grant"),
            "opened": opened or [],
        },
    )


@require_safe
def team_accounts(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _team_page(request, pk)


@never_cache  # the answer shows first passwords: no cache may keep it
@require_POST
def team_accounts_create(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    team = get_team_for(request.user, pk)
    try:
        opened = team_actions.team_accounts_create(actor=request.user, team=team)
    except ValidationError as e:
        messages.error(request, _error_text(e))
        return redirect("team_accounts", pk=team.pk)
    # Shown in this answer only, never stored: no redirect to a page that could show them.
    return _team_page(request, team.pk, opened)


@require_POST
def team_grants_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, "user.grant")
    team = get_team_for(request.user, pk)
    try:
        granted = team_actions.team_grants_confirm(actor=request.user, team=team)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    else:
        messages.success(
            request,
            _("已将%(n)d个账号设为巡视组干部：%(names)s。")
            % {"n": len(granted), "names": "、".join(u.username for u in granted)},
        )
    return redirect("team_accounts", pk=team.pk)
