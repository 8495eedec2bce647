"""What the portal pages read: the office's overview and the portal panel of a petition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from xunshi.fieldwork.models import Petition
from xunshi.rounds.models import Inspection

from .models import (
    PortalAnnouncement,
    PortalCursor,
    PortalSubmission,
    SubmissionKind,
    Unrouted,
    default_scope,
)
from .push import pending_rows, with_wanted

__all__ = [
    "Overview",
    "announcement_rows",
    "last_pull",
    "overview",
    "petition_followups",
    "petition_report",
    "report_link",
    "with_wanted",
]


@dataclass(frozen=True)
class Overview:
    cursor: PortalCursor
    counts: dict[str, int]
    unrouted: QuerySet[PortalSubmission]  # oldest first, paged by the page
    unreadable: QuerySet[PortalSubmission]
    outbox: QuerySet[PortalSubmission]  # pending pushes, oldest first, paged by the page
    failed_pushes: QuerySet[PortalSubmission]


def overview(*, routes_reports: bool) -> Overview:
    """Last pull, counts, what the office must look at, and what still waits to be pushed;
    the reports waiting to be routed only for the office that routes them."""
    # Before the first pull there is no row yet; the page reads the defaults, writing nothing.
    cursor = PortalCursor.objects.filter(pk=1).first() or PortalCursor(pk=1)
    by_kind = dict(PortalSubmission.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    waiting = PortalSubmission.objects.filter(routed=False).select_related("parent").order_by("seq")
    none = PortalSubmission.objects.none()
    outbox = pending_rows()
    return Overview(
        cursor=cursor,
        counts={
            "reports": by_kind.get(SubmissionKind.REPORT, 0),
            "followups": by_kind.get(SubmissionKind.FOLLOWUP, 0),
            "routed": PortalSubmission.objects.filter(routed=True).count(),
            "waiting": waiting.count(),
        },
        unrouted=waiting.exclude(reason=Unrouted.UNREADABLE) if routes_reports else none,
        unreadable=waiting.filter(reason=Unrouted.UNREADABLE) if routes_reports else none,
        outbox=outbox,
        failed_pushes=outbox.exclude(push_error=""),
    )


def report_link(token: str) -> str:
    """The portal's report form for an announcement: what its QR code opens."""
    return f"{settings.XUNSHI_PORTAL_URL}/r/{token}/"


def announcement_rows(inspections: QuerySet[Inspection]) -> list[dict[str, Any]]:
    """Each inspection taking petitions with its announcement (or the defaults for a new one)."""
    anns = {
        a.inspection_id: a for a in PortalAnnouncement.objects.filter(inspection__in=inspections)
    }
    rows = []
    for insp in inspections.select_related("target", "team", "round").order_by(
        "round", "team__number", "pk"
    ):
        ann = anns.get(insp.pk)
        initial = (
            {"phone": ann.phone, "mailbox": ann.mailbox, "address": ann.address, "scope": ann.scope}
            if ann
            else {
                "phone": "",
                "mailbox": "",
                "address": "",
                "scope": default_scope(insp.target.name),
            }
        )
        rows.append(
            {
                "inspection": insp,
                "announcement": ann,
                "initial": initial,
                "link": report_link(ann.token) if ann else "",
                "poster": f"{settings.XUNSHI_PORTAL_URL}/a/{ann.token}/poster.png" if ann else "",
            }
        )
    return rows


def petition_report(petition: Petition) -> PortalSubmission | None:
    """The portal report a petition came from, if any."""
    return PortalSubmission.objects.filter(petition=petition, kind=SubmissionKind.REPORT).first()


def petition_followups(petition: Petition) -> list[PortalSubmission]:
    """What the reporter added through the receipt, oldest first."""
    return list(
        PortalSubmission.objects.filter(petition=petition, kind=SubmissionKind.FOLLOWUP)
        .prefetch_related("attachments")
        .order_by("seq")
    )


def last_pull() -> tuple[dt.datetime | None, str]:
    """When the puller last reached for the portal, and its error then ("" when it got
    through): what the health check (`/healthz`) reads."""
    row = PortalCursor.objects.filter(pk=1).values_list("pulled_at", "pull_error").first()
    return (row[0], row[1]) if row else (None, "")
