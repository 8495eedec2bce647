"""Counting attempts in fixed windows and spending challenge nonces, in the database so that
every worker sees them.

Never keyed by address: a receipt lookup counts per code, keyed by an HMAC of the code with a
key of its own (PORTAL_THROTTLE_KEY, so that no row holds any part of the code's stored
digest), and submissions count system-wide per day. A challenge's nonce is spent once
(`nonce_spend`). `limits_purge` runs on every request (middleware.py): a row whose window or
challenge is over is gone by the next request, so the tables hold only what still counts.
Every such time is a whole hour (the windows are hours and days, a nonce's end is rounded up
to the hour), so a process that has purged has nothing to purge again before the next whole
hour: `limits_purge` asks the database only on a process's first request of each hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import SpentNonce, ThrottleBucket

__all__ = ["code_key", "limits_purge", "nonce_spend", "throttle_take"]


def code_key(code: str) -> str:
    """The throttle's name of a (normalized) receipt code: HMAC-SHA256 with the throttle key."""
    return hmac.new(settings.PORTAL_THROTTLE_KEY, code.encode(), hashlib.sha256).hexdigest()


# When this process purged last, as the start of that hour (epoch seconds): nothing expires
# before the end of that hour, so until then there is nothing to purge.
_purged_hour = -1.0


def limits_purge(*, force: bool = False) -> None:
    """Delete the throttle windows and spent nonces whose time is over: on this process's
    first call of each hour (every row's time ends on a whole hour), or when ``force``d."""
    global _purged_hour
    hour = timezone.now().timestamp() // 3600 * 3600
    if hour == _purged_hour and not force:
        return
    now = timezone.now()
    for model in (ThrottleBucket, SpentNonce):
        expired = model.objects.filter(expires__lte=now)
        if expired.exists():
            expired.delete()
    _purged_hour = hour


def throttle_take(*, family: str, key: str, seconds: int, limit: int) -> bool:
    """Count one attempt of ``key`` in the current window; False once over ``limit``.

    One statement (an upsert that returns the new count; PostgreSQL and SQLite ≥ 3.35 both
    have it), so concurrent workers count each attempt once without a transaction of their own.
    """
    now = timezone.now().timestamp()
    start = now // seconds * seconds
    window = dt.datetime.fromtimestamp(start, tz=dt.UTC)
    expires = dt.datetime.fromtimestamp(start + seconds, tz=dt.UTC)
    quote = connection.ops.quote_name
    table = quote(ThrottleBucket._meta.db_table)
    key_, window_, expires_, count_ = (quote(c) for c in ("key", "window", "expires", "count"))
    # Only the model's own table and column names are put into the text; values are parameters.
    sql = (
        f"INSERT INTO {table} ({key_}, {window_}, {expires_}, {count_}) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key_}, {window_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
        f"RETURNING {count_}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{family}:{key}", adapt(window), adapt(expires)])
        (count,) = cursor.fetchone()
    return int(count) <= limit


def nonce_spend(nonce: str) -> bool:
    """Mark a challenge's nonce used; False when it already was (a replay). The row is kept
    until its token has expired for sure, rounded up to the whole hour so that it does not
    tell the minute a report was sent or a code looked up."""
    latest = timezone.now().timestamp() + settings.PORTAL_CHALLENGE_MAX_AGE
    expires = dt.datetime.fromtimestamp(-(-latest // 3600) * 3600, tz=dt.UTC)
    quote = connection.ops.quote_name
    table, nonce_, expires_ = (quote(n) for n in (SpentNonce._meta.db_table, "nonce", "expires"))
    # One statement, no savepoint: a replay inserts nothing and returns no row.
    sql = (
        f"INSERT INTO {table} ({nonce_}, {expires_}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({nonce_}) DO NOTHING RETURNING 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [nonce, connection.ops.adapt_datetimefield_value(expires)])
        return cursor.fetchone() is not None
