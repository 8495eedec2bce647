"""The rules a year's plan is checked against before the leading group may approve it.

A province inspects at least 70 organizations a year in at least two rounds; the numbers are
settings of each plan (`YearPlan.min_targets`, `min_rounds`, with those defaults), so a city or
a county sets its own. `year_plan_problems` lists in Chinese what stands in the way; the plan
page shows the same list, and `year_plan_mark_approved` refuses while it is not empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from xunshi.registry.models import InspectingBody

from .models import YearPlan, YearPlanRound, YearPlanStatus

__all__ = ["clean_tags", "plan_round_open_errors", "year_plan_problems"]


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    """Tags as a list without blanks or repeats; a text is split on commas and 、 (中文顿号)."""
    if isinstance(tags, str):
        tags = tags.replace("，", ",").replace("、", ",").split(",")
    out: list[str] = []
    for t in tags:
        t = t.strip()
        if t and t not in out:
            out.append(t)
    return out


def year_plan_problems(plan: YearPlan) -> list[str]:
    """What keeps the plan from approval, in Chinese; empty when it may go to the leading group."""
    rounds = list(plan.rounds.all())
    out = []
    if len(rounds) < plan.min_rounds:
        out.append(f"年度计划只安排了{len(rounds)}轮，应不少于{plan.min_rounds}轮。")
    targets = YearPlanRound.targets.through.objects.filter(yearplanround__plan=plan)
    distinct = targets.values("orgunit_id").distinct().count()
    if distinct < plan.min_targets:
        said = f"年度计划巡视对象{distinct}个，应不少于{plan.min_targets}个。"
        out.append(plan.body.own_words(said))
    for r in rounds:
        if not r.targets.exists():
            out.append(plan.body.own_words(f"“{r.name}”尚未确定巡视对象。"))
        if r.start.year != plan.year or r.end.year != plan.year:
            out.append(f"“{r.name}”的日期不在{plan.year}年内。")
    return out


def plan_round_open_errors(
    plan_round: YearPlanRound, body: InspectingBody, start: dt.date | None
) -> list[str]:
    """Why a new round of the body, entering on `start`, cannot carry out the planned round."""
    plan = plan_round.plan
    if plan.body_id != body.pk or plan.status != YearPlanStatus.APPROVED:
        return [f"“{plan_round.name}”不在{body.name}已批准的年度计划中。"]
    if plan_round.round_id is not None:
        return [f"年度计划中的“{plan_round.name}”已由其他轮次实施，可在年度计划页面更正。"]
    if start is not None and start.year != plan.year:
        return [f"进驻日期不在{plan.year}年，不能实施{plan.year}年度计划中的“{plan_round.name}”。"]
    return []
