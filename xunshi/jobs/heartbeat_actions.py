"""The worker's heartbeat: the one write the health check reads (`/healthz`)."""

from __future__ import annotations

from django.utils import timezone

from .models import Heartbeat

__all__ = ["heartbeat_beat"]


def heartbeat_beat(*, name: str) -> None:
    """Record that the process called `name` is alive now (not audited: it beats every half
    minute and changes nothing of the office's work)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
