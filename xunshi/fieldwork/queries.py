"""Read-side questions of the on-site records: an inspection's petitions under the lists'
filters (xunshi/rounds/list_filters.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from xunshi.rounds.list_filters import Filters
from xunshi.rounds.models import Inspection

from .models import Petition

__all__ = ["petitions_filtered"]


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
