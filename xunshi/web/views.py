from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from xunshi.accounts.actors import SignedInRequest


def home(request: SignedInRequest) -> HttpResponse:
    """Send every role to its home page, what waits for it (the desk, by URL name: the desk
    stands on the floor above)."""
    if request.user.role:  # type: ignore[union-attr]
        return redirect("desk_home")
    return render(request, "home.html")
