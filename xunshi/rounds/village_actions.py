"""The only code that writes a village round's on-site dates (驻村安排, 对村巡察).

A county's village round sends each team to many villages and communities (一托N, N up to
40), one after another (依次进驻) or k at a time (分批进驻), a few working days each.
`round_schedule_villages` lays each team's villages, in the team's order, on the working days
between two dates with ``planner.village_schedule.village_schedule`` (pure: the holidays and the
make-up working days come from the working-day calendar of ``xunshi.deadlines``) and writes
each inspection's start, end and batch. Nothing is written unless every team fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from planner.village_schedule import Village, village_schedule
from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.deadlines.calendar import WorkCalendar
from xunshi.lib.officedoc import cn_date

from .models import Inspection, InspectionKind, Round, Stage

__all__ = ["SCHEDULE_MODES", "calendar_exceptions", "round_schedule_villages"]

SCHEDULE_MODES = {"sequence": "依次进驻", "batch": "分批进驻"}
# Before the entry notice the dates may still move; after it they are the team's word.
_MOVABLE = frozenset({Stage.PLANNED, Stage.AUTHORIZED})


def calendar_exceptions(first: dt.date, last: dt.date) -> tuple[set[dt.date], set[dt.date]]:
    """The holidays falling on weekdays and the make-up working days (调休上班) falling on
    weekends from `first` to `last`, by the official calendar; a year not entered is refused
    in Chinese (`UnknownYear`)."""
    calendar = WorkCalendar()
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    day = first
    while day <= last:
        working = calendar.is_workday(day)
        if day.weekday() < 5 and not working:
            holidays.add(day)
        elif day.weekday() >= 5 and working:
            workdays.add(day)
        day += dt.timedelta(days=1)
    return holidays, workdays


def _visits(
    inspections: Sequence[Inspection],
    first: dt.date,
    last: dt.date,
    *,
    mode: str,
    batch_size: int,
    days_per_village: int,
    holidays: set[dt.date],
    workdays: set[dt.date],
    group_by_township: bool,
) -> dict[int, tuple[dt.date, dt.date, int]]:
    """Inspection id → (start, end, batch) of one team's villages; the batches are numbered
    by their first day, so in sequence each village is a batch of its own."""
    by_code = {i.target.code: i for i in inspections}
    villages = [
        Village(
            id=i.target.code,
            name=i.target.name,
            township=i.target.parent.code if i.target.parent else "",
        )
        for i in inspections
    ]
    try:
        visits = village_schedule(
            villages,
            first,
            last,
            mode="batch" if mode == "batch" else "sequence",
            days_per_village=days_per_village,
            batch_size=batch_size,
            holidays=holidays,
            workdays=workdays,
            group_by_township=group_by_township,
        )
    except ValueError as e:
        raise ValidationError(str(e)) from e
    return {by_code[v.village.id].pk: (v.start, v.end, v.batch) for v in visits}


def _check(
    rnd: Round, first: dt.date | None, last: dt.date | None, mode: str, batch_size: int, days: int
) -> list[str]:
    problems = []
    if rnd.kind != InspectionKind.VILLAGE:
        problems.append(f"{rnd.name}不是对村巡察轮次，无需驻村安排。")
    if first is None or last is None:
        problems.append("请填写驻村开始日期和结束日期。")
    elif first > last:
        problems.append(f"驻村开始日期（{cn_date(first)}）晚于结束日期（{cn_date(last)}）。")
    else:
        if rnd.start and first < rnd.start:
            problems.append(
                f"驻村开始日期（{cn_date(first)}）早于本轮进驻日期（{cn_date(rnd.start)}）。"
            )
        if rnd.end and last > rnd.end:
            problems.append(
                f"驻村结束日期（{cn_date(last)}）晚于本轮结束日期（{cn_date(rnd.end)}）。"
            )
    if mode not in SCHEDULE_MODES:
        problems.append("请选择进驻方式：依次进驻或分批进驻。")
    elif mode == "batch" and batch_size < 2:
        problems.append("分批进驻时每批至少2个村（社区）；每次1个请选择依次进驻。")
    if days < 1:
        problems.append("每村进驻天数至少为1个工作日。")
    return problems


def round_schedule_villages(
    *,
    actor: Actor,
    round: Round,
    mode: str,
    days_per_village: int,
    batch_size: int = 1,
    first: dt.date | None = None,
    last: dt.date | None = None,
    group_by_township: bool = False,
) -> list[Inspection]:
    """Set the on-site dates and batch of every village of the round's teams (驻村安排)."""
    rnd = round
    first, last = first or rnd.start, last or rnd.end
    batch_size = batch_size if mode == "batch" else 1
    problems = _check(rnd, first, last, mode, batch_size, days_per_village)
    if problems:
        raise ValidationError(problems)
    assert first is not None and last is not None
    # A team's order: its batches as they stand (all 1 after a plan is applied), and within
    # a batch by township and village code, so that a first schedule goes village by village
    # through the registry's order and a second one keeps the first one's.
    inspections = list(
        rnd.inspections.select_related("team", "target__parent").order_by(
            "team__number", "batch", "target__parent__code", "target__code", "pk"
        )
    )
    if not inspections:
        raise ValidationError(f"{rnd.name}尚未分配巡察对象，请先编制并采用巡察方案。")
    fixed = [i for i in inspections if i.stage not in _MOVABLE]
    if fixed:
        names = "、".join(f"{i.target.name}（{i.get_stage_display()}）" for i in fixed[:3])
        more = f"等{len(fixed)}个村（社区）" if len(fixed) > 3 else ""
        raise ValidationError(f"{names}{more}已发出进驻通知，不能再调整驻村安排。")
    holidays, workdays = calendar_exceptions(first, last)
    teams: dict[int, list[Inspection]] = {}
    for inspection in inspections:
        teams.setdefault(inspection.team.number, []).append(inspection)
    planned: dict[int, tuple[dt.date, dt.date, int]] = {}
    refusals = []
    for team in teams.values():
        try:
            planned |= _visits(
                team,
                first,
                last,
                mode=mode,
                batch_size=batch_size,
                days_per_village=days_per_village,
                holidays=holidays,
                workdays=workdays,
                group_by_township=group_by_township,
            )
        except ValidationError as e:
            refusals.append(f"{team[0].team.name}：{''.join(e.messages)}")
    if refusals:
        raise ValidationError(refusals)
    with transaction.atomic():
        rows = list(
            Inspection.objects.select_for_update()
            .filter(pk__in=list(planned))
            .select_related("target")
            .order_by("pk")
        )
        moved = [i for i in rows if i.stage not in _MOVABLE]
        if moved:
            raise ValidationError(f"{moved[0].target.name}已发出进驻通知，不能再调整驻村安排。")
        for row in rows:
            row.start, row.end, row.batch = planned[row.pk]
        Inspection.objects.bulk_update(rows, ["start", "end", "batch"])
        record(
            actor=actor,
            action="rounds.round.schedule_villages",
            obj=rnd,
            after=_event(rnd, rows, mode, batch_size, days_per_village, first, last),
        )
    by_pk = {row.pk: row for row in rows}
    return [by_pk[i.pk] for i in inspections]


def _event(
    rnd: Round,
    rows: list[Inspection],
    mode: str,
    batch_size: int,
    days: int,
    first: dt.date,
    last: dt.date,
) -> dict[str, Any]:
    return {
        "round": rnd.pk,
        "mode": mode,
        "batch_size": batch_size,
        "days_per_village": days,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "inspections": [
            [row.target.code, _iso(row.start), _iso(row.end), row.batch]
            for row in sorted(rows, key=lambda r: (r.team_id, r.batch, r.pk))
        ],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
