"""Sign-in, password change, and the two account admins' pages (system and security)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import actions
from .access import can, require
from .forms import GrantForm, LoginForm, UserCreateForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        actions.user_password_changed(actor=form.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked.html", status=429)


def _error_text(e: ValidationError) -> str:
    return "；".join(e.messages)


@require_safe
def user_list(request: HttpRequest) -> HttpResponse:
    if not (can(request.user, "user.manage") or can(request.user, "user.grant")):
        require(request.user, "user.manage")
    q = request.GET.get("q", "").strip()
    users = User.objects.order_by("username")
    if q:
        users = users.filter(username__icontains=q) | users.filter(full_name__icontains=q)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": q,
            "query": f"q={q}",
            "can_manage": can(request.user, "user.manage"),
            "can_grant": can(request.user, "user.grant"),
            "create_form": UserCreateForm(),
        },
    )


@require_POST
def user_create(request: HttpRequest) -> HttpResponse:
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
        problems = [
            f"{form.fields[f].label}：{'、'.join(str(e) for e in errs)}"
            for f, errs in form.errors.items()
        ]
        messages.error(request, "；".join(problems))
    return redirect("user_list")


@require_POST
def user_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    user = get_object_or_404(User, pk=pk)
    try:
        actions.user_set_active(actor=request.user, user=user, active=not user.is_active)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    return redirect("user_list")


def user_grant(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.grant")
    user = get_object_or_404(User, pk=pk)
    form = GrantForm(request.POST or None, initial={"role": user.role})
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_grant_role(
                actor=request.user,
                user=user,
                role=form.cleaned_data["role"],
                cadre=form.cleaned_data["cadre"],
                org=form.cleaned_data["org"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已为 %(user)s 设置角色。") % {"user": user})
            return redirect("user_list")
    return render(request, "accounts/user_grant.html", {"form": form, "target": user})


@require_safe
def lockout_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "lockout.manage")
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return render(request, "accounts/lockout_list.html", {"attempts": attempts})


@require_POST
def lockout_reset(request: HttpRequest) -> HttpResponse:
    require(request.user, "lockout.manage")
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, _("请指定要解锁的用户名。"))
    else:
        actions.lockout_reset(actor=request.user, username=username)
        messages.success(request, _("已解除 %(username)s 的登录锁定。") % {"username": username})
    return redirect("lockout_list")
