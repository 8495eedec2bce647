"""Reads that every report and lookup pays for, in SQL composed once per process instead of
per request.

The report form's view looks its announcement up on the GET and again on the POST, a lookup
reads the report, its follow-ups and the replies; through the ORM each of these compiled the
same query anew, about half a millisecond of CPU, more than PostgreSQL spends answering it.
Only the models' own table and column names are put into the text; values are parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.http import Http404

from .models import Announcement, Kind, Reply, Submission

__all__ = [
    "announcement_on_site",
    "report_by_digest",
    "report_by_digest_sql",
    "report_from_row",
    "report_history",
]

# A lookup shows the status only: never the envelope (up to the files' megabytes).
_REPORT_FIELDS = ("seq", "ref", "kind", "parent", "day", "status", "receipt_digest", "pulled")


@cache
def _announcement_sql(vendor: str) -> tuple[str, tuple[str, ...]]:
    fields = Announcement._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(Announcement._meta.db_table)
    # Only the model's own table and column names are put into the text; the token is a parameter.
    sql = f"SELECT {columns} FROM {table} WHERE {quote('token')} = %s AND {quote('active')}"  # noqa: S608
    return sql, tuple(f.attname for f in fields)


def announcement_on_site(token: str) -> Announcement:
    """The announcement still on site under ``token``, or 404."""
    sql, names = _announcement_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return Announcement.from_db(connection.alias, list(names), row)


@cache
def _submission_sql(vendor: str) -> dict[str, str]:
    quote = connection.ops.quote_name
    columns = {f.name: quote(f.column) for f in Submission._meta.concrete_fields}
    table, replies = quote(Submission._meta.db_table), quote(Reply._meta.db_table)
    reply_columns = ", ".join(quote(f.column) for f in Reply._meta.concrete_fields)
    c = columns
    return {
        "report": (
            f"SELECT {', '.join(c[n] for n in _REPORT_FIELDS)} FROM {table} "  # noqa: S608
            f"WHERE {c['kind']} = %s AND {c['receipt_digest']} = %s ORDER BY {c['seq']} LIMIT 1"
        ),
        # The follow-ups (0, seq, -, -, day) and the replies (1, and the reply's columns), in
        # one round trip.
        "history": (
            f"SELECT 0, {c['seq']}, NULL, NULL, {c['day']} FROM {table} "  # noqa: S608
            f"WHERE {c['parent']} = %s UNION ALL "
            f"SELECT 1, {reply_columns} FROM {replies} "
            f"WHERE {quote('submission_id')} = %s OR {quote('submission_id')} IN "
            f"(SELECT {c['seq']} FROM {table} WHERE {c['parent']} = %s)"
        ),
    }


def report_by_digest_sql(digest: str) -> tuple[str, list[Any]]:
    """The query of `report_by_digest` and its parameters, for a caller that runs it (its
    first column, the report's number, is never NULL); `report_from_row` reads its row."""
    return _submission_sql(connection.vendor)["report"], [Kind.REPORT, digest]


def report_from_row(row: Sequence[Any]) -> Submission:
    """The report in a row of `report_by_digest_sql`'s query."""
    attnames = {f.name: f.attname for f in Submission._meta.concrete_fields}
    names = [attnames[n] for n in _REPORT_FIELDS]
    return Submission.from_db(connection.alias, names, row)


def report_by_digest(digest: str) -> Submission | None:
    """The report whose receipt is stored under ``digest``, without its envelope."""
    sql, params = report_by_digest_sql(digest)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else report_from_row(row)


def report_history(report: Submission) -> tuple[list[Submission], list[Reply]]:
    """A report's follow-ups (their number and day only) and the team's replies to it and to
    them, each oldest first: one query for both."""
    reply_names = [f.attname for f in Reply._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(_submission_sql(connection.vendor)["history"], [report.pk] * 3)
        rows = cursor.fetchall()
    followups = [
        Submission.from_db(connection.alias, ["seq", "day"], (row[1], row[4]))
        for row in sorted(r for r in rows if not r[0])
    ]
    replies = [Reply.from_db(connection.alias, reply_names, row[1:]) for row in rows if row[0]]
    # Oldest first, as the models order them (a handful of rows: sorted here, not in SQL).
    replies.sort(key=lambda r: (r.day, r.pk))
    return followups, replies
