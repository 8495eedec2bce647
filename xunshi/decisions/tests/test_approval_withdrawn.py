"""The leading group's approval covers the teams as they stood at its meeting: a change of a
team not yet authorized withdraws it (the decision stays in the record), the page says so,
the trail records it, and the round goes back to the group before authorization. A change
of a team already authorized leaves the approval standing. And the refusals of a body below
the province speak of 巡察办 and 巡察对象."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xunshi.audit.models import AuditEvent
from xunshi.decisions.models import Decision, DecisionKind
from xunshi.rounds import yearplan_actions as plans
from xunshi.rounds.models import Stage
from xunshi.testsupport.bodies import linked_body
from xunshi.testsupport.lifecycle import move_on_site


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def _meeting(n: int) -> dict[str, object]:
    return {"meeting_number": n, "held_on": timezone.localdate().isoformat()}


def test_it_withdraws_the_approval_when_a_team_changes_before_authorization(world, login):
    gina = login(world.users["gina"])
    gina.post(reverse("round_approve", args=[world.round.pk]), _meeting(3))
    world.round.refresh_from_db()
    assert world.round.plan_approved_by_meeting == "领导小组第3次会议"

    office = login(world.users["alice"])
    added = office.post(
        reverse("membership_add", args=[world.team2.pk]),
        {"cadre_code": "C004", "role": "member"},
        follow=True,
    )
    said = _messages(added)
    assert "已将刘红梅编入第二巡视组（组员）。" in said
    assert "巡视组有变动，本轮巡视工作方案的审批已撤销，须重新报领导小组审批后才能授权。" in said

    page = _text(office.get(reverse("round_detail", args=[world.round.pk])))
    assert "本轮巡视工作方案尚未经领导小组审批，巡视组不能授权。" in page
    assert "领导小组第3次会议（" in page and "审批后巡视组有变动，原审批已撤销" in page

    event = AuditEvent.objects.get(action="rounds.round.plan_withdraw")
    assert event.object_id == str(world.round.pk)
    assert event.after["reason"] == "刘红梅任第二巡视组组员"
    assert event.before["plan_approved_by_meeting"] == "领导小组第3次会议"
    assert Decision.objects.filter(kind=DecisionKind.ROUND_PLAN, round=world.round).count() == 1

    # Authorization waits for the group again.
    for name in ("bob", "carol"):
        m = world.team1.memberships.get(cadre=world.cadres[name])
        login(world.users[name]).post(reverse("pledge_sign", args=[m.pk]))
    office = login(world.users["alice"])
    refused = office.post(
        reverse("inspection_stage", args=[world.inspection1.pk]), {"to": "authorized"}, follow=True
    )
    assert "巡视工作方案尚未经领导小组审批" in _messages(refused)
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.PLANNED

    # The group approves again: both decisions stay, the newer one stands.
    again = login(world.users["gina"]).post(
        reverse("round_approve", args=[world.round.pk]), _meeting(4), follow=True
    )
    assert "已记录：领导小组第4次会议审批巡视工作方案。" in _messages(again)
    assert "原审批已撤销" not in _text(again)
    assert Decision.objects.filter(kind=DecisionKind.ROUND_PLAN, round=world.round).count() == 2
    office = login(world.users["alice"])
    office.post(reverse("inspection_stage", args=[world.inspection1.pk]), {"to": "authorized"})
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.AUTHORIZED


def test_it_refuses_a_second_approval_while_the_first_stands(world, login):
    gina = login(world.users["gina"])
    gina.post(reverse("round_approve", args=[world.round.pk]), _meeting(3))
    refused = gina.post(reverse("round_approve", args=[world.round.pk]), _meeting(4), follow=True)
    assert "十一届省委第一轮巡视已记录“审批巡视工作方案”。" in _messages(refused)
    assert Decision.objects.filter(round=world.round).count() == 1


def test_it_keeps_the_approval_when_an_authorized_team_changes(world, login):
    move_on_site(world.inspection1)  # approves the round and authorizes team 1
    world.round.refresh_from_db()
    approved_on = world.round.plan_approved_on
    assert approved_on is not None
    added = login(world.users["alice"]).post(
        reverse("membership_add", args=[world.team1.pk]),
        {"cadre_code": "C005", "role": "member"},
        follow=True,
    )
    assert "已将陈伟编入第一巡视组（组员）。" in _messages(added)
    assert "审批已撤销" not in _messages(added)
    world.round.refresh_from_db()
    assert world.round.plan_approved_on == approved_on
    assert not AuditEvent.objects.filter(action="rounds.round.plan_withdraw").exists()


def test_it_withdraws_the_approval_when_a_new_team_is_formed(world, login):
    login(world.users["gina"]).post(reverse("round_approve", args=[world.round.pk]), _meeting(3))
    formed = login(world.users["alice"]).post(
        reverse("team_create", args=[world.round.pk]),
        {"number": 3, "rule_set": world.team1.rule_set_id},
        follow=True,
    )
    assert "本轮巡视工作方案的审批已撤销" in _messages(formed)
    world.round.refresh_from_db()
    assert world.round.plan_approved_on is None


def _county(world):  # type: ignore[no-untyped-def]
    return linked_body(
        parent=world.body,
        name="中共兰考县委",
        level="county",
        region_code="410225",
        abbreviation="兰",
        login="lk",
        term=("十四届", dt.date(2022, 6, 1), dt.date(2027, 5, 31)),
        orgs=[("410225100201", "张庄村党支部", "village")],
        cadres=[("LK001", "韩光明", "男")],
    )


def test_it_words_the_year_plan_refusals_of_a_county_in_its_own_words(world, login):
    county = _county(world)
    plan = plans.year_plan_create(actor=county.office, body=county.body, year=2026, min_rounds=1)
    office = login(county.office)
    refused = office.post(reverse("year_plan_approve", args=[plan.pk]), _meeting(1), follow=True)
    assert "巡察办代为记录领导小组或党委的决定，须上传会议纪要。" in _messages(refused)
    assert "巡视办" not in _messages(refused)

    group = login(county.leading_group)
    refused = group.post(reverse("year_plan_approve", args=[plan.pk]), _meeting(1), follow=True)
    said = _messages(refused)
    assert "年度计划巡察对象0个，应不少于70个。" in said
    assert "巡视" not in said
    page = _text(group.get(reverse("year_plan_detail", args=[plan.pk])))
    assert "全年巡察对象不少于70个" in page and "全年巡视对象" not in page
    assert not Decision.objects.exists()
