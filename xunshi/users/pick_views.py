"""The searches behind the grant form's pickers (xunshi/lib/pickers.py): a cadre of the pool
for the role 巡视组干部, a unit of the registry for a liaison, by name, pinyin initials or code.

For the security admin, who grants roles, and over what the grant form accepts: every
body's pool and registry (the form looks a code up among all of them), so a picker shows
nobody the form would refuse as unknown. A name, a code, a unit and a post are no case data.
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

from .access import grantable_cadres, grantable_orgs


def _options(request: SignedInRequest, q: str, rows: list[Any]) -> HttpResponse:
    return render(
        request,
        "_pick_options.html",
        {"options": rows[:PICK_LIMIT], "more": len(rows) > PICK_LIMIT, "q": q},
    )


@require_safe
def user_pick_cadre(request: SignedInRequest) -> HttpResponse:
    """The cadres that match ``q``, for the grant form's 干部人员编号."""
    require(request.user, "user.grant")
    q = request.GET.get("q", "").strip()[:50]
    return _options(request, q, pick_cadres(grantable_cadres(), q, PICK_LIMIT + 1))


@require_safe
def user_pick_org(request: SignedInRequest) -> HttpResponse:
    """The units that match ``q``, for the grant form's 单位编码."""
    require(request.user, "user.grant")
    q = request.GET.get("q", "").strip()[:50]
    return _options(request, q, pick_units(grantable_orgs(), q, PICK_LIMIT + 1))
