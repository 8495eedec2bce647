"""Individual talks (个别谈话): who may hold and record them, when, and the sign-off that
freezes the record. Also holds the scene the other on-site tests share: the test world's
inspection of 兰考县 moved on site, with the clock stopped in the middle of it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions
from xunshi.fieldwork.models import Talk
from xunshi.lifecycle.actions import inspection_transition
from xunshi.testsupport.lifecycle import move_on_site

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 9, day, hour, 30, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(world, clock):  # type: ignore[no-untyped-def]
    """Team 1 on site at 兰考县 (its pledges signed, authorized, notified, entered)."""
    move_on_site(world.inspection1)
    world.inspection1.refresh_from_db()
    return world


def new_talk(w: Any, **kw: Any) -> Talk:
    data = {
        "actor": w.users["bob"],
        "inspection": w.inspection1,
        "interviewee": "赵有才",
        "interviewee_post": "兰考县委书记",
        "category": "required",
        "interviewers": [w.cadres["bob"], w.cadres["carol"]],
        "recorder": w.cadres["carol"],
        "held_at": at(10),
        "place": "县委小会议室",
        "outline": "一、落实党中央决策部署情况",
    } | kw
    return actions.talk_create(**data)


def test_it_records_a_talk_with_two_interviewers_and_a_recorder(site):
    talk = new_talk(site, record="谈话人：……")
    assert sorted(c.name for c in talk.interviewers.all()) == ["李秀英", "王建国"]
    assert talk.recorder.name == "李秀英" and talk.signed_off_at is None
    assert talk.created_by == site.users["bob"]


def test_it_keeps_what_was_said_out_of_the_audit_trail(site):
    talk = new_talk(site, record="反映县委办主任收受礼金。")
    event = AuditEvent.objects.get(action="inspections.talk.create", object_id=str(talk.pk))
    assert event.object_repr == "个别谈话（2026-09-10 09:30）"
    text = str(event.after)
    assert "赵有才" not in text and "礼金" not in text
    assert event.after["record_chars"] == len("反映县委办主任收受礼金。")


def test_it_refuses_a_talk_with_one_interviewer(site):
    with pytest.raises(ValidationError, match="个别谈话须有两名以上谈话人。"):
        new_talk(site, interviewers=[site.cadres["bob"], site.cadres["bob"]])
    assert not Talk.objects.exists()


def test_it_names_an_interviewer_who_is_not_in_the_team(site):
    with pytest.raises(ValidationError, match="张志强不是第一巡视组成员，不能担任谈话人。"):
        new_talk(site, interviewers=[site.cadres["bob"], site.cadres["dave"]])
    assert not Talk.objects.exists()


def test_it_names_a_recorder_who_is_not_in_the_team(site):
    with pytest.raises(ValidationError, match="刘红梅不是第一巡视组成员，不能担任记录人。"):
        new_talk(site, recorder=site.cadres["hong"])
    assert not Talk.objects.exists()


def test_it_refuses_a_talk_before_the_inspection_started(site):
    message = "谈话时间（2026年8月30日）早于本次巡视进驻日期（2026年9月1日）。"
    with pytest.raises(ValidationError, match=message):
        new_talk(site, held_at=dt.datetime(2026, 8, 30, 9, tzinfo=SHANGHAI))
    assert not Talk.objects.exists()


def test_it_lists_every_missing_field_at_once(site):
    with pytest.raises(ValidationError) as e:
        new_talk(site, interviewee=" ", place="", category="x")
    assert e.value.messages == [
        "请填写谈话对象。",
        "请选择谈话类别（必谈或选谈）。",
        "请填写谈话地点。",
    ]


def test_it_refuses_talks_before_the_team_is_on_site(world, clock):
    with pytest.raises(ValidationError, match="当前阶段为“已计划”，不能新增谈话记录。"):
        new_talk(world)
    assert not Talk.objects.exists()


def test_it_updates_the_record_until_it_is_signed_off(site):
    talk = new_talk(site)
    actions.talk_update(actor=site.users["carol"], talk=talk, outline="新提纲", record="记录正文")
    talk.refresh_from_db()
    assert (talk.outline, talk.record) == ("新提纲", "记录正文")
    actions.talk_sign_off(actor=site.users["bob"], talk=talk)
    talk.refresh_from_db()
    assert talk.signed_off_at == NOW and talk.signed_off_by == site.users["bob"]
    with pytest.raises(ValidationError, match="谈话记录已签认，不能修改。"):
        actions.talk_update(actor=site.users["carol"], talk=talk, outline="改", record="改")
    talk.refresh_from_db()
    assert talk.record == "记录正文"


def test_it_refuses_to_sign_off_an_empty_record(site):
    talk = new_talk(site)
    with pytest.raises(ValidationError, match="谈话记录为空，不能签认。"):
        actions.talk_sign_off(actor=site.users["bob"], talk=talk)
    talk.refresh_from_db()
    assert talk.signed_off_at is None


def test_it_refuses_to_sign_off_twice(site):
    talk = new_talk(site, record="记录")
    actions.talk_sign_off(actor=site.users["bob"], talk=talk)
    with pytest.raises(ValidationError, match="谈话记录已签认，不能修改。"):
        actions.talk_sign_off(actor=site.users["carol"], talk=talk)


def test_it_freezes_talks_while_the_inspection_is_suspended(site):
    talk = new_talk(site)
    inspection_transition(actor=SYSTEM, inspection=site.inspection1, to="suspended", reason="汛期")
    talk.inspection.refresh_from_db()
    with pytest.raises(ValidationError, match="当前阶段为“暂停”，不能修改谈话记录。"):
        actions.talk_update(actor=site.users["bob"], talk=talk, outline="", record="记录")
    talk.refresh_from_db()
    assert talk.record == ""


def test_it_records_one_audit_event_per_change(site):
    talk = new_talk(site)
    actions.talk_update(actor=site.users["carol"], talk=talk, outline="", record="记录")
    actions.talk_sign_off(actor=site.users["bob"], talk=talk)
    actions_seen = list(
        AuditEvent.objects.filter(object_id=str(talk.pk), object_type="inspections.talk")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_seen == [
        "inspections.talk.create",
        "inspections.talk.update",
        "inspections.talk.sign_off",
    ]
