"""Read-side questions of the on-site records that the pages ask beyond access: a talk's
same-day twins, an inspection's petitions under the lists' filters
(xunshi/rounds/list_filters.py)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from xunshi.rounds.list_filters import Filters
from xunshi.rounds.models import Inspection

from .models import Petition, Talk

__all__ = ["petitions_filtered", "same_day_talks"]


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


def petitions_filtered(inspection: Inspection, filters: Filters) -> QuerySet[Petition]:
    """The inspection's petitions by number: of a routing (``status``), received in the dates."""
    petitions = inspection.petitions.all()
    if filters.status:
        petitions = petitions.filter(routing=filters.status)
    if filters.start:
        petitions = petitions.filter(received_on__gte=filters.start)
    if filters.end:
        petitions = petitions.filter(received_on__lte=filters.end)
    return petitions.order_by("seq")
