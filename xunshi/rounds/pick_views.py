"""The searches behind the team page's pickers (xunshi/lib/pickers.py): the cadres of the
round's pool and the units of its registry, by name, pinyin initials or code.

Each asks what the form it serves asks (`get_team_for(write=True)`, and for a unit the
right to assign inspections), and searches only what that form accepts (`round_pool`,
`round_registry`), so a picker shows nobody the form would refuse as unknown.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.pickers import PICK_LIMIT
from xunshi.registry.queries import pick_cadres, pick_units

from .access import get_team_for
from .queries import round_pool, round_registry


def _options(request: SignedInRequest, q: str, rows: list[Any]) -> HttpResponse:
    return render(
        request,
        "_pick_options.html",
        {"options": rows[:PICK_LIMIT], "more": len(rows) > PICK_LIMIT, "q": q},
    )


@require_safe
def team_pick_cadre(request: SignedInRequest, pk: int) -> HttpResponse:
    """The cadres of the round's pool that match ``q``, for the membership form."""
    team = get_team_for(request.user, pk, write=True)
    q = request.GET.get("q", "").strip()[:50]
    return _options(request, q, pick_cadres(round_pool(team.round), q, PICK_LIMIT + 1))


@require_safe
def team_pick_unit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The units of the round's registry that match ``q``, for the inspection form."""
    team = get_team_for(request.user, pk, write=True)
    require(request.user, "inspection.edit")
    q = request.GET.get("q", "").strip()[:50]
    return _options(request, q, pick_units(round_registry(team.round), q, PICK_LIMIT + 1))
