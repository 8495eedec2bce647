"""Which accounts and teams an admin reaches: all of them, for the system and the security
admin (a team's names and members are no case data)."""

from __future__ import annotations

from django.http import Http404

from xunshi.accounts.models import User
from xunshi.rounds.models import Team

__all__ = ["get_account_for", "get_team_for"]


def get_account_for(user: User, pk: int) -> User:
    """The account with this id (404 if there is none); the view has checked the role."""
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("没有找到该账号。")
    return account


def get_team_for(user: User, pk: int) -> Team:
    """The team with this id (404 if there is none); the view has checked the role."""
    team = Team.objects.select_related("round__body").filter(pk=pk).first()
    if team is None:
        raise Http404("没有找到该巡视组。")
    return team
