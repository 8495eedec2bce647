"""Deny by default: every page needs a signed-in user, except the few listed here; and a
signed-in account goes nowhere else until it has changed its first password and passed its
second factor (`otp.py`)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .otp import Step, step_for

PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/i18n/",
    "/" + settings.STATIC_URL.lstrip("/"),
    "/healthz",  # the load balancer's health check: no data in it (xunshi/web/health.py)
    # The REST API authenticates each request by its token (xunshi/api/auth.py) and never by
    # the session; its OpenAPI document and docs page hold no data.
    "/api/v1/",
)
PASSWORD_CHANGE_ALLOWED = ("/accounts/password/", "/accounts/logout/", "/i18n/")
# The enrolment and code pages (and signing out) are all an account sees before its second factor.
SECOND_FACTOR_ALLOWED = (
    "/accounts/otp/enrol/",
    "/accounts/otp/verify/",
    "/accounts/logout/",
    "/i18n/",
)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(PUBLIC_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('login')}?next={quote(path)}")
            if path.startswith(SECOND_FACTOR_ALLOWED):
                return self.get_response(request)
            # An account with an authenticator shows its code before anything else, even
            # before changing a reset password; one that must have an authenticator enrols
            # after its first password is changed.
            step = step_for(user)
            if step == Step.VERIFY:
                return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
            if getattr(user, "must_change_password", False):
                if not path.startswith(PASSWORD_CHANGE_ALLOWED):
                    return redirect("password_change")
            elif step is not None:
                return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
