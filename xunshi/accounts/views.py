"""Sign-in, password change and the security admin's lockouts; accounts and roles are
`xunshi.users`."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest

from . import actions
from .access import require
from .forms import LoginForm, PasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


# The refused form shows the typed passwords again: no cache may keep the page.
@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        actions.user_password_changed(actor=form.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def locked_out(
    request: SignedInRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked.html", status=429)


@require_safe
def lockout_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "lockout.manage")
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return render(request, "accounts/lockout_list.html", {"attempts": attempts})


@require_POST
def lockout_reset(request: SignedInRequest) -> HttpResponse:
    require(request.user, "lockout.manage")
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, _("请指定要解锁的用户名。"))
    else:
        actions.lockout_reset(actor=request.user, username=username)
        messages.success(request, _("已解除 %(username)s 的登录锁定。") % {"username": username})
    return redirect("lockout_list")
