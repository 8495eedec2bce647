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
from xunshi.registry.models import InspectingBody, OrgUnit
from xunshi.rounds import yearplan_actions as year_plans
from xunshi.rounds.models import DONE_STAGES, Inspection, Round, Stage, YearPlan

__all__ = [
    "approve_round",
    "demo_year_plan",
    "group_member",
    "hear_or_decide",
    "history_decisions",
]

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
    # The approval stands on the round too (`Round.plan_approved_on`), as the action sets it.
    for d in rows:
        if d.kind == DecisionKind.ROUND_PLAN and d.round is not None:
            Round.objects.filter(pk=d.round.pk).update(
                plan_approved_on=d.held_on, plan_approved_by_meeting=d.meeting
            )


def demo_year_plan(latest: Round) -> YearPlan:
    """The province's plan for the year of its latest round, approved by the leading group in
    January: that round as carried out, and an autumn round of the organizations the term has
    not reached yet, so that the execution table shows one round done and one to come."""
    assert latest.start is not None
    body, year = latest.body, latest.start.year
    plan = year_plans.year_plan_create(
        actor=SYSTEM, body=body, year=year, theme="突出防范化解重大风险和乡村振兴"
    )
    spring = list(OrgUnit.objects.filter(inspections__round=latest).order_by("code"))
    first = year_plans.year_plan_round_save(
        actor=SYSTEM,
        plan=plan,
        position=1,
        name=latest.name,
        theme=latest.theme,
        start=latest.start,
        end=latest.end or latest.start,
        targets=spring,
    )
    year_plans.year_plan_link_round(actor=SYSTEM, plan_round=first, round=latest)
    untouched = (
        OrgUnit.objects.filter(body=body, in_scope=True, sector__in=["county", "department"])
        .exclude(inspections__round__term=latest.term)
        .order_by("sector", "code")
    )
    year_plans.year_plan_round_save(
        actor=SYSTEM,
        plan=plan,
        position=2,
        name=f"{year}年第二轮巡视（计划）",
        theme="乡村振兴专项",
        theme_tags=["贫困县"],
        start=dt.date(year, 9, 7),
        end=dt.date(year, 11, 6),
        targets=list(untouched[: max(plan.min_targets - len(spring), 30)]),
    )
    held = min(dt.date(year, 1, 20), timezone.localdate())
    decision_record(
        actor=group_member(body),
        kind=DecisionKind.YEAR_PLAN,
        year_plan=plan,
        meeting_number=_meeting(body, held, committee=False),
        held_on=held,
        opinion="原则同意年度巡视工作计划。",
    )
    plan.refresh_from_db()
    return plan
