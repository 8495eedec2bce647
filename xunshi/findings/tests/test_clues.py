"""Problem clues through their actions: the team records, the office transfers and enters
the disposal; the feedback is due three months after the transfer. Every refusal gives a
Chinese reason and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.tests.test_papers import NOW, new_paper, new_petition
from xunshi.findings import actions as clue_actions
from xunshi.findings.models import Clue
from xunshi.lifecycle.actions import inspection_transition
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date


@pytest.fixture
def site(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        world.inspection1.refresh_from_db()
        yield world


def new_clue(w: Any, actor: str = "carol", **kw: Any) -> Clue:
    record = kw.pop("record", None) or new_petition(w, content="反映某局长收受礼金。")
    data = {
        "actor": w.users[actor],
        "inspection": w.inspection1,
        "source": "petition",
        "record": record,
        "persons": "县交通局局长钱某",
        "summary": "反映钱某在工程招标中收受礼金。",
        "recipient": "discipline",
    } | kw
    return clue_actions.clue_create(**data)


def refused(call: Any, **kw: Any) -> list[str]:
    with pytest.raises(ValidationError) as e:
        call(**kw)
    return list(e.value.messages)


def test_it_numbers_clues_per_inspection_and_skips_no_number_on_a_refusal(site):
    assert new_clue(site).seq == 1
    assert refused(new_clue, w=site, persons=" ") == ["请填写线索涉及人员。"]
    assert new_clue(site, highly_confidential=True).seq == 2
    move_on_site(site.inspection2)
    paper = new_paper(site, actor="dave", inspection=site.inspection2)
    other = new_clue(site, actor="dave", inspection=site.inspection2, source="paper", record=paper)
    assert other.seq == 1
    assert list(site.inspection1.clues.values_list("seq", flat=True)) == [1, 2]


def test_it_refuses_a_clue_from_outside_the_team_or_the_inspection(site):
    petition = new_petition(site)
    assert refused(new_clue, w=site, actor="dave", record=petition) == [
        "只有本巡视组成员可以登记问题线索。"
    ]
    assert refused(new_clue, w=site, actor="alice", record=petition) == [
        "只有本巡视组成员可以登记问题线索。"
    ]
    move_on_site(site.inspection2)
    foreign = new_paper(site, actor="dave", inspection=site.inspection2)
    assert refused(new_clue, w=site, source="paper", record=foreign) == [
        "线索来源须是本次巡视的记录。"
    ]
    assert refused(new_clue, w=site, source="talk", record=petition) == [
        "线索来源为“个别谈话”，所附记录的类型不符。"
    ]
    assert not Clue.objects.exists()


def test_it_needs_the_name_of_an_other_recipient(site):
    assert refused(new_clue, w=site, recipient="other") == ["拟移交“其他”单位时须写明单位名称。"]
    clue = new_clue(site, recipient="other", recipient_other="县审计局")
    assert clue.recipient_other == "县审计局"
    dropped = new_clue(site, recipient="organization", recipient_other="写了也不用")
    assert dropped.recipient_other == ""


def test_it_takes_no_clue_while_the_inspection_is_suspended(world):
    move_on_site(world.inspection1)
    with time_machine.travel(NOW, tick=False):
        petition = new_petition(world)
    inspection_transition(actor=SYSTEM, inspection=world.inspection1, to="suspended", reason="停")
    assert refused(new_clue, w=world, record=petition) == [
        "巡视当前处于“暂停”阶段，不能登记问题线索。"
    ]
    assert not Clue.objects.exists()


def test_it_keeps_persons_and_summary_out_of_the_audit_trail(site):
    new_clue(site)
    event = AuditEvent.objects.get(action="inspections.clue.create")
    assert "钱某" not in str(event.after) and "礼金" not in str(event.after)
    assert event.after["recipient"] == "discipline" and event.after["seq"] == 1


# --- transfer and disposal --------------------------------------------------------------------


def test_it_transfers_a_clue_with_the_feedback_due_in_three_months(site):
    clue = new_clue(site)
    alice = site.users["alice"]
    clue_actions.clue_transfer(
        actor=alice,
        clue=clue,
        transferred_on=D(2026, 9, 25),
        receiving_body="县纪委监委",
        receiver="孙某",
    )
    clue.refresh_from_db()
    assert clue.disposal_due == D(2026, 12, 25)
    assert clue.disposal_due_rule == "3个月（期限规则第1版）"
    assert AuditEvent.objects.filter(action="inspections.clue.transfer").count() == 1


def test_it_refuses_a_transfer_not_by_the_office_early_late_or_twice(site):
    clue = new_clue(site)
    kw = {"clue": clue, "receiving_body": "县纪委监委", "receiver": "孙某"}
    assert refused(
        clue_actions.clue_transfer, actor=site.users["bob"], transferred_on=D(2026, 9, 25), **kw
    ) == ["移交问题线索须由巡视办操作。"]
    alice = site.users["alice"]
    assert refused(
        clue_actions.clue_transfer, actor=alice, transferred_on=D(2026, 8, 31), **kw
    ) == ["移交日期（2026年8月31日）早于进驻日期（2026年9月1日）。"]
    assert refused(
        clue_actions.clue_transfer, actor=alice, transferred_on=D(2026, 9, 26), **kw
    ) == ["移交日期（2026年9月26日）不能晚于今天。"]
    assert refused(
        clue_actions.clue_transfer,
        actor=alice,
        clue=clue,
        transferred_on=D(2026, 9, 25),
        receiving_body=" ",
        receiver="",
    ) == ["请填写接收单位。", "请填写接收人。"]
    clue.refresh_from_db()
    assert clue.transferred_on is None and clue.disposal_due is None
    clue_actions.clue_transfer(actor=alice, transferred_on=D(2026, 9, 25), **kw)
    assert refused(
        clue_actions.clue_transfer, actor=alice, transferred_on=D(2026, 9, 25), **kw
    ) == ["第1号线索已于2026年9月25日移交，不能重复移交。"]
    assert AuditEvent.objects.filter(action="inspections.clue.transfer").count() == 1


def test_it_enters_the_disposal_only_after_the_transfer(site):
    clue = new_clue(site)
    alice = site.users["alice"]
    kw = {"clue": clue, "disposal": "preliminary", "outcome": "已初核，立案审查。"}
    assert refused(clue_actions.clue_dispose, actor=alice, reported_on=D(2026, 9, 25), **kw) == [
        "第1号线索尚未移交，不能登记处置情况。"
    ]
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC), tick=False):
        clue_actions.clue_transfer(
            actor=alice,
            clue=clue,
            transferred_on=D(2026, 10, 8),
            receiving_body="县纪委",
            receiver="孙",
        )
        assert refused(
            clue_actions.clue_dispose, actor=alice, reported_on=D(2026, 10, 7), **kw
        ) == ["反馈日期（2026年10月7日）早于移交日期（2026年10月8日）。"]
        assert refused(
            clue_actions.clue_dispose, actor=site.users["bob"], reported_on=D(2026, 12, 1), **kw
        ) == ["登记线索处置情况须由巡视办操作。"]
        assert refused(
            clue_actions.clue_dispose,
            actor=alice,
            clue=clue,
            disposal="",
            outcome=" ",
            reported_on=D(2026, 12, 1),
        ) == ["请选择处置方式。", "请填写处置结果。"]
        clue.refresh_from_db()
        assert clue.disposal_reported_on is None and clue.outcome == ""
        clue_actions.clue_dispose(actor=alice, reported_on=D(2026, 12, 1), **kw)
        clue.refresh_from_db()
        assert (clue.disposal, clue.disposal_reported_on) == ("preliminary", D(2026, 12, 1))
        assert refused(
            clue_actions.clue_dispose, actor=alice, reported_on=D(2026, 12, 2), **kw
        ) == ["第1号线索的处置情况已于2026年12月1日登记，不能重复登记。"]
