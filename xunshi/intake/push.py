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
default) and when the office clicks 立即拉取.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xunshi.audit.actions import record
from xunshi.fieldwork.models import Petition, PetitionRouting
from xunshi.lib.crypto import sm3_hex

from .client import PortalClient, PortalError, PortalNotFound, portal_client
from .models import PortalStatus, PortalSubmission, SubmissionKind

__all__ = ["PushResult", "is_pending", "pending_pushes", "portal_push_pending", "wanted_status"]


@dataclass(frozen=True)
class PushResult:
    pushed: int = 0
    failed: int = 0
    error: str = ""


def wanted_status(petition: Petition) -> tuple[str, str]:
    """The status (and reply) the reporter should read for this petition."""
    if petition.replied_on is not None and petition.reply.strip():
        return PortalStatus.ANSWERED, petition.reply.strip()
    if petition.routing == PetitionRouting.FORWARDED:
        return PortalStatus.FORWARDED, ""
    if petition.in_scope and petition.routing != PetitionRouting.PENDING:
        return PortalStatus.ACCEPTED, ""
    return PortalStatus.RECEIVED, ""


def _digest(reply: str) -> str:
    return sm3_hex(reply.encode()) if reply else ""


def is_pending(sub: PortalSubmission) -> bool:
    """Whether the report's petition says something the portal has not acknowledged yet."""
    if sub.petition is None:
        return False
    status, reply = wanted_status(sub.petition)
    if status == PortalStatus.RECEIVED:
        return False
    return (status, _digest(reply)) != (sub.status, sub.reply_sm3)


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


def portal_push_pending(*, actor: Any, client: PortalClient | None = None) -> PushResult:
    """Send every pending status and reply; stop at the first time the portal does not answer."""
    client = client or portal_client()
    pushed = failed = 0
    error = ""
    for sub, status, reply in pending_pushes():
        # Another round (the minute job, the office's button) may have pushed it meanwhile.
        sub.refresh_from_db(fields=["status", "reply_sm3"])
        if (sub.status, sub.reply_sm3) == (status, _digest(reply)):
            continue
        try:
            client.push_status(ref=sub.ref, status=status, reply=reply)
        except PortalNotFound as e:
            failed += 1
            PortalSubmission.objects.filter(pk=sub.pk).update(push_error=str(e)[:300])
            continue
        except PortalError as e:
            error = str(e)
            PortalSubmission.objects.filter(pk=sub.pk).update(push_error=error[:300])
            failed += 1
            break
        with transaction.atomic():
            before = {"status": sub.status}
            sub.status, sub.reply_sm3 = status, _digest(reply)
            sub.pushed_at, sub.push_error = timezone.now(), ""
            sub.save(update_fields=["status", "reply_sm3", "pushed_at", "push_error"])
            record(
                actor=actor,
                action="intake.status.push",
                obj=sub,
                before=before,
                after={"status": status, "reply_chars": len(reply), "petition": sub.petition_id},
            )
        pushed += 1
    return PushResult(pushed=pushed, failed=failed, error=error)
