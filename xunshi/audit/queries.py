"""Read-side questions of the audit trail: the events for the audit admin's list."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent

__all__ = ["audit_events"]


def audit_events(q: str = "") -> QuerySet[AuditEvent]:
    """The events, newest first; with `q`, those whose action or actor's name contains it."""
    events = AuditEvent.objects.order_by("-id")
    if q:
        events = events.filter(action__icontains=q) | events.filter(actor_username__icontains=q)
    return events
