"""Reads of sign-in state for the security admin's pages."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from .access import can
from .models import LockoutAlert, User

__all__ = ["account_or_404", "failed_sign_ins", "open_lockout_alerts", "open_lockout_count"]


def open_lockout_alerts() -> QuerySet[LockoutAlert]:
    """Accounts locked and not yet unlocked, within the lock's duration, newest first."""
    since = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    return LockoutAlert.objects.filter(cleared_at__isnull=True, locked_at__gte=since)


def open_lockout_count(user: User) -> int:
    """How many locked accounts to show in the header: the security admin's only."""
    return open_lockout_alerts().count() if can(user, "lockout.manage") else 0


def failed_sign_ins(limit: int = 200) -> QuerySet[AccessAttempt, dict[str, object]]:
    """The failed sign-ins per user name (axes keeps one row per name and client): failures
    in all, from how many clients, the latest; the most recent first."""
    rows: QuerySet[AccessAttempt, dict[str, object]] = (
        AccessAttempt.objects.values("username")
        .annotate(
            failures=Sum("failures_since_start"),
            clients=Count("ip_address", distinct=True),
            latest=Max("attempt_time"),
        )
        .order_by("-latest")[:limit]
    )
    return rows


def account_or_404(pk: int) -> User:
    """The account with this id (for the security admin's acts on it), or 404."""
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404
    return user
