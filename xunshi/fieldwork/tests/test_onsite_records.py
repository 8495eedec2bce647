"""Petitions, document requests and immediate fixes: their numbering, their rules, and the
stages in which the team may write them. A refused action changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.demo.group import approve_round
from xunshi.fieldwork import actions
from xunshi.fieldwork.models import DocumentRequest, ImmediateFix, Petition
from xunshi.fieldwork.tests.test_onsite_talks import NOW
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rounds.actions import pledge_sign
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(world, clock):  # type: ignore[no-untyped-def]
    move_on_site(world.inspection1)
    world.inspection1.refresh_from_db()
    return world


def new_petition(w: Any, inspection: Any = None, **kw: Any) -> Petition:
    data = {
        "actor": w.users["carol"],
        "inspection": inspection or w.inspection1,
        "channel": "letter",
        "received_on": D(2026, 9, 5),
        "content": "反映某乡镇扶贫资金被截留。",
        "real_name": True,
        "petitioner_name": "钱大民",
        "petitioner_contact": "13800000000",
        "reported_persons": "某乡党委书记",
    } | kw
    return actions.petition_create(**data)


def new_request(w: Any, **kw: Any) -> DocumentRequest:
    data = {
        "actor": w.users["carol"],
        "inspection": w.inspection1,
        "documents": "2025年度县委常委会会议记录\n\n  扶贫资金拨付台账  \n",
        "provider": "县委办公室",
        "requested_on": D(2026, 9, 3),
    } | kw
    return actions.docrequest_create(**data)


# --- petitions --------------------------------------------------------------------------------


def test_it_numbers_petitions_without_gaps_per_inspection(site):
    assert [new_petition(site).seq for _ in range(2)] == [1, 2]
    with pytest.raises(ValidationError):
        new_petition(site, content="")
    assert new_petition(site, real_name=False, petitioner_name="", petitioner_contact="").seq == 3
    move_on_site(site.inspection2)
    assert new_petition(site, inspection=site.inspection2, actor=site.users["dave"]).seq == 1
    seqs = list(site.inspection1.petitions.values_list("seq", flat=True))
    assert seqs == [1, 2, 3]


def test_it_needs_a_name_and_a_contact_for_a_real_name_petition(site):
    with pytest.raises(ValidationError) as e:
        new_petition(site, petitioner_name=" ", petitioner_contact="")
    assert e.value.messages == ["实名信访件须填写反映人姓名。", "实名信访件须填写反映人联系方式。"]
    assert not Petition.objects.exists()


def test_it_refuses_a_name_on_an_anonymous_petition(site):
    with pytest.raises(ValidationError, match="匿名信访件不应填写反映人姓名。"):
        new_petition(site, real_name=False)
    assert not Petition.objects.exists()


def test_it_refuses_a_petition_received_in_the_future(site):
    with pytest.raises(ValidationError, match=r"收到日期（2026年9月16日）不能晚于今天。"):
        new_petition(site, received_on=D(2026, 9, 16))


def test_it_takes_petitions_from_the_announcement_but_not_before(world, clock):
    with pytest.raises(ValidationError, match="当前阶段为“已计划”，不能登记信访件。"):
        new_petition(world)
    for membership in world.team1.memberships.select_related("cadre"):
        user = world.users["bob" if membership.cadre.code == "C001" else "carol"]
        pledge_sign(actor=user, membership=membership)
    approve_round(world.round, world.round.start)
    inspection_transition(actor=SYSTEM, inspection=world.inspection1, to="authorized")
    inspection_transition(actor=SYSTEM, inspection=world.inspection1, to="notified")
    world.inspection1.refresh_from_db()
    assert new_petition(world).seq == 1


def test_it_keeps_the_petitioner_out_of_the_audit_trail(site):
    petition = new_petition(site)
    event = AuditEvent.objects.get(action="inspections.petition.create")
    assert event.object_repr == "第1号信访件" and event.object_id == str(petition.pk)
    assert "钱大民" not in str(event.after) and "扶贫" not in str(event.after)


def test_it_forwards_a_petition_with_the_body_and_the_date(site):
    petition = new_petition(site)
    actions.petition_route(
        actor=site.users["bob"],
        petition=petition,
        in_scope=False,
        routing="forwarded",
        forwarded_to="兰考县信访局",
        forwarded_on=D(2026, 9, 8),
    )
    petition.refresh_from_db()
    assert (petition.routing, petition.forwarded_to) == ("forwarded", "兰考县信访局")
    assert petition.in_scope is False


def test_it_refuses_a_forwarding_without_body_or_date(site):
    petition = new_petition(site)
    with pytest.raises(ValidationError) as e:
        actions.petition_route(
            actor=site.users["bob"], petition=petition, in_scope=False, routing="forwarded"
        )
    assert e.value.messages == ["转交其他机关须填写转交机关。", "转交其他机关须填写转交日期。"]
    petition.refresh_from_db()
    assert petition.routing == "pending" and petition.in_scope is None


def test_it_refuses_a_forwarding_dated_before_the_receipt(site):
    petition = new_petition(site)
    message = "转交日期（2026年9月4日）早于收到日期（2026年9月5日）。"
    with pytest.raises(ValidationError, match=message):
        actions.petition_route(
            actor=site.users["bob"],
            petition=petition,
            in_scope=False,
            routing="forwarded",
            forwarded_to="县信访局",
            forwarded_on=D(2026, 9, 4),
        )


def test_it_needs_a_note_to_keep_a_petition_on_file(site):
    petition = new_petition(site)
    with pytest.raises(ValidationError, match="留存备查须写明处理说明。"):
        actions.petition_route(
            actor=site.users["bob"], petition=petition, in_scope=True, routing="noted"
        )


def test_it_refuses_an_out_of_scope_petition_as_a_clue(site):
    petition = new_petition(site)
    with pytest.raises(ValidationError, match="不属于巡视范围的信访件不能作为问题或线索"):
        actions.petition_route(
            actor=site.users["bob"], petition=petition, in_scope=False, routing="clue"
        )
    actions.petition_route(
        actor=site.users["bob"], petition=petition, in_scope=True, routing="clue"
    )
    petition.refresh_from_db()
    assert petition.routing == "clue"


def test_it_clears_the_forwarding_when_the_routing_changes(site):
    petition = new_petition(site)
    kw = {"actor": site.users["bob"], "petition": petition, "in_scope": True}
    actions.petition_route(
        **kw, routing="forwarded", forwarded_to="县纪委", forwarded_on=D(2026, 9, 6)
    )
    actions.petition_route(**kw, routing="problem", forwarded_to="县纪委")
    petition.refresh_from_db()
    assert (petition.routing, petition.forwarded_to, petition.forwarded_on) == ("problem", "", None)


def test_it_answers_a_real_name_petitioner(site):
    petition = new_petition(site)
    actions.petition_reply(
        actor=site.users["carol"],
        petition=petition,
        reply="已转有关部门核查。",
        replied_on=D(2026, 9, 12),
    )
    petition.refresh_from_db()
    assert (petition.reply, petition.replied_on) == ("已转有关部门核查。", D(2026, 9, 12))


def test_it_cannot_answer_an_anonymous_petition(site):
    petition = new_petition(site, real_name=False, petitioner_name="", petitioner_contact="")
    with pytest.raises(ValidationError, match="匿名信访件无法答复。"):
        actions.petition_reply(
            actor=site.users["carol"], petition=petition, reply="答复", replied_on=D(2026, 9, 12)
        )
    petition.refresh_from_db()
    assert petition.reply == "" and petition.replied_on is None


def test_it_refuses_a_reply_dated_before_the_receipt(site):
    petition = new_petition(site)
    with pytest.raises(
        ValidationError, match="答复日期（2026年9月1日）早于收到日期（2026年9月5日）。"
    ):
        actions.petition_reply(
            actor=site.users["carol"], petition=petition, reply="答复", replied_on=D(2026, 9, 1)
        )
    petition.refresh_from_db()
    assert petition.replied_on is None


# --- document requests ------------------------------------------------------------------------


def test_it_numbers_document_requests_and_keeps_one_document_a_line(site):
    first, second = new_request(site), new_request(site, provider="县财政局")
    assert (first.seq, second.seq) == (1, 2)
    assert first.documents == "2025年度县委常委会会议记录\n扶贫资金拨付台账"


def test_it_refuses_a_request_without_documents(site):
    with pytest.raises(ValidationError) as e:
        new_request(site, documents="\n  \n", provider="")
    assert e.value.messages == ["请列出调阅的资料，每行一项。", "请填写提供资料的部门。"]
    assert not DocumentRequest.objects.exists()


def test_it_hands_over_and_returns_the_documents(site):
    req = new_request(site)
    actions.docrequest_handover(
        actor=site.users["carol"],
        request=req,
        handed_over_on=D(2026, 9, 4),
        handed_over_by="县委办 孙明",
        received_by=site.cadres["carol"],
    )
    actions.docrequest_return(actor=site.users["carol"], request=req, returned_on=D(2026, 9, 14))
    req.refresh_from_db()
    assert (req.handed_over_on, req.received_by, req.returned_on) == (
        D(2026, 9, 4),
        site.cadres["carol"],
        D(2026, 9, 14),
    )


def test_it_refuses_a_handover_before_the_request_or_to_an_outsider(site):
    req = new_request(site)
    with pytest.raises(ValidationError) as e:
        actions.docrequest_handover(
            actor=site.users["carol"],
            request=req,
            handed_over_on=D(2026, 9, 2),
            handed_over_by="孙明",
            received_by=site.cadres["dave"],
        )
    assert e.value.messages == [
        "移交日期（2026年9月2日）早于调阅日期（2026年9月3日）。",
        "张志强不是第一巡视组成员，不能担任接收人。",
    ]
    req.refresh_from_db()
    assert req.handed_over_on is None and req.received_by is None


def test_it_refuses_a_second_handover(site):
    req = new_request(site)
    kw = {"actor": site.users["carol"], "request": req, "handed_over_by": "孙明"}
    actions.docrequest_handover(
        **kw, handed_over_on=D(2026, 9, 4), received_by=site.cadres["carol"]
    )
    with pytest.raises(ValidationError, match="第1号调阅资料已于2026年9月4日移交。"):
        actions.docrequest_handover(
            **kw, handed_over_on=D(2026, 9, 5), received_by=site.cadres["bob"]
        )
    req.refresh_from_db()
    assert req.received_by == site.cadres["carol"]


def test_it_refuses_a_return_of_documents_never_handed_over(site):
    req = new_request(site)
    with pytest.raises(ValidationError, match="第1号调阅资料尚未移交，不能登记归还。"):
        actions.docrequest_return(actor=site.users["carol"], request=req, returned_on=D(2026, 9, 9))
    req.refresh_from_db()
    assert req.returned_on is None


def test_it_refuses_a_return_dated_before_the_handover(site):
    req = new_request(site)
    actions.docrequest_handover(
        actor=site.users["carol"],
        request=req,
        handed_over_on=D(2026, 9, 4),
        handed_over_by="孙明",
        received_by=site.cadres["carol"],
    )
    with pytest.raises(
        ValidationError, match="归还日期（2026年9月3日）早于移交日期（2026年9月4日）。"
    ):
        actions.docrequest_return(actor=site.users["carol"], request=req, returned_on=D(2026, 9, 3))


def test_it_refuses_document_requests_before_the_team_is_on_site(world, clock):
    with pytest.raises(ValidationError, match="当前阶段为“已计划”，不能调阅资料。"):
        new_request(world)
    assert not DocumentRequest.objects.exists()


# --- immediate fixes --------------------------------------------------------------------------


def test_it_records_an_immediate_fix_and_its_completion(site):
    fix = actions.fix_create(
        actor=site.users["bob"],
        inspection=site.inspection1,
        issue="公务用车登记不全",
        measure="当即补登并建立台账",
        responsible_unit="县委办公室",
    )
    actions.fix_done(actor=site.users["carol"], fix=fix, done_on=D(2026, 9, 15))
    fix.refresh_from_db()
    assert fix.done_on == D(2026, 9, 15)
    with pytest.raises(ValidationError, match="该事项已于2026年9月15日完成整改。"):
        actions.fix_done(actor=site.users["carol"], fix=fix, done_on=D(2026, 9, 14))


def test_it_refuses_a_fix_without_its_measure_or_done_in_the_future(site):
    with pytest.raises(ValidationError) as e:
        actions.fix_create(
            actor=site.users["bob"],
            inspection=site.inspection1,
            issue="公务用车登记不全",
            measure="",
            responsible_unit="县委办公室",
            done_on=D(2026, 9, 20),
        )
    assert e.value.messages == ["请填写整改措施。", "完成日期（2026年9月20日）不能晚于今天。"]
    assert not ImmediateFix.objects.exists()


def test_it_refuses_immediate_fixes_before_the_team_is_on_site(world, clock):
    with pytest.raises(ValidationError, match="当前阶段为“已计划”，不能新增立行立改事项。"):
        actions.fix_create(
            actor=world.users["bob"],
            inspection=world.inspection1,
            issue="问题",
            measure="措施",
            responsible_unit="县委办公室",
        )
    assert not ImmediateFix.objects.exists()


def test_it_keeps_a_petitions_category_and_refuses_one_not_in_the_list(site):
    petition = new_petition(site, category="eight_rules")
    assert petition.get_category_display() == "违反中央八项规定精神问题"
    with pytest.raises(ValidationError, match="请从列表中选择反映问题类别。"):
        new_petition(site, category="gossip")
    assert Petition.objects.count() == 1
