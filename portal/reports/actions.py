"""The only code that writes the portal's records (besides throttle.py's counters, which a
report's insert shares a statement with on PostgreSQL).

A report or follow-up is sealed to the office's public key before anything is written; the
receipt code is returned to the caller once and only its keyed digest is kept (digests.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from envelope import receipt_code, seal

from .attachments import Attachment
from .digests import digest_of
from .models import Announcement, Disclosure, Kind, Reply, Submission
from .throttle import throttle_take_then

__all__ = [
    "announcements_replace",
    "before_reception",
    "disclosures_upsert",
    "envelopes_purge",
    "followup_submit",
    "receipt_rekey",
    "report_submit",
    "submission_set_status",
    "submissions_mark_pulled",
]


def _seal(payload: Mapping[str, Any]) -> bytes:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return seal(settings.PORTAL_OFFICE_PUBLIC_KEY, data)


def before_reception(announcement: Announcement, today: dt.date | None = None) -> str:
    """Why the announcement takes no report yet, or "": a report is accepted from the first
    day of the announced 受理时间 (the internal app's xunshi/rounds/date_rules.py, rule 5);
    the announcement's end is kept by the internal app, which closes it when the team leaves."""
    today = today or timezone.localdate()
    if today >= announcement.start:
        return ""
    start = f"{announcement.start.year}年{announcement.start.month}月{announcement.start.day}日"
    return (
        f"本次{announcement.work_word}自{start}起受理反映，现在还不能在线提交。"
        "届时请再打开本页，或按公告的信箱、地址来信。"
    )


def report_submit(
    *,
    announcement: Announcement,
    persons: str,
    content: str,
    real_name: bool,
    name: str,
    phone: str,
    id_number: str,
    attachments: Iterable[Attachment],
    daily_cap: int,
) -> tuple[Submission, str] | None:
    """Seal a report for the office and keep it, counted against the system-wide ``daily_cap``
    of submissions; returns it with its receipt code (once), or None over the cap (nothing
    kept). Callers check `before_reception` first; a report before the 受理时间 is a
    programming error here."""
    if before_reception(announcement):
        raise ValueError("the announcement takes no report yet")
    envelope = _seal(
        {
            "announcement": announcement.token,
            "org_code": announcement.org_code,
            "org_name": announcement.org_name,
            "reported_persons": persons,
            "content": content,
            "real_name": real_name,
            "name": name if real_name else "",
            "phone": phone if real_name else "",
            "id_number": id_number if real_name else "",
            "files": [a.as_envelope_item() for a in attachments],
        }
    )
    code = receipt_code()
    submission = Submission(
        kind=Kind.REPORT,
        day=timezone.localdate(),
        envelope=envelope,
        receipt_digest=digest_of(code),
    )
    if not _insert(submission, daily_cap=daily_cap):
        return None
    return submission, code


@cache
def _insert_sql(vendor: str) -> tuple[str, tuple[Field[Any, Any], ...]]:
    fields = tuple(f for f in Submission._meta.concrete_fields if f.name != "seq")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join("%s" for _ in fields)
    # INSERT ... SELECT so that the day's count can gate it (throttle.throttle_take_then).
    sql = (
        f"INSERT INTO {quote(Submission._meta.db_table)} ({columns}) "
        f"SELECT {marks} WHERE {{within}} RETURNING {quote('seq')}"
    )
    return sql, fields


def _insert(submission: Submission, *, daily_cap: int) -> bool:
    """Count the submission against the day's cap and, within it, insert it: one statement
    composed once per process (the ORM compiled its insert anew for every report, about a
    tenth of a report's CPU), with the count on PostgreSQL. False over the cap."""
    sql, fields = _insert_sql(connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(submission, add=True), connection) for f in fields]
    row = throttle_take_then(
        family="submissions", key="all", seconds=86400, limit=daily_cap, write=sql, params=values
    )
    if row is None:
        return False
    (submission.seq,) = row
    submission._state.adding = False
    submission._state.db = connection.alias
    return True


def receipt_rekey(*, report: Submission, code: str) -> None:
    """Store a report's receipt under its keyed digest, in place of the old PBKDF2 one that
    was just matched by a lookup of ``code``."""
    Submission.objects.filter(pk=report.pk, receipt_digest=report.receipt_digest).update(
        receipt_digest=digest_of(code)
    )


def followup_submit(
    *, report: Submission, content: str, attachments: Iterable[Attachment]
) -> Submission:
    """Seal what a reporter adds to a report and keep it as a follow-up of that report."""
    envelope = _seal({"content": content, "files": [a.as_envelope_item() for a in attachments]})
    return Submission.objects.create(
        kind=Kind.FOLLOWUP, parent=report, day=timezone.localdate(), envelope=envelope
    )


def submission_set_status(*, submission: Submission, status: str, reply: str) -> None:
    """Record the office's status of a submission and, if given, its reply to the reporter."""
    with transaction.atomic():
        submission.status = status
        submission.save(update_fields=["status"])
        if reply:
            Reply.objects.create(submission=submission, text=reply, day=timezone.localdate())


def submissions_mark_pulled(*, up_to: int) -> None:
    """The internal app asked for what follows ``up_to``: everything before it has arrived."""
    Submission.objects.filter(seq__lte=up_to, pulled=False).update(pulled=True)


def announcements_replace(*, items: Iterable[Mapping[str, Any]]) -> int:
    """Make the given announcements the active set; the others stay only as ended ones."""
    tokens = []
    with transaction.atomic():
        for item in items:
            values = {
                "org_code": item["org_code"],
                "org_name": item["org_name"],
                "team": item["team"],
                "start": item["start"],
                "end": item["end"],
                "phone": item["phone"],
                "mailbox": item["mailbox"],
                "address": item["address"],
                "scope": item["scope"],
                "active": True,
            }
            Announcement.objects.update_or_create(token=item["token"], defaults=values)
            tokens.append(item["token"])
        Announcement.objects.exclude(token__in=tokens).update(active=False)
    return len(tokens)


def disclosures_upsert(*, items: Iterable[Mapping[str, Any]]) -> int:
    """Add the given disclosures, or update those whose key is already known."""
    count = 0
    with transaction.atomic():
        for item in items:
            Disclosure.objects.update_or_create(
                key=item["key"],
                defaults={
                    "org_name": item["org_name"],
                    "title": item["title"],
                    "published_on": item["published_on"],
                    "text": item["text"],
                },
            )
            count += 1
    return count


def envelopes_purge(*, days: int) -> int:
    """Empty the envelopes the internal app fetched more than ``days`` days ago; how many."""
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    fetched = Submission.objects.filter(pulled=True, day__lt=cutoff).exclude(envelope=b"")
    return fetched.update(envelope=b"")
