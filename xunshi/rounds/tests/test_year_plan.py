"""The year's plan (年度巡视巡察工作计划): kept as versions, checked against its rules, approved
by the leading group, revised into a new version that goes back to it, and followed by an
execution table; and the round's theme tags that rank the proposed targets."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.registry import actions as reg
from xunshi.rounds import yearplan_actions as plans
from xunshi.rounds.models import YearPlan, YearPlanStatus
from xunshi.rounds.planning import propose_targets
from xunshi.rounds.yearplan_queries import year_plan_execution
from xunshi.testsupport.lifecycle import set_stage

D = dt.date


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def _round_data(position: int, codes: str, **extra: object) -> dict[str, object]:
    month = 3 if position == 1 else 9
    return {
        "position": position,
        "name": f"2026年第{position}轮巡视",
        "kind": "regular",
        "theme": "",
        "theme_tags": "",
        "start": D(2026, month, 1).isoformat(),
        "end": D(2026, month + 2, 15).isoformat(),
        "target_codes": codes,
        **extra,
    }


def _meeting(n: int) -> dict[str, object]:
    return {"meeting_number": n, "held_on": timezone.localdate().isoformat()}


def _plan(world, **kw):  # type: ignore[no-untyped-def]
    return plans.year_plan_create(actor=SYSTEM, body=world.body, year=2026, **kw)


def test_it_lists_the_plans_rules_and_refuses_to_approve_a_plan_that_breaks_them(world, login):
    client = login(world.users["alice"])
    created = client.post(
        reverse("year_plan_create"),
        {"year": 2026, "theme": "脱贫攻坚", "min_targets": 70, "min_rounds": 2},
        follow=True,
    )
    plan = YearPlan.objects.get(body=world.body, year=2026)
    assert "全年巡视对象不少于70个，不少于2轮" in _text(created)
    client.post(reverse("year_plan_round_save", args=[plan.pk]), _round_data(1, "410225 D014"))
    page = _text(client.get(reverse("year_plan_detail", args=[plan.pk])))
    assert "年度计划只安排了1轮，应不少于2轮。" in page
    assert "年度计划巡视对象2个，应不少于70个。" in page
    refused = login(world.users["gina"]).post(
        reverse("year_plan_approve", args=[plan.pk]), _meeting(2), follow=True
    )
    assert "年度计划只安排了1轮，应不少于2轮。" in _messages(refused)
    plan.refresh_from_db()
    assert plan.status == YearPlanStatus.DRAFT


def test_it_lets_the_leading_group_approve_a_plan_that_keeps_its_rules(world, login):
    plan = _plan(world, min_targets=3)
    client = login(world.users["alice"])
    client.post(reverse("year_plan_round_save", args=[plan.pk]), _round_data(1, "410225,D014"))
    client.post(reverse("year_plan_round_save", args=[plan.pk]), _round_data(2, "411523"))
    done = login(world.users["gina"]).post(
        reverse("year_plan_approve", args=[plan.pk]), _meeting(2), follow=True
    )
    assert "已记录：领导小组第2次会议审批年度工作计划。" in _messages(done)
    plan.refresh_from_db()
    assert plan.status == YearPlanStatus.APPROVED
    assert plan.approved_by_meeting == "领导小组第2次会议"
    assert "由孙丽（领导小组）记录" in _text(done)


def test_it_refuses_a_target_planned_twice_or_outside_the_registry(world, login):
    plan = _plan(world)
    client = login(world.users["alice"])
    client.post(reverse("year_plan_round_save", args=[plan.pk]), _round_data(1, "410225"))
    twice = client.post(
        reverse("year_plan_round_save", args=[plan.pk]), _round_data(2, "410225"), follow=True
    )
    assert "兰考县已列入“2026年第1轮巡视”，同一年度不重复安排。" in _messages(twice)
    unknown = client.post(
        reverse("year_plan_round_save", args=[plan.pk]), _round_data(2, "X999"), follow=True
    )
    assert "以下单位代码不在中共河南省委的名录中：X999。" in _messages(unknown)
    late = client.post(
        reverse("year_plan_round_save", args=[plan.pk]),
        _round_data(2, "D014", end="2027-01-10"),
        follow=True,
    )
    assert "“2026年第2轮巡视”的日期须在2026年内。" in _messages(late)
    assert plan.rounds.count() == 1


def test_it_sends_a_new_version_after_approval_to_the_leading_group_again(world, login):
    plan = _plan(world, min_targets=2)
    plans.year_plan_round_save(
        actor=SYSTEM, plan=plan, position=1, name="第一轮", start=D(2026, 3, 1),
        end=D(2026, 5, 1), targets=[world.lankao],
    )  # fmt: skip
    plans.year_plan_round_save(
        actor=SYSTEM, plan=plan, position=2, name="第二轮", start=D(2026, 9, 1),
        end=D(2026, 11, 1), targets=[world.finance],
    )  # fmt: skip
    gina = login(world.users["gina"])
    gina.post(reverse("year_plan_approve", args=[plan.pk]), _meeting(1))
    client = login(world.users["alice"])
    refused = client.post(
        reverse("year_plan_round_save", args=[plan.pk]), _round_data(2, "411523"), follow=True
    )
    assert "已已批准" not in _messages(refused)
    assert "不能修改；请新建版本，修改后重新报领导小组审批。" in _messages(refused)
    revised = client.post(reverse("year_plan_revise", args=[plan.pk]), follow=True)
    draft = YearPlan.objects.get(body=world.body, year=2026, version=2)
    assert "修改后须重新报领导小组审批" in _messages(revised)
    assert draft.status == YearPlanStatus.DRAFT and draft.rounds.count() == 2
    client.post(reverse("year_plan_round_save", args=[draft.pk]), _round_data(2, "411523"))
    page = _text(login(world.users["gina"]).get(reverse("year_plan_detail", args=[draft.pk])))
    assert "本版年度工作计划尚未经领导小组审批。" in page
    login(world.users["gina"]).post(reverse("year_plan_approve", args=[draft.pk]), _meeting(2))
    plan.refresh_from_db()
    draft.refresh_from_db()
    assert (plan.status, draft.status) == (YearPlanStatus.SUPERSEDED, YearPlanStatus.APPROVED)


def test_it_shows_the_plans_execution_per_round_and_sector(world, login):
    plan = _plan(world, min_targets=1)
    first = plans.year_plan_round_save(
        actor=SYSTEM, plan=plan, position=1, name="第一轮", start=D(2026, 9, 1),
        end=D(2026, 10, 31), targets=[world.lankao, world.xinxian, world.finance],
    )  # fmt: skip
    plans.year_plan_link_round(actor=SYSTEM, plan_round=first, round=world.round)
    set_stage(inspection=world.inspection1, stage="withdrawn")
    rows = {(r.round_name, r.sector): r for r in year_plan_execution(plan)}
    county, dept = rows[("第一轮", "county")], rows[("第一轮", "department")]
    assert (county.planned, county.arranged, county.done) == (2, 1, 1)
    assert (dept.planned, dept.arranged, dept.done) == (1, 1, 0)
    page = _text(login(world.users["gina"]).get(reverse("year_plan_execution", args=[plan.pk])))
    assert "县（市、区）" in page and "省直单位" in page and "50%" in page
    assert (
        login(world.users["bob"]).get(reverse("year_plan_execution", args=[plan.pk])).status_code
        == 403
    )


def test_it_ranks_the_proposed_targets_by_the_rounds_theme_tags(world):
    fund = reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(
            code="D020", name="河南省乡村振兴局", sector="department", tags=("有扶贫资金的部门",)
        ),
    )[0]
    plain = reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(code="D001", name="河南省教育厅", sector="department"),
    )[0]
    untagged = propose_targets(world.term, counties=0, departments=2, soes=0)
    assert [p.org for p in untagged] == [plain, fund]  # by code: neither inspected yet
    themed = propose_targets(
        world.term, counties=0, departments=2, soes=0, theme_tags=["有扶贫资金的部门"]
    )
    assert [p.org for p in themed] == [fund, plain]
    assert themed[0].reason.startswith("符合本轮监督重点（有扶贫资金的部门），省直单位")
