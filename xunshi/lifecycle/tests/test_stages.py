"""The transition table: every guard, every actor, the side exits, and the effects."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.findings.models import InspectionDue
from xunshi.findings.report_actions import report_text_save
from xunshi.lifecycle.actions import (
    TRANSITIONS,
    available,
    inspection_decide,
    inspection_transition,
)
from xunshi.lifecycle.models import StageChange
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.rounds.models import Stage
from xunshi.testsupport.lifecycle import decide, give_feedback, move_on_site, problems_for

NOV = dt.datetime(2026, 11, 20, 9, 0)


def _go(world, user, to, **kw):  # type: ignore[no-untyped-def]
    return inspection_transition(actor=user, inspection=world.inspection1, to=to, **kw)


def _plan_all(insp, *, report: bool = True) -> None:  # type: ignore[no-untyped-def]
    from xunshi.rectification import actions as rect

    for item in RectificationItem.objects.filter(inspection=insp):
        rect.item_plan(
            actor=SYSTEM,
            item=item,
            measures="建立台账",
            responsible_leader="县长",
            responsible_department="财政局",
            deadline=dt.date(2026, 12, 31),
            kind="concentrated",
        )
        if report:
            rect.progress_report(
                actor=SYSTEM, item=item, text="已完成", reported_on=dt.date(2026, 11, 10), files=[]
            )


def _stage(world) -> str:  # type: ignore[no-untyped-def]
    world.inspection1.refresh_from_db()
    return str(world.inspection1.stage)


def test_it_refuses_authorizing_a_team_whose_pledges_are_unsigned(world) -> None:
    with pytest.raises(ValidationError) as e:
        _go(world, world.users["alice"], "authorized")
    assert "以下组员尚未签署纪律承诺：王建国、李秀英。" in e.value.messages
    assert _stage(world) == "planned"
    assert not StageChange.objects.exists()


def test_it_walks_the_main_line_with_the_right_people(world) -> None:
    move_on_site(world.inspection1)
    assert _stage(world) == "on_site"
    bob, alice = world.users["bob"], world.users["alice"]
    _go(world, bob, "withdrawn")
    report_text_save(actor=bob, inspection=world.inspection1, overview="总体情况。", suggestions="")
    _go(world, bob, "report_drafted")
    _go(world, alice, "office_reviewed")
    gina, today = world.users["gina"], timezone.localdate()
    for n, stage in enumerate(["leading_group_heard", "committee_decided"], start=1):
        inspection_decide(
            actor=gina, inspection=world.inspection1, to=stage, meeting_number=n, held_on=today
        )
    assert _stage(world) == "committee_decided"
    changes = list(StageChange.objects.values_list("to_stage", flat=True))
    assert changes[-3:] == ["office_reviewed", "leading_group_heard", "committee_decided"]
    assert AuditEvent.objects.filter(action="inspections.stage").count() == len(changes)


@pytest.mark.parametrize(
    ("who", "to", "message"),
    [
        ("carol", "withdrawn", "“撤离”须由巡视组组长操作。"),
        ("alice", "withdrawn", "“撤离”须由巡视组组长操作。"),
        ("dave", "withdrawn", "“撤离”须由巡视组组长操作。"),
        ("bob", "suspended", "“暂停”须由巡视办操作。"),
        ("erin", "withdrawn", "“撤离”须由巡视组组长操作。"),
    ],
)
def test_it_lets_only_the_transitions_actor_move_it(world, who, to, message) -> None:  # type: ignore[no-untyped-def]
    move_on_site(world.inspection1)
    with pytest.raises(PermissionDenied) as e:
        _go(world, world.users[who], to, reason="理由")
    assert str(e.value) == message
    assert _stage(world) == "on_site"


def test_it_keeps_the_team_on_site_until_talks_and_petitions_are_settled(onsite) -> None:
    from xunshi.fieldwork.actions import petition_create

    petition_create(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        channel="visit",
        received_on=dt.date(2026, 9, 3),
        content="反映问题",
        real_name=False,
    )
    with pytest.raises(ValidationError) as e:
        _go(onsite, onsite.users["bob"], "withdrawn")
    assert "还有1件信访件未处理。" in e.value.messages
    assert _stage(onsite) == "on_site"


def test_it_refuses_a_report_with_unreviewed_papers_or_no_overview(onsite) -> None:
    from xunshi.fieldwork import paper_actions as papers
    from xunshi.fieldwork.models import TaxonomyItem

    papers.paper_create(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        title="草稿中的问题",
        facts="事实",
        qualification="依据",
        category=TaxonomyItem.objects.first(),
    )
    _go(onsite, onsite.users["bob"], "withdrawn")
    with pytest.raises(ValidationError) as e:
        _go(onsite, onsite.users["bob"], "report_drafted")
    assert "还有1份问题底稿未审定。" in e.value.messages
    assert "巡视报告的“基本情况”尚未填写。" in e.value.messages
    assert _stage(onsite) == "withdrawn"


def test_it_gives_no_feedback_before_the_committee_decided(onsite) -> None:
    with pytest.raises(ValidationError) as e:
        _go(onsite, onsite.users["alice"], "feedback_given")
    assert e.value.messages == ["当前阶段为“进驻中”，不能转入“已反馈”。"]
    assert not RectificationItem.objects.exists()


@time_machine.travel(NOV, tick=False)
def test_it_sets_due_dates_and_opens_the_ledger_at_the_feedback(world) -> None:
    give_feedback(world.inspection1, ["扶贫资金拨付滞后", "违规发放津贴补贴"])
    dues = {d.key: d for d in InspectionDue.objects.filter(inspection=world.inspection1)}
    # 15 working days from Monday 2026-11-02: three full weeks end on Friday the 20th.
    assert dues["rectification_plan"].due == dt.date(2026, 11, 23)
    assert dues["rectification_plan"].rule_text == "15个工作日（期限规则第1版）"
    assert dues["rectification_report"].due == dt.date(2027, 1, 2)
    items = RectificationItem.objects.filter(inspection=world.inspection1).order_by("seq")
    assert [i.title for i in items] == ["扶贫资金拨付滞后", "违规发放津贴补贴"]
    assert {i.status for i in items} == {ItemStatus.PENDING}


@time_machine.travel(NOV, tick=False)
def test_it_waits_for_the_whole_plan_before_rectifying(feedback) -> None:
    erin = feedback.users["erin"]
    with pytest.raises(ValidationError) as e:
        _go(feedback, erin, "rectifying")
    assert "第1项“扶贫资金拨付滞后”缺少：整改措施、责任领导、责任部门、整改时限、整改类型。" in (
        e.value.messages
    )
    _plan_all(feedback.inspection1)
    _go(feedback, erin, "rectifying")
    assert _stage(feedback) == "rectifying"
    plan = InspectionDue.objects.get(inspection=feedback.inspection1, key="rectification_plan")
    assert plan.met_on == dt.date(2026, 11, 20)
    assert set(
        RectificationItem.objects.filter(inspection=feedback.inspection1).values_list(
            "status", flat=True
        )
    ) == {ItemStatus.IN_PROGRESS}


def test_it_refuses_the_liaison_of_another_unit(feedback) -> None:
    from xunshi.registry.models import OrgUnit
    from xunshi.users import actions as accounts

    other = accounts.user_create(
        actor=SYSTEM, username="fay", full_name="方雅", password="Tq7#vK2p!Lm9x"
    )
    accounts.user_grant_role(
        actor=SYSTEM, user=other, role="liaison", org=OrgUnit.objects.get(code="411523")
    )
    with pytest.raises(PermissionDenied):
        _go(feedback, other, "rectifying")


@time_machine.travel(NOV, tick=False)
def test_it_does_not_close_while_ledger_items_are_open(feedback) -> None:
    insp = feedback.inspection1
    _plan_all(insp)
    for stage in ["rectifying", "rectification_reported", "disclosed"]:
        inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
    with pytest.raises(ValidationError) as e:
        _go(feedback, feedback.users["alice"], "closed")
    assert "整改台账还有2项未销号。" in e.value.messages
    assert _stage(feedback) == "disclosed"


def test_it_suspends_with_a_reason_and_resumes_where_it_stopped(onsite) -> None:
    alice = onsite.users["alice"]
    with pytest.raises(ValidationError) as e:
        _go(onsite, alice, "suspended")
    assert e.value.messages == ["“暂停”须说明理由。"]
    _go(onsite, alice, "suspended", reason="被巡视单位主要负责人调整")
    assert _stage(onsite) == "suspended"
    offered = [t.target for t, _ in available(alice, onsite.inspection1)]
    assert offered == ["on_site", "cancelled"]
    with pytest.raises(ValidationError):
        _go(onsite, alice, "withdrawn")
    _go(onsite, alice, "on_site")
    assert _stage(onsite) == "on_site"


def test_it_cancels_and_then_offers_nothing(onsite) -> None:
    alice = onsite.users["alice"]
    _go(onsite, alice, "cancelled", reason="机构撤并")
    assert _stage(onsite) == "cancelled"
    assert available(alice, onsite.inspection1) == []


def test_it_offers_each_person_only_their_own_buttons(onsite) -> None:
    insp = onsite.inspection1
    offered = {u: [t.label for t, _ in available(onsite.users[u], insp)] for u in onsite.users}
    assert offered["bob"] == ["撤离"]
    assert offered["alice"] == ["暂停", "取消"]
    for nobody in ["carol", "dave", "gina", "erin", "sam", "sue", "aud"]:
        assert offered[nobody] == [], nobody


def test_it_names_every_stage_of_the_design_in_the_table() -> None:
    reached = {t.target for t in TRANSITIONS}
    assert reached == set(Stage.values) - {Stage.PLANNED}


@time_machine.travel(NOV, tick=False)
def test_it_writes_the_disclosure_when_published(feedback) -> None:
    from xunshi.rectification.models import Disclosure

    insp = feedback.inspection1
    _plan_all(insp)
    for stage in ["rectifying", "rectification_reported"]:
        inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
    _go(feedback, feedback.users["alice"], "disclosed")
    text = Disclosure.objects.get(inspection=insp).text
    assert "扶贫资金拨付滞后" in text


def test_it_lets_problems_come_only_from_approved_papers(onsite) -> None:
    problems = problems_for(onsite.inspection1, ["问题一"])
    assert problems[0].summary == "问题一"
    decide(onsite.inspection1)
    assert _stage(onsite) == "committee_decided"
