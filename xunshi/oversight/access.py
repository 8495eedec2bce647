"""Who reaches which body's summaries: the office and the leading group of a body see the bodies
below it (its cities, their counties …) as summaries and filings, and their own body's filings
and the points addressed to it; nobody else any.

A body that is not below the user's is 404 (a sibling's as much as the own body's parent);
a role without the function (team cadres, liaisons, the three admins) gets 403. Case records
of a lower body stay behind their own apps' access, which gives the higher body 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xunshi.accounts.access import require
from xunshi.accounts.models import User
from xunshi.registry.models import InspectingBody
from xunshi.registry.queries import bodies_below
from xunshi.rounds.access import get_round_for
from xunshi.rounds.models import Round

from .models import Filing, OversightPoint

__all__ = [
    "filings_visible_to",
    "get_filing_for",
    "get_lower_body_for",
    "get_refile_round_for",
    "lower_bodies_for",
    "own_body_for",
    "points_visible_to",
]


def _below(user: User) -> list[int]:
    return bodies_below(user.body_id) if user.body_id else []


def own_body_for(user: User) -> InspectingBody | None:
    """The body the user works for, for the oversight pages (403 without the function)."""
    require(user, "oversight.view")
    if user.body_id is None:
        return None
    return InspectingBody.objects.filter(pk=user.body_id).select_related("parent").first()


def lower_bodies_for(user: User) -> QuerySet[InspectingBody]:
    """Every body below the user's (403 without the function)."""
    require(user, "oversight.view")
    return InspectingBody.objects.filter(pk__in=_below(user)).select_related("parent")


def get_lower_body_for(user: User, pk: int) -> InspectingBody:
    """A body below the user's (404 for any other body, the own one included)."""
    require(user, "oversight.view")
    body = (
        InspectingBody.objects.filter(pk=pk, pk__in=_below(user)).select_related("parent").first()
    )
    if body is None:
        raise Http404("没有找到该下级党组织。")
    return body


def filings_visible_to(user: User) -> QuerySet[Filing]:
    """The filings of the user's own body and of every body below it."""
    require(user, "oversight.view")
    if not user.body_id:
        return Filing.objects.none()
    return Filing.objects.filter(Q(from_body_id=user.body_id) | Q(from_body_id__in=_below(user)))


def get_filing_for(user: User, pk: int, *, review: bool = False) -> Filing:
    """A filing of the own body or one below it (404 otherwise); reviewing needs the review
    function (403)."""
    filing = (
        filings_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "from_body", "to_body", "round", "inspection__target", "reviewed_by", "filed_by"
        )
        .first()
    )
    if filing is None:
        raise Http404("没有找到该报备。")
    if review:
        require(user, "oversight.review")
    return filing


def get_refile_round_for(user: User, pk: int) -> Round:
    """One of the own body's rounds whose plan the office files again (403 for others)."""
    rnd = get_round_for(user, pk)
    require(user, "oversight.file")
    return rnd


def points_visible_to(user: User) -> QuerySet[OversightPoint]:
    """The points addressed to the user's own body or to a body below it."""
    require(user, "oversight.view")
    if not user.body_id:
        return OversightPoint.objects.none()
    return OversightPoint.objects.filter(
        Q(to_body_id=user.body_id) | Q(to_body_id__in=_below(user))
    )
