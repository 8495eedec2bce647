from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from xunshi.accounts.access import can
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import Role


def home(request: SignedInRequest) -> HttpResponse:
    """Send each role to where its work starts."""
    user = request.user
    if user.role == Role.LIAISON:  # type: ignore[union-attr]
        return redirect("ledger_home")
    if user.role == Role.INSPECTOR:  # type: ignore[union-attr]
        return redirect("round_list")
    for cap, url in [
        ("coverage.view", "coverage"),
        ("user.manage", "user_list"),
        ("user.grant", "user_list"),
        ("audit.view", "audit_list"),
    ]:
        if can(user, cap):
            return redirect(url)
    return render(request, "home.html")
