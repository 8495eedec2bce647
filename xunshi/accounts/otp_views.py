"""The second factor's pages: the code asked after the password, the enrolment (QR code and
secret, then the recovery codes once), the account's own page, and the security admin's
reset. The rules are in `otp.py`, the writes in `actions.py`."""

from __future__ import annotations

from urllib.parse import quote

import django_otp
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest

from . import actions, otp
from .access import require
from .forms import SecondFactorForm
from .queries import account_or_404

ENROL_KEY = "xunshi_otp_enrol_key"  # the secret being enrolled, in the session until confirmed


def _next(request: SignedInRequest) -> str:
    """Where to go once the step is done: the page first asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: SignedInRequest) -> HttpResponse:
    """After the password: the authenticator's code, or a recovery code."""
    if otp.step_for(request.user) != otp.Step.VERIFY:
        return redirect(_next(request))
    form = SecondFactorForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        result = actions.otp_verified(actor=request.user, code=form.cleaned_data["code"])
        if result.device is not None:
            django_otp.login(request, result.device)
            if result.recovery_left is not None:
                messages.warning(
                    request,
                    _(
                        "已使用一个恢复码，还剩%(left)d个；用完前请在“双因素认证”页重新绑定以获得新的恢复码。"
                    )
                    % {"left": result.recovery_left},
                )
            return redirect(_next(request))
        if result.wait:
            error = _("验证码错误次数较多，请在%(seconds)d秒后再试。") % {"seconds": result.wait}
            status = 429
        else:
            error = _("验证码不正确：请输入身份验证器当前显示的6位数字，或一个未用过的恢复码。")
        form = SecondFactorForm()
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "error": error, "next": _next(request)},
        status=status,
    )


@never_cache  # the page shows the secret, and then the recovery codes
@require_http_methods(["GET", "POST"])
def otp_enrol(request: SignedInRequest) -> HttpResponse:
    """Bind an authenticator: scan the QR code (or type the secret), confirm with a code."""
    user = request.user
    if otp.step_for(user) == otp.Step.VERIFY:
        # Someone who knows the password only must not replace the authenticator.
        return redirect(f"{reverse('otp_verify')}?next={quote(_next(request))}")
    key = request.session.get(ENROL_KEY) or otp.new_secret()
    request.session[ENROL_KEY] = key
    form = SecondFactorForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        step = otp.enrolment_code_matches(key, form.cleaned_data["code"])
        if step is not None:
            device, codes = actions.otp_enrolled(actor=user, key=key, last_t=step)
            del request.session[ENROL_KEY]
            django_otp.login(request, device)
            return render(
                request, "accounts/otp_recovery.html", {"codes": codes, "next": _next(request)}
            )
        error = _(
            "验证码不正确：请输入身份验证器为本账号显示的当前6位数字（注意手机时间是否准确）。"
        )
        form = SecondFactorForm()
    uri = otp.enrolment_uri(user, key)
    context = {
        "form": form,
        "error": error,
        "next": _next(request),
        "required": otp.requires_second_factor(user),
        "secret": otp.secret_text(key),
        "uri": uri,
        "qr": otp.qr_svg(uri),
    }
    return render(request, "accounts/otp_enrol.html", context)


@require_safe
def otp_settings(request: SignedInRequest) -> HttpResponse:
    """The account's own page: whether it has a second factor, its recovery codes left."""
    user = request.user
    context = {
        "enrolled": otp.has_second_factor(user),
        "required": otp.requires_second_factor(user),
        "codes_left": otp.recovery_codes_left(user),
    }
    return render(request, "accounts/otp_settings.html", context)


@require_POST
def otp_remove(request: SignedInRequest) -> HttpResponse:
    """Remove the account's own second factor (where its role does not require one)."""
    actions.otp_removed(actor=request.user)
    messages.success(request, _("已停用双因素认证。"))
    return redirect("otp_settings")


@require_POST
def otp_reset(request: SignedInRequest, pk: int) -> HttpResponse:
    """The security admin removes another account's second factor; it enrols afresh."""
    require(request.user, "otp.reset")
    user = account_or_404(pk)
    actions.otp_reset(actor=request.user, user=user)
    messages.success(
        request,
        _("已重置 %(username)s 的双因素认证，该账号下次登录时须重新绑定身份验证器。")
        % {"username": user.username},
    )
    return redirect(_next(request) if request.POST.get("next") else "user_list")
