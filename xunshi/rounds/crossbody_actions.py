"""The writers of the rounds that cross bodies (上下联动): the organising body's decision of a
提级巡察 or 交叉巡察 round, and the link of a lower body's round to a 联动 round above it.

The rules they apply are in `bodies.py`; `actions.inspection_create` and
`actions.round_apply_plan` refuse to create inspections before the decision is recorded.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record, snapshot

from .bodies import bodies_above, decision_errors, link_differences
from .models import InspectionKind, Round

__all__ = ["round_link", "round_record_decision"]

_DECISION = ["decision_ref", "decided_on"]


def round_record_decision(
    *, actor: Actor, round: Round, decision_ref: str, decided_on: dt.date | None
) -> Round:
    """Record (or correct) the organising body's decision on the round: its number and date."""
    ref = decision_ref.strip()
    errors = [] if ref or decided_on else ["请填写决定文号和决定日期。"]
    errors += decision_errors(ref, decided_on, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    if ref == round.decision_ref and decided_on == round.decided_on:
        raise ValidationError(f"{round.name}的决定已是{ref}，没有变化。")
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        before = snapshot(locked, _DECISION)
        locked.decision_ref, locked.decided_on = ref, decided_on
        locked.save(update_fields=_DECISION)
        record(
            actor=actor,
            action="rounds.round.decision",
            obj=locked,
            before=before,
            after=snapshot(locked, _DECISION),
        )
    round.decision_ref, round.decided_on = ref, decided_on
    return round


def round_link(*, actor: Actor, round: Round, to: Round | None) -> Round:
    """Link the round to a 联动 round of a body above its own (same theme, same dates), or
    unlink it with `to=None`."""
    if to is None:
        if round.linked_to_id is None:
            raise ValidationError(f"{round.name}尚未与上级轮次联动。")
    else:
        if to.body_id not in bodies_above(round.body_id):
            raise ValidationError(f"{to.name}不是{round.body.name}的上级党组织的轮次，不能联动。")
        if to.kind != InspectionKind.LINKED:
            raise ValidationError(f"{to.name}不是上下联动轮次，不能联动。")
        if round.linked_to_id == to.pk:
            raise ValidationError(f"{round.name}已与{to.name}联动。")
        differences = link_differences(round, to)
        if differences:
            raise ValidationError([*differences, "联动轮次须与上级轮次监督重点和时间一致。"])
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        before = snapshot(locked, ["linked_to"])
        locked.linked_to = to
        locked.save(update_fields=["linked_to"])
        record(
            actor=actor,
            action="rounds.round.link" if to is not None else "rounds.round.unlink",
            obj=locked,
            before=before,
            after=snapshot(locked, ["linked_to"]),
        )
    round.linked_to = to
    return round
