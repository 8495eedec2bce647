"""Deny by default: every page needs a signed-in user, except the few listed here."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/i18n/",
    "/" + settings.STATIC_URL.lstrip("/"),
    "/healthz",  # the load balancer's health check: no data in it (xunshi/web/health.py)
)
PASSWORD_CHANGE_ALLOWED = ("/accounts/password/", "/accounts/logout/", "/i18n/")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(PUBLIC_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('login')}?next={path}")
            if getattr(user, "must_change_password", False) and not path.startswith(
                PASSWORD_CHANGE_ALLOWED
            ):
                return redirect("password_change")
        return self.get_response(request)
