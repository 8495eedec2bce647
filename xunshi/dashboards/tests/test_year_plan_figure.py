"""The year's plan against its execution on the dashboards: only an approved plan is charted."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.dashboards.access import dashboard_scope
from xunshi.dashboards.queries import FIGURES
from xunshi.decisions.actions import decision_record
from xunshi.decisions.models import DecisionKind
from xunshi.rounds import yearplan_actions as plans
from xunshi.testsupport.lifecycle import set_stage

D = dt.date


def _figure(world):  # type: ignore[no-untyped-def]
    scope = dashboard_scope(world.users["gina"], round=None, year=2026, today=D(2026, 12, 6))
    return FIGURES["year_plan"](scope)


def test_it_charts_the_approved_plan_planned_arranged_and_done(world, login):
    plan = plans.year_plan_create(
        actor=SYSTEM, body=world.body, year=2026, min_targets=1, min_rounds=1
    )
    first = plans.year_plan_round_save(
        actor=SYSTEM, plan=plan, position=1, name="第一轮", start=D(2026, 9, 1),
        end=D(2026, 10, 31), targets=[world.lankao, world.xinxian, world.finance],
    )  # fmt: skip
    plans.year_plan_link_round(actor=SYSTEM, plan_round=first, round=world.round)
    set_stage(inspection=world.inspection1, stage="withdrawn")
    draft = _figure(world)
    assert draft.rows == [] and "没有经领导小组批准的年度计划" in draft.note

    decision_record(
        actor=world.users["gina"],
        kind=DecisionKind.YEAR_PLAN,
        meeting_number=3,
        held_on=D(2026, 8, 20),
        year_plan=plan,
    )
    assert _figure(world).rows == [
        ["第一轮·县（市、区）", 2, 1, 1, 50.0],
        ["第一轮·省直单位", 1, 1, 0, 0.0],
    ]
    page = login(world.users["gina"]).get(reverse("dashboard_home"), {"year": 2026})
    assert "年度计划执行情况" in page.content.decode()
