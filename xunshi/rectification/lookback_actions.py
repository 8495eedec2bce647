"""Look-back (回头看): a new inspection of the same unit, linked to its parent, whose ledger
starts from the parent's open items.

The copies keep the parent item's plan (measures, leader, department, deadline, kind) and
point back with `carried_from`; they start pending, so the unit confirms or revises the plan
after the look-back's own feedback. The parent's items stay as they are: closing them is
still the parent's business.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import Role
from xunshi.audit.actions import record
from xunshi.rounds.actions import inspection_create
from xunshi.rounds.models import Inspection, InspectionKind, Team
from xunshi.searchindex.actions import search_index

from .access import FEEDBACK_ON
from .models import OPEN_STATUSES, ItemStatus, RectificationItem
from .queries import is_later_round
from .search_kinds import LEDGER_ITEMS

__all__ = ["lookback_create"]

_COPIED = ["title", "measures", "responsible_leader", "responsible_department", "deadline", "kind"]


def lookback_create(*, actor: Actor, parent: Inspection, team: Team) -> Inspection:
    """Open a look-back of the parent's unit for a team of a later round, carrying the
    parent's open ledger items over."""
    user = person(actor)  # None for the system; an anonymous user is refused
    if user is not None and user.role != Role.OFFICE:
        raise ValidationError("“回头看”须由巡视办安排。")
    if parent.stage not in FEEDBACK_ON:
        raise ValidationError(
            f"{parent.target.name}的巡视尚未反馈（当前阶段为“{parent.get_stage_display()}”），"
            "不能安排“回头看”。"
        )
    open_items = list(parent.rectification_items.filter(status__in=OPEN_STATUSES).order_by("seq"))
    if not open_items:
        raise ValidationError(f"{parent.target.name}的整改台账没有未销号事项，无需安排“回头看”。")
    if not is_later_round(team, parent):
        raise ValidationError(f"“回头看”须由{parent.round.name}之后轮次的巡视组承担。")
    with transaction.atomic():
        child = inspection_create(
            actor=actor,
            team=team,
            target=parent.target,
            kind=InspectionKind.LOOK_BACK,
            parent=parent,
        )
        copies = []
        for n, src in enumerate(open_items, 1):
            copy = RectificationItem(
                inspection=child,
                seq=n,
                problem=src.problem,
                carried_from=src,
                status=ItemStatus.PENDING,
            )
            for name in _COPIED:
                setattr(copy, name, getattr(src, name))
            copies.append(copy)
        RectificationItem.objects.bulk_create(copies)
        for copy in copies:
            search_index(LEDGER_ITEMS, copy)
        record(
            actor=actor,
            action="rectification.lookback.create",
            obj=child,
            after={"parent": parent.pk, "carried_from": [i.pk for i in open_items]},
        )
    return child
