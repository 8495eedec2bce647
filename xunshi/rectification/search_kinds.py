"""The ledger's kind in the full-text search: rectification items (the problem, the measures,
who answers for them), read by whoever reads the ledger (`ledger_inspections_for`: the office
and leading group of the body, the team, the inspected organization's liaison). Indexed as
keyed digests like every case text (`xunshi/searchindex/tokens.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can
from xunshi.accounts.models import User
from xunshi.searchindex.kinds import Entry, SearchKind, Shown

from .access import ledger_inspections_for
from .models import RectificationItem

__all__ = ["LEDGER_ITEMS"]


def _entry(item: RectificationItem) -> Entry:
    return Entry(
        object_id=item.pk,
        body_id=item.inspection.round.body_id,
        inspection_id=item.inspection_id,
        on=item.deadline,
        sealed=(item.title, item.measures, item.responsible_leader, item.responsible_department),
    )


def _scope(user: User) -> Q:
    if not can(user, "ledger.view"):
        return Q(pk__in=[])
    return Q(inspection_id__in=ledger_inspections_for(user).values("pk"))


def _present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        i.pk: Shown(
            title=gettext("整改事项%(seq)s（%(where)s）")
            % {"seq": i.seq, "where": i.inspection.target.name},
            url=reverse("ledger", args=[i.inspection_id]) + f"#item-{i.pk}",
            on=i.deadline,
            text="\n".join((i.title, i.measures)),
        )
        for i in RectificationItem.objects.filter(pk__in=ids).select_related("inspection__target")
    }


def _items() -> QuerySet[Any]:
    return RectificationItem.objects.select_related("inspection__round").order_by("pk")


LEDGER_ITEMS = SearchKind(
    "ledger_item", _("整改事项"), "ledger.view", _entry, _items, _scope, _present, 70
)
