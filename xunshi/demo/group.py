"""The demo's leading groups acting for themselves: each body's leading-group login approves
its rounds' plans, hears the reports and records the committee's decisions, so that every
inspection past those stages carries the records the stage table asks for.

The walked inspections go through the actions (`decision_record`, `inspection_decide`); the
term's closed history, which the demo writes without the stage table, gets its records
written directly (`history_decisions`), dated around each round's dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Max
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM, Actor
from xunshi.accounts.models import Role, User
from xunshi.decisions.actions import decision_record
from xunshi.decisions.models import Decision, DecisionKind
from xunshi.decisions.queries import round_approved
from xunshi.lifecycle.actions import inspection_decide
from xunshi.registry.models import InspectingBody
from xunshi.rounds.models import DONE_STAGES, Inspection, Round, Stage

__all__ = ["approve_round", "group_member", "hear_or_decide", "history_decisions"]

_AFTER_HEARING = frozenset(
    s
    for s in DONE_STAGES
    if s not in (Stage.WITHDRAWN, Stage.REPORT_DRAFTED, Stage.OFFICE_REVIEWED)
)
_AFTER_DECISION = _AFTER_HEARING - {Stage.LEADING_GROUP_HEARD}


def group_member(body: InspectingBody) -> Actor:
    """The body's leading-group login (the system while the body has none yet)."""
    user = User.objects.filter(role=Role.LEADING_GROUP, body=body, is_active=True).first()
    return user or SYSTEM


def _meeting(body: InspectingBody, on: dt.date, committee: bool) -> int:
    """The meeting held that day (one meeting a day takes all its items), or the next one."""
    rows = Decision.objects.filter(body=body)
    if committee:
        rows = rows.filter(kind=DecisionKind.COMMITTEE)
    else:
        rows = rows.exclude(kind=DecisionKind.COMMITTEE)
    same = rows.filter(held_on=on).first()
    if same is not None:
        return same.meeting_number
    return (rows.aggregate(n=Max("meeting_number"))["n"] or 0) + 1


def approve_round(rnd: Round, on: dt.date) -> None:
    """The leading group approves the round's plan (once), a few days before `on`."""
    if round_approved(rnd.pk):
        return
    held = min(on - dt.timedelta(days=3), timezone.localdate())
    decision_record(
        actor=group_member(rnd.body),
        kind=DecisionKind.ROUND_PLAN,
        round=rnd,
        meeting_number=_meeting(rnd.body, held, committee=False),
        held_on=held,
        opinion="同意本轮巡视工作方案。",
    )


def hear_or_decide(insp: Inspection, to: str, on: dt.date) -> None:
    """The leading group hears the report, or records the committee's decision, on `on`."""
    committee = to == Stage.COMMITTEE_DECIDED
    body = insp.round.body
    inspection_decide(
        actor=group_member(body),
        inspection=insp,
        to=to,
        meeting_number=_meeting(body, on, committee),
        held_on=on,
        opinion="原则同意巡视报告，按程序反馈。" if committee else "听取巡视情况汇报。",
    )


def history_decisions(rounds: Sequence[Round]) -> None:
    """The records of the closed history: every round's plan approved two weeks before it
    began; each finished inspection heard a month after the round and decided ten days later."""
    rows: list[Decision] = []
    today = timezone.localdate()
    for rnd in rounds:
        assert rnd.start is not None and rnd.end is not None
        who = group_member(rnd.body)
        by = who if isinstance(who, User) else None
        if not round_approved(rnd.pk):
            rows.append(
                Decision(
                    body=rnd.body,
                    kind=DecisionKind.ROUND_PLAN,
                    round=rnd,
                    held_on=min(rnd.start - dt.timedelta(days=14), today),
                    meeting_number=1,
                    recorded_by=by,
                )
            )
        for insp in rnd.inspections.filter(stage__in=_AFTER_HEARING):
            rows.append(
                Decision(
                    body=rnd.body,
                    kind=DecisionKind.HEARING,
                    inspection=insp,
                    held_on=min(rnd.end + dt.timedelta(days=30), today),
                    meeting_number=1,
                    recorded_by=by,
                )
            )
            if insp.stage in _AFTER_DECISION:
                rows.append(
                    Decision(
                        body=rnd.body,
                        kind=DecisionKind.COMMITTEE,
                        inspection=insp,
                        held_on=min(rnd.end + dt.timedelta(days=40), today),
                        meeting_number=1,
                        recorded_by=by,
                    )
                )
    # One meeting a day: number the days in order, the committee's apart from the group's.
    for committee in (False, True):
        mine = [d for d in rows if (d.kind == DecisionKind.COMMITTEE) == committee]
        days = sorted({d.held_on for d in mine})
        number = {day: n for n, day in enumerate(days, start=1)}
        for d in mine:
            d.meeting_number = number[d.held_on]
    Decision.objects.bulk_create(rows)
