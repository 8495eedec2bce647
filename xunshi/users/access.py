"""Which accounts and teams an admin reaches: all of them, for the system and the security
admin (a team's names and members are no case data); and which cadres and units the security
admin may tie an account to, for the grant form and its pickers alike."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.models import AdminRequest, User
from xunshi.registry.models import Cadre, OrgUnit
from xunshi.rounds.models import Team

__all__ = [
    "get_account_for",
    "get_admin_request_for",
    "get_team_for",
    "grantable_cadres",
    "grantable_orgs",
]


def get_account_for(user: User, pk: int) -> User:
    """The account with this id (404 if there is none); the view has checked the role."""
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("没有找到该账号。")
    return account


def get_admin_request_for(user: User, pk: int) -> AdminRequest:
    """The request about an admin's account with this id (404 if there is none); every admin
    reads them all, the view has checked the role, the action who may decide."""
    req = AdminRequest.objects.select_related("target", "requested_by").filter(pk=pk).first()
    if req is None:
        raise Http404("没有找到该申请。")
    return req


def get_team_for(user: User, pk: int) -> Team:
    """The team with this id (404 if there is none); the view has checked the role."""
    team = Team.objects.select_related("round__body").filter(pk=pk).first()
    if team is None:
        raise Http404("没有找到该巡视组。")
    return team


def grantable_cadres() -> QuerySet[Cadre]:
    """The cadres the grant form accepts for 巡视组干部: every body's pool (the security admin
    grants roles for all of them)."""
    return Cadre.objects.all()


def grantable_orgs() -> QuerySet[OrgUnit]:
    """The units the grant form accepts for a liaison: every body's registry."""
    return OrgUnit.objects.all()
