"""The only code that writes the year's plan (年度巡视巡察工作计划): a draft version, its rounds
and planned targets, a new version of an approved plan, the link of a planned round to the
round that carries it out, and the approval that the decisions room records.

Only a draft is changed. An approved version stays as the leading group approved it; a change
is a new version (`year_plan_revise`), a draft again, which goes back to the leading group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import Actor, person
from xunshi.audit.actions import record, snapshot
from xunshi.registry.models import InspectingBody, OrgUnit

from .models import InspectionKind, Round, YearPlan, YearPlanRound, YearPlanStatus
from .yearplan_rules import clean_tags, year_plan_problems

__all__ = [
    "year_plan_create",
    "year_plan_link_round",
    "year_plan_mark_approved",
    "year_plan_revise",
    "year_plan_round_remove",
    "year_plan_round_save",
]

PLAN_FIELDS = ["body", "year", "version", "status", "theme", "min_targets", "min_rounds"]
PLAN_ROUND_FIELDS = ["plan", "position", "name", "kind", "theme", "theme_tags", "start", "end"]


def _draft_only(plan: YearPlan) -> None:
    if plan.status != YearPlanStatus.DRAFT:
        raise ValidationError(
            f"{plan.year}年度工作计划第{plan.version}版{plan.get_status_display()}，"
            "不能修改；请新建版本，修改后重新报领导小组审批。"
        )


def year_plan_create(
    *,
    actor: Actor,
    body: InspectingBody,
    year: int,
    theme: str = "",
    min_targets: int = 70,
    min_rounds: int = 2,
) -> YearPlan:
    """Open version 1 of the body's plan for a year, a draft."""
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年度“{year}”无效。")
    if YearPlan.objects.filter(body=body, year=year).exists():
        raise ValidationError(f"{body.name}已有{year}年度工作计划；如需修改，请新建版本。")
    with transaction.atomic():
        plan = YearPlan.objects.create(
            body=body,
            year=year,
            theme=theme.strip(),
            min_targets=min_targets,
            min_rounds=min_rounds,
            created_by=person(actor),
        )
        record(
            actor=actor,
            action="rounds.yearplan.create",
            obj=plan,
            after=snapshot(plan, PLAN_FIELDS),
        )
    return plan


def year_plan_round_save(
    *,
    actor: Actor,
    plan: YearPlan,
    position: int,
    name: str,
    start: dt.date,
    end: dt.date,
    targets: Sequence[OrgUnit],
    kind: str = InspectionKind.REGULAR,
    theme: str = "",
    theme_tags: Sequence[str] | str = (),
) -> YearPlanRound:
    """Add the plan's round at `position`, or replace what it says: dates, theme, targets."""
    _draft_only(plan)
    errors = []
    if kind not in InspectionKind.values:
        errors.append(plan.body.own_words(f"未知的巡视类型“{kind}”。"))
    if end < start:
        errors.append(f"“{name}”的结束日期早于进驻日期。")
    if start.year != plan.year or end.year != plan.year:
        errors.append(f"“{name}”的日期须在{plan.year}年内。")
    foreign = [t.name for t in targets if t.body_id != plan.body_id]
    if foreign:
        errors.append(
            plan.body.own_words(f"以下单位不在{plan.body.name}的巡视对象名录中：")
            + f"{'、'.join(foreign)}。"
        )
    twice = (
        YearPlanRound.targets.through.objects.filter(
            yearplanround__plan=plan, orgunit__in=[t.pk for t in targets]
        )
        .exclude(yearplanround__position=position)
        .select_related("orgunit", "yearplanround")
    )
    errors += [
        f"{row.orgunit.name}已列入“{row.yearplanround.name}”，同一年度不重复安排。" for row in twice
    ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        YearPlan.objects.select_for_update().get(pk=plan.pk)
        plan_round, _created = YearPlanRound.objects.update_or_create(
            plan=plan,
            position=position,
            defaults={
                "name": name.strip(),
                "kind": kind,
                "theme": theme.strip(),
                "theme_tags": clean_tags(theme_tags),
                "start": start,
                "end": end,
            },
        )
        plan_round.targets.set(targets)
        record(
            actor=actor,
            action="rounds.yearplan.round",
            obj=plan_round,
            after=snapshot(plan_round, PLAN_ROUND_FIELDS) | {"targets": len(targets)},
        )
    return plan_round


def year_plan_round_remove(*, actor: Actor, plan_round: YearPlanRound) -> None:
    """Take a round out of a draft plan."""
    _draft_only(plan_round.plan)
    with transaction.atomic():
        record(
            actor=actor,
            action="rounds.yearplan.round.remove",
            obj=plan_round,
            before=snapshot(plan_round, PLAN_ROUND_FIELDS),
        )
        plan_round.delete()


def year_plan_revise(*, actor: Actor, plan: YearPlan) -> YearPlan:
    """A new draft version of an approved plan, with its rounds and targets, to change and
    take to the leading group again."""
    if plan.status != YearPlanStatus.APPROVED:
        raise ValidationError("只有已批准的年度计划才能新建版本；草稿可直接修改。")
    if YearPlan.objects.filter(
        body=plan.body, year=plan.year, status=YearPlanStatus.DRAFT
    ).exists():
        raise ValidationError(f"{plan.year}年度工作计划已有待审批的新版本。")
    with transaction.atomic():
        last = (
            YearPlan.objects.select_for_update()
            .filter(body=plan.body, year=plan.year)
            .order_by("-version")
            .first()
        )
        version = (last.version if last else plan.version) + 1
        draft = YearPlan.objects.create(
            body=plan.body,
            year=plan.year,
            version=version,
            theme=plan.theme,
            min_targets=plan.min_targets,
            min_rounds=plan.min_rounds,
            created_by=person(actor),
        )
        for r in plan.rounds.all():
            copy = YearPlanRound.objects.create(
                plan=draft,
                position=r.position,
                name=r.name,
                kind=r.kind,
                theme=r.theme,
                theme_tags=r.theme_tags,
                start=r.start,
                end=r.end,
                round=r.round,
            )
            copy.targets.set(r.targets.all())
        record(
            actor=actor,
            action="rounds.yearplan.revise",
            obj=draft,
            after=snapshot(draft, PLAN_FIELDS) | {"from_version": plan.version},
        )
    return draft


def year_plan_mark_approved(*, actor: Actor, plan: YearPlan, on: dt.date, meeting: str) -> YearPlan:
    """The plan approved at the meeting: the version before it is superseded. Called by the
    decisions room's `decision_record` inside its transaction, which records the event."""
    _draft_only(plan)
    problems = year_plan_problems(plan)
    if problems:
        raise ValidationError([f"{plan}尚不能批准：", *problems])
    with transaction.atomic():
        YearPlan.objects.filter(
            body=plan.body, year=plan.year, status=YearPlanStatus.APPROVED
        ).update(status=YearPlanStatus.SUPERSEDED)
        plan.status = YearPlanStatus.APPROVED
        plan.approved_on = on
        plan.approved_by_meeting = meeting
        plan.save(update_fields=["status", "approved_on", "approved_by_meeting"])
    return plan


def year_plan_link_round(
    *, actor: Actor, plan_round: YearPlanRound, round: Round | None
) -> YearPlanRound:
    """Name the round that carries out a planned round (or none), for the execution table."""
    if round is not None and round.body_id != plan_round.plan.body_id:
        raise ValidationError(f"{round.name}不是{plan_round.plan.body.name}的轮次。")
    with transaction.atomic():
        before = plan_round.round_id
        plan_round.round = round
        plan_round.save(update_fields=["round"])
        record(
            actor=actor,
            action="rounds.yearplan.link",
            obj=plan_round,
            before={"round": before},
            after={"round": round.pk if round else None},
        )
    return plan_round
