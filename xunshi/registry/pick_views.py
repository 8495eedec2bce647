"""The searches behind the registry forms' pickers (xunshi/lib/pickers.py): an organization
for a unit's parent or a cadre's unit, a cadre for a unit's principal leader.

For the office that edits the registry, and only over what it sees (`orgs_visible_to`,
`cadres_visible_to`): its own body's registry and pool.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.pickers import PICK_LIMIT

from .access import cadres_visible_to, orgs_visible_to
from .queries import PickOption, pick_cadres, pick_units


def _options(request: SignedInRequest, q: str, rows: list[PickOption]) -> HttpResponse:
    return render(
        request,
        "_pick_options.html",
        {"options": rows[:PICK_LIMIT], "more": len(rows) > PICK_LIMIT, "q": q},
    )


@require_safe
def pick_org(request: SignedInRequest) -> HttpResponse:
    """The organizations the user sees that match ``q``, for the unit and cadre forms."""
    user = request.user
    require(user, "cadre.edit" if can(user, "cadre.edit") else "org.edit")
    q = request.GET.get("q", "").strip()[:50]
    return _options(request, q, pick_units(orgs_visible_to(user), q, PICK_LIMIT + 1))


@require_safe
def pick_cadre(request: SignedInRequest) -> HttpResponse:
    """The cadres the user sees that match ``q``, for a unit's principal leader."""
    user = request.user
    require(user, "org.edit")
    q = request.GET.get("q", "").strip()[:50]
    return _options(request, q, pick_cadres(cadres_visible_to(user), q, PICK_LIMIT + 1))
