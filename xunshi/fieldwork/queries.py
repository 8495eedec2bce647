"""Read-side questions of the on-site records that the pages ask beyond access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Talk

__all__ = ["same_day_talks"]


def same_day_talks(talk: Talk) -> QuerySet[Talk]:
    """The inspection's other talks with the same interviewee on the same day (local time):
    more often a double entry than a second talk (xunshi.rounds.date_rules, rule 4)."""
    day = timezone.localtime(talk.held_at).date()
    return (
        Talk.objects.filter(inspection_id=talk.inspection_id, interviewee=talk.interviewee)
        .filter(held_at__date=day)
        .exclude(pk=talk.pk)
        .order_by("held_at", "pk")
    )
