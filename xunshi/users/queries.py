"""The account list of the admins' page."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xunshi.accounts.models import User

__all__ = ["accounts_matching"]


def accounts_matching(q: str) -> QuerySet[User]:
    """Accounts whose user name or full name contains q (all of them for an empty q)."""
    users = User.objects.order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return users
