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

Each of these writes is a commit, and a commit's WAL flush costs more than the statement: a
spent nonce was 0.27 ms of the portal's CPU and 0.32 ms of PostgreSQL's with it, 0.12 and 0.12
without (measured in one process, 2026-12-07), and milliseconds of waiting. So on
PostgreSQL the guards share a statement with what they guard, by data-modifying CTEs:
a lookup's nonce, count and read are one (`nonce_spend_then_read`), a report's count of the
day and its insert another (`throttle_take_then`). SQLite (the suite, a laptop) runs the same
steps one by one, with the same outcome; the suite runs on both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import SpentNonce, ThrottleBucket

__all__ = [
    "Guarded",
    "code_key",
    "limits_purge",
    "nonce_spend",
    "nonce_spend_then_read",
    "throttle_take",
    "throttle_take_then",
]


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


def _window(seconds: int) -> tuple[dt.datetime, dt.datetime]:
    """The current fixed window of ``seconds``: its start and its end."""
    start = timezone.now().timestamp() // seconds * seconds
    return (
        dt.datetime.fromtimestamp(start, tz=dt.UTC),
        dt.datetime.fromtimestamp(start + seconds, tz=dt.UTC),
    )


def _nonce_expires() -> dt.datetime:
    """When a nonce spent now may be forgotten: its token has expired for sure, rounded up to
    the whole hour so that the row does not tell the minute a report was sent or a code
    looked up."""
    latest = timezone.now().timestamp() + settings.PORTAL_CHALLENGE_MAX_AGE
    return dt.datetime.fromtimestamp(-(-latest // 3600) * 3600, tz=dt.UTC)


@cache
def _sql(vendor: str) -> dict[str, str]:
    quote = connection.ops.quote_name
    buckets, nonces = quote(ThrottleBucket._meta.db_table), quote(SpentNonce._meta.db_table)
    key, window, expires, count, nonce = (
        quote(c) for c in ("key", "window", "expires", "count", "nonce")
    )
    # Only the models' own table and column names are put into the text; values are parameters.
    count_one = (
        f"INSERT INTO {buckets} ({key}, {window}, {expires}, {count}) "
        "{source} "
        f"ON CONFLICT ({key}, {window}) DO UPDATE SET {count} = {buckets}.{count} + 1 "
        f"RETURNING {count}"
    )
    spend = (
        f"INSERT INTO {nonces} ({nonce}, {expires}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({nonce}) DO NOTHING RETURNING 1"
    )
    return {
        "count": count_one.format(source="VALUES (%s, %s, %s, 1)"),
        # PostgreSQL: the count as a data-modifying CTE ahead of a write that reads it.
        "count_then": f"WITH counted AS ({count_one.format(source='VALUES (%s, %s, %s, 1)')}) ",
        "within": f"(SELECT {count} FROM counted) <= %s",  # noqa: S608
        "spend": spend,
        # PostgreSQL: the nonce spent, the attempt counted (only if the nonce was new) and the
        # read (only if within the limit), in one statement: one round trip and one commit
        # instead of three and two. Data-modifying CTEs run once whether or not the query
        # reads them; the read waits behind a one-time filter, so over the limit nothing is
        # read at all. "{read}" is filled in per read.
        "folded": (
            f"WITH spent AS ({spend}), "  # noqa: S608
            f"counted AS ({count_one.format(source='SELECT %s, %s, %s, 1 FROM spent')}) "
            f"SELECT EXISTS (SELECT 1 FROM spent), (SELECT {count} FROM counted), found.* "
            "FROM (SELECT 1) AS one LEFT JOIN (SELECT * FROM ({read}) AS wanted "
            f"WHERE (SELECT {count} FROM counted) <= %s) AS found ON TRUE"
        ),
    }


def throttle_take(*, family: str, key: str, seconds: int, limit: int) -> bool:
    """Count one attempt of ``key`` in the current window; False once over ``limit``.

    One statement (an upsert that returns the new count; PostgreSQL and SQLite ≥ 3.35 both
    have it), so concurrent workers count each attempt once without a transaction of their own.
    """
    window, expires = _window(seconds)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(connection.vendor)["count"], [f"{family}:{key}", adapt(window), adapt(expires)]
        )
        (count,) = cursor.fetchone()
    return int(count) <= limit


def nonce_spend(nonce: str) -> bool:
    """Mark a challenge's nonce used; False when it already was (a replay). The row is kept
    until its token has expired for sure (`_nonce_expires`)."""
    # One statement, no savepoint: a replay inserts nothing and returns no row.
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(connection.vendor)["spend"],
            [nonce, connection.ops.adapt_datetimefield_value(_nonce_expires())],
        )
        return cursor.fetchone() is not None


def throttle_take_then(
    *, family: str, key: str, seconds: int, limit: int, write: str, params: Sequence[Any]
) -> tuple[Any, ...] | None:
    """Count one attempt of ``key`` (as `throttle_take`) and, if within ``limit``, run
    ``write`` with ``params`` and return its first row; None over the limit (nothing written).

    ``write`` is an ``INSERT ... SELECT ... WHERE {within} RETURNING ...`` whose ``{within}``
    comes after all its parameters. On PostgreSQL the count and the write are one statement
    (one commit); elsewhere two.
    """
    if connection.vendor != "postgresql":
        if not throttle_take(family=family, key=key, seconds=seconds, limit=limit):
            return None
        with connection.cursor() as cursor:
            cursor.execute(write.replace("{within}", "1 = 1"), list(params))
            return tuple(cursor.fetchone())
    window, expires = _window(seconds)
    adapt = connection.ops.adapt_datetimefield_value
    count_args = [f"{family}:{key}", adapt(window), adapt(expires)]
    text = _sql(connection.vendor)
    sql = text["count_then"] + write.replace("{within}", text["within"])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*count_args, *params, limit])
        row = cursor.fetchone()
    return None if row is None else tuple(row)


@dataclass(frozen=True)
class Guarded:
    """What `nonce_spend_then_read` came to."""

    spent: bool  # False: a replay; nothing was counted or read
    within: bool  # False: counted, but over the limit; nothing was read
    row: tuple[Any, ...] | None  # the read's first row, if it was read and found one


def nonce_spend_then_read(
    *,
    nonce: str,
    family: str,
    key: str,
    seconds: int,
    limit: int,
    read: str,
    params: Sequence[Any],
) -> Guarded:
    """Spend ``nonce``; if it was new, count one attempt of ``key`` (as `throttle_take`); if
    within ``limit``, run the query ``read`` with ``params`` and return its first row (whose
    first column is never NULL).

    On PostgreSQL one statement (data-modifying CTEs) does all three; elsewhere (SQLite: the
    suite, a laptop) they are three statements, with the same outcome.
    """
    window, expires = _window(seconds)
    adapt = connection.ops.adapt_datetimefield_value
    spend_args = [nonce, adapt(_nonce_expires())]
    count_args = [f"{family}:{key}", adapt(window), adapt(expires)]
    if connection.vendor != "postgresql":
        if not nonce_spend(nonce):
            return Guarded(spent=False, within=False, row=None)
        if not throttle_take(family=family, key=key, seconds=seconds, limit=limit):
            return Guarded(spent=True, within=False, row=None)
        with connection.cursor() as cursor:
            cursor.execute(read, list(params))
            return Guarded(spent=True, within=True, row=cursor.fetchone())
    sql = _sql(connection.vendor)["folded"].replace("{read}", read)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*spend_args, *count_args, *params, limit])
        spent, count, *found = cursor.fetchone()
    within = spent and count is not None and int(count) <= limit
    # NULLs are the LEFT JOIN's "nothing read": a row read has its first column.
    row = tuple(found) if within and found[0] is not None else None
    return Guarded(spent=bool(spent), within=bool(within), row=row)
