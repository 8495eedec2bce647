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

from xunshi.fieldwork.models import Petition, PetitionRouting
from xunshi.lib.crypto import sm3_hex

from .models import PortalStatus, PortalSubmission, SubmissionKind

__all__ = ["is_pending", "pending_pushes", "reply_digest", "wanted_status"]


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


def pending_pushes() -> list[tuple[PortalSubmission, str, str]]:
    """The reports whose petition says something the portal has not acknowledged yet, each
    with the status and reply to send."""
    out = []
    reports = PortalSubmission.objects.filter(
        kind=SubmissionKind.REPORT, petition__isnull=False
    ).select_related("petition")
    for sub in reports:
        if is_pending(sub):
            assert sub.petition is not None
            out.append((sub, *wanted_status(sub.petition)))
    return out
