"""Sending the pending statuses and replies to the portal (what is pending: `push.py`).

A row is updated, with its audit event, only after the portal said ok; a refusal or a portal
that does not answer is noted on the row (push_error) for the office's overview.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record

from .client import PortalClient, PortalError, PortalNotFound, portal_client
from .models import PortalSubmission
from .push import pending_pushes, reply_change_key, reply_digest

__all__ = ["PushResult", "portal_push_pending"]


@dataclass(frozen=True)
class PushResult:
    pushed: int = 0
    failed: int = 0
    error: str = ""


def portal_push_pending(*, actor: Actor, client: PortalClient | None = None) -> PushResult:
    """Send every pending status and reply; stop at the first time the portal does not answer."""
    client = client or portal_client()
    pushed = failed = 0
    error = ""
    for sub, status, reply in pending_pushes():
        # Another round (the minute job, the office's button) may have pushed it meanwhile.
        sub.refresh_from_db(fields=["status", "reply_sm3"])
        assert sub.petition is not None
        acknowledged = reply_change_key(sub.petition.reply)
        if (sub.status, sub.reply_sm3) == (status, reply_digest(reply)):
            # Acknowledged already (or only the reply's surrounding blanks changed): note the
            # reply as it stands, so that `pending_rows` finds the row done.
            PortalSubmission.objects.filter(pk=sub.pk).update(reply_md5=acknowledged)
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
            sub.status, sub.reply_sm3 = status, reply_digest(reply)
            sub.reply_md5 = acknowledged
            sub.pushed_at, sub.push_error = timezone.now(), ""
            sub.save(update_fields=["status", "reply_sm3", "reply_md5", "pushed_at", "push_error"])
            record(
                actor=actor,
                action="intake.status.push",
                obj=sub,
                before=before,
                after={"status": status, "reply_chars": len(reply), "petition": sub.petition_id},
            )
        pushed += 1
    return PushResult(pushed=pushed, failed=failed, error=error)
