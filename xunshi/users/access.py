"""Which accounts an admin reaches: every account, for the system and the security admin."""

from __future__ import annotations

from django.http import Http404

from xunshi.accounts.models import User

__all__ = ["get_account_for"]


def get_account_for(user: User, pk: int) -> User:
    """The account with this id (404 if there is none); the view has checked the role."""
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("没有找到该账号。")
    return account
