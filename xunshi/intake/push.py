"""Pushing back to the portal what the reporter may read with the receipt: a status and the
team's reply, nothing else.

The status a report should show is derived from its petition whenever the push runs:

- 已答复 (``answered``, with the reply) once the team has recorded a reply;
- 已转交 (``forwarded``) once the petition is forwarded to another authority;
- 已受理 (``accepted``) once it is routed and found within the inspection's scope;
- otherwise nothing is sent and the portal keeps its own 已收到.

Each report's row keeps what the portal last acknowledged (the status and the SM3 of the
reply). A push is sent only where the two differ, and the row is updated only after the
portal said ok. So there is no separate outbox to lose: a reply recorded while the portal is
down is simply still different at the next run, and a team that corrects its reply sends the
new one. The petition actions need no hook; the push runs with every pull (every minute by
default) and when the office clicks 立即拉取. This module says what is pending; `push_actions`
sends it and records what the portal acknowledged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import MD5, Trim

from xunshi.fieldwork.models import Petition, PetitionRouting
from xunshi.lib.crypto import sm3_hex

from .models import PortalStatus, PortalSubmission, SubmissionKind

__all__ = [
    "is_pending",
    "pending_pushes",
    "pending_rows",
    "reply_change_key",
    "reply_digest",
    "wanted_status",
    "with_wanted",
]


def wanted_status(petition: Petition) -> tuple[str, str]:
    """The status (and reply) the reporter should read for this petition."""
    if petition.replied_on is not None and petition.reply.strip():
        return PortalStatus.ANSWERED, petition.reply.strip()
    if petition.routing == PetitionRouting.FORWARDED:
        return PortalStatus.FORWARDED, ""
    if petition.in_scope and petition.routing != PetitionRouting.PENDING:
        return PortalStatus.ACCEPTED, ""
    return PortalStatus.RECEIVED, ""


def reply_digest(reply: str) -> str:
    """The SM3 a row keeps of the reply the portal acknowledged ("" for none)."""
    return sm3_hex(reply.encode()) if reply else ""


def is_pending(sub: PortalSubmission) -> bool:
    """Whether the report's petition says something the portal has not acknowledged yet."""
    if sub.petition is None:
        return False
    status, reply = wanted_status(sub.petition)
    if status == PortalStatus.RECEIVED:
        return False
    return (status, reply_digest(reply)) != (sub.status, sub.reply_sm3)


def reply_change_key(reply: str) -> str:
    """The MD5 a row keeps of the petition's reply as stored when the portal acknowledged it
    (what `pending_rows` compares in SQL): change detection, not a seal."""
    return hashlib.md5(reply.encode(), usedforsecurity=False).hexdigest()


# `wanted_status` in SQL: the status the reporter should read, from the petition's columns.
_WANTED = Case(
    When(
        Q(petition__replied_on__isnull=False) & ~Q(reply_trimmed=""),
        then=Value(PortalStatus.ANSWERED),
    ),
    When(petition__routing=PetitionRouting.FORWARDED, then=Value(PortalStatus.FORWARDED)),
    When(
        Q(petition__in_scope=True) & ~Q(petition__routing=PetitionRouting.PENDING),
        then=Value(PortalStatus.ACCEPTED),
    ),
    default=Value(PortalStatus.RECEIVED),
    output_field=CharField(),
)


def pending_rows() -> QuerySet[PortalSubmission]:
    """The reports whose petition says something the portal has not acknowledged yet, oldest
    first, found in SQL: the status to send differs from the acknowledged one, or the reply
    changed since (its MD5, `reply_change_key`). Only the columns the list and the push read
    are loaded, never the petition's sealed texts nor the envelope; `with_wanted` gives the
    status and reply to send of the rows read."""
    return (
        PortalSubmission.objects.filter(kind=SubmissionKind.REPORT, petition__isnull=False)
        .annotate(reply_trimmed=Trim("petition__reply"))
        .annotate(wanted=_WANTED)
        .exclude(wanted=PortalStatus.RECEIVED)
        .filter(
            ~Q(wanted=F("status"))
            | (Q(wanted=PortalStatus.ANSWERED) & ~Q(reply_md5=MD5("petition__reply")))
        )
        .select_related("petition")
        .only(
            "ref",
            "seq",
            "kind",
            "status",
            "reply_sm3",
            "reply_md5",
            "pushed_at",
            "push_error",
            "petition__inspection_id",
            "petition__seq",
            "petition__in_scope",
            "petition__routing",
            "petition__reply",
            "petition__replied_on",
        )
        .order_by("seq")
    )


def with_wanted(
    rows: Iterable[PortalSubmission],
) -> list[tuple[PortalSubmission, str, str]]:
    """Each pending row (`pending_rows`) with the status and reply to send."""
    out = []
    for sub in rows:
        if is_pending(sub):
            assert sub.petition is not None
            out.append((sub, *wanted_status(sub.petition)))
    return out


def pending_pushes() -> list[tuple[PortalSubmission, str, str]]:
    """Every pending report with the status and reply to send (the push's list)."""
    return with_wanted(pending_rows().iterator(chunk_size=500))
