"""Counting attempts in fixed windows, in the database so that every worker sees them.

Never keyed by address: the receipt lookup counts per code digest and system-wide, and the
submissions count system-wide per day. Rows of past windows are deleted on the next attempt
of the same family, so the table holds only the current windows.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ThrottleBucket

__all__ = ["throttle_take"]


def throttle_take(*, family: str, key: str, seconds: int, limit: int) -> bool:
    """Count one attempt of ``key`` in the current window; False once over ``limit``."""
    now = timezone.now().timestamp()
    window = dt.datetime.fromtimestamp(now // seconds * seconds, tz=dt.UTC)
    full_key = f"{family}:{key}"
    bucket = ThrottleBucket.objects.filter(key=full_key, window=window)
    with transaction.atomic():
        ThrottleBucket.objects.filter(key__startswith=f"{family}:", window__lt=window).delete()
        if not bucket.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ThrottleBucket.objects.create(key=full_key, window=window, count=1)
            except IntegrityError:
                bucket.update(count=F("count") + 1)
        count = bucket.values_list("count", flat=True).get()
    return count <= limit
