"""Reads of sign-in state for the security admin's pages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .access import can
from .models import LockoutAlert, User

__all__ = ["open_lockout_alerts", "open_lockout_count"]


def open_lockout_alerts() -> QuerySet[LockoutAlert]:
    """Accounts locked and not yet unlocked, within the lock's duration, newest first."""
    since = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    return LockoutAlert.objects.filter(cleared_at__isnull=True, locked_at__gte=since)


def open_lockout_count(user: User) -> int:
    """How many locked accounts to show in the header: the security admin's only."""
    return open_lockout_alerts().count() if can(user, "lockout.manage") else 0
