"""Publishing to the portal: the announcements of the inspections now taking petitions, and the
rectification disclosures.

Both sets are sent whole every time (the portal replaces its announcements and upserts its
disclosures by key), so a publish that failed is made good by the next one. The audit trail
gets one event when what was published changed, not one a minute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.lib.crypto import sm3_hex
from xunshi.rectification.models import Disclosure
from xunshi.rounds.models import PETITION_STAGES

from .client import PortalClient, PortalError, portal_client
from .models import PortalAnnouncement, PortalCursor

__all__ = ["PublishResult", "announcement_items", "disclosure_items", "portal_publish"]


@dataclass(frozen=True)
class PublishResult:
    announcements: int = 0
    disclosures: int = 0
    error: str = ""


def _iso(day: Any) -> str:
    return day.isoformat() if day else ""


def _live() -> Any:
    return PortalAnnouncement.objects.filter(inspection__stage__in=PETITION_STAGES)


def announcement_items() -> list[dict[str, str]]:
    """The announcements as the portal's API takes them."""
    rows = _live().select_related(
        "inspection__target", "inspection__team", "inspection__round__body"
    )
    items = []
    for ann in rows.order_by("inspection__team__number", "pk"):
        insp = ann.inspection
        # The portal needs both dates; an inspection without them shows the round's.
        start = insp.start or insp.round.start or timezone.localdate()
        end = max(insp.end or insp.round.end or start, start)
        items.append(
            {
                "token": ann.token,
                "org_code": insp.target.code,
                "org_name": insp.target.name,
                "team": f"{insp.round.body.name}{insp.team.name}",
                "start": start.isoformat(),
                "end": end.isoformat(),
                "phone": ann.phone,
                "mailbox": ann.mailbox,
                "address": ann.address,
                "scope": ann.scope,
            }
        )
    return items


def disclosure_items() -> list[dict[str, str]]:
    """Every rectification disclosure as the portal's API takes it, keyed by the inspection."""
    rows = Disclosure.objects.select_related("inspection__target", "inspection__round")
    return [
        {
            "key": str(d.inspection_id),
            "org_name": d.inspection.target.name,
            "title": f"{d.inspection.round.name}{d.inspection.target.name}整改情况公开",
            "published_on": _iso(d.published_on),
            "text": d.text,
        }
        for d in rows.order_by("published_on", "pk")
    ]


def portal_publish(*, actor: Actor, client: PortalClient | None = None) -> PublishResult:
    """Send the announcements and the disclosures to the portal."""
    client = client or portal_client()
    announcements, disclosures = announcement_items(), disclosure_items()
    try:
        client.put_announcements(announcements)
        client.put_disclosures(disclosures)
    except PortalError as e:
        PortalCursor.objects.get_or_create(pk=1)
        PortalCursor.objects.filter(pk=1).update(publish_error=str(e)[:300])
        return PublishResult(error=str(e))
    body = json.dumps([announcements, disclosures], ensure_ascii=False, sort_keys=True)
    digest = sm3_hex(body.encode())
    now = timezone.now()
    with transaction.atomic():
        cursor = PortalCursor.objects.select_for_update().get_or_create(pk=1)[0]
        cursor.published_at, cursor.publish_error = now, ""
        changed = digest != cursor.published_sm3
        cursor.published_sm3 = digest
        cursor.save(update_fields=["published_at", "publish_error", "published_sm3"])
        if changed:
            stale = Q(published_at__isnull=True) | Q(published_at__lt=F("updated_at"))
            _live().filter(stale).update(published_at=now)
            record(
                actor=actor,
                action="intake.publish",
                object_type="intake.portal",
                object_repr="码上巡察门户",
                after={
                    "announcements": sorted(_live().values_list("inspection_id", flat=True)),
                    "disclosures": [d["key"] for d in disclosures],
                },
            )
    return PublishResult(announcements=len(announcements), disclosures=len(disclosures))
