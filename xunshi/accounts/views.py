"""Sign-in, password change and the security admin's lockouts; accounts and roles are
`xunshi.users`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest

from . import actions, throttle
from .access import require
from .forms import LoginForm, PasswordChangeForm
from .queries import failed_sign_ins, open_lockout_alerts


def _wait_text(seconds: int) -> str:
    return _("登录失败次数较多，请在%(seconds)d秒后再试。") % {"seconds": seconds}


# The page may carry a proof-of-work nonce issued to this client: never cached.
@method_decorator(never_cache, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's sign-in, slowed per user name and client (`throttle.py`): a client that
    must still wait, or owes a proof of work, is answered without checking the password."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        ip = throttle.client_ip(request)
        now = throttle.state(username, ip)
        if now.wait:
            return self._held(username, _wait_text(now.wait), status=429)
        if now.challenge and not actions.login_challenge_redeemed(
            nonce=request.POST.get("pow_nonce", ""),
            counter=request.POST.get("pow_counter", ""),
            ip=ip,
        ):
            return self._held(username, _("请等待页面完成登录验证后再提交。"), status=400)
        return super().post(request, *args, **kwargs)

    def _held(self, username: str, message: str, *, status: int) -> HttpResponse:
        form = self.get_form_class()(self.request, initial={"username": username})
        context = self.get_context_data(form=form, throttle_message=message)
        return self.render_to_response(context, status=status)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        actions.login_throttle_cleared(
            username=form.cleaned_data["username"], ip=throttle.client_ip(self.request)
        )
        return super().form_valid(form)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = self.request.POST.get("username", "")
        if username and form.has_error("__all__", "invalid_login"):
            failures = actions.login_failure_counted(
                username=username, ip=throttle.client_ip(self.request)
            )
            if wait := throttle.delay_after(failures):
                return self.render_to_response(
                    self.get_context_data(form=form, throttle_message=_wait_text(wait))
                )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ip = throttle.client_ip(self.request)
        if throttle.client_needs_challenge(ip):
            context["challenge"] = actions.login_challenge_issued(ip=ip)
        return context


# The refused form shows the typed passwords again: no cache may keep the page.
@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        # The password, its history and the audit event in one action, not the form's save.
        actions.password_set(actor=form.user, raw_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return redirect(self.get_success_url())


def locked_out(
    request: SignedInRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked.html", status=429)


@require_safe
def lockout_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "lockout.manage")
    context = {"attempts": failed_sign_ins(), "alerts": open_lockout_alerts()}
    return render(request, "accounts/lockout_list.html", context)


@require_POST
def lockout_reset(request: SignedInRequest) -> HttpResponse:
    require(request.user, "lockout.manage")
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, _("请指定要解锁的用户名。"))
    else:
        try:
            actions.lockout_reset(actor=request.user, username=username)
        except ValidationError as e:  # an admin's account: through a second admin's approval
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(
                request, _("已解除 %(username)s 的登录锁定。") % {"username": username}
            )
    return redirect("lockout_list")
