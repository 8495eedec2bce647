"""The leading group acts for itself: it approves the round's plan, hears the report and
records the committee's decision through the pages; the office records a paper decision only
with the minutes; the stages refuse to move without the records."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.decisions.models import Decision, DecisionKind
from xunshi.files.tests import samples
from xunshi.findings.report_actions import report_text_save
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Stage
from xunshi.testsupport.lifecycle import move_on_site


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def _meeting(n: int = 3, **extra: object) -> dict[str, object]:
    return {"meeting_number": n, "held_on": timezone.localdate().isoformat(), **extra}


def _minutes() -> SimpleUploadedFile:
    return SimpleUploadedFile("领导小组会议纪要.pdf", samples.pdf(), "application/pdf")


def _sign_pledges(world) -> None:  # type: ignore[no-untyped-def]
    for name in ("bob", "carol"):
        m = world.team1.memberships.get(cadre=world.cadres[name])
        rnd.pledge_sign(actor=world.users[name], membership=m)


def _at_office_reviewed(world) -> None:  # type: ignore[no-untyped-def]
    move_on_site(world.inspection1)
    bob = world.users["bob"]
    inspection_transition(actor=bob, inspection=world.inspection1, to="withdrawn")
    report_text_save(actor=bob, inspection=world.inspection1, overview="总体良好。", suggestions="")
    inspection_transition(actor=bob, inspection=world.inspection1, to="report_drafted")
    inspection_transition(
        actor=world.users["alice"], inspection=world.inspection1, to="office_reviewed"
    )


def test_it_lets_the_leading_group_approve_the_round_plan_on_the_round_page(world, login):
    client = login(world.users["gina"])
    page = client.get(reverse("round_detail", args=[world.round.pk]))
    assert "本轮巡视工作方案尚未经领导小组审批" in _text(page)
    assert 'id="round-approve"' in _text(page)
    done = client.post(
        reverse("round_approve", args=[world.round.pk]), _meeting(3, opinion="同意。"), follow=True
    )
    assert "已记录：领导小组第3次会议审批巡视工作方案。" in _messages(done)
    text = _text(done)
    assert "领导小组第3次会议" in text and "由孙丽（领导小组）记录" in text
    assert 'id="round-approve"' not in text
    decision = Decision.objects.get(kind=DecisionKind.ROUND_PLAN, round=world.round)
    assert decision.recorded_by == world.users["gina"] and not decision.on_paper


def test_it_refuses_authorizing_a_team_before_the_round_plan_is_approved(world, login):
    _sign_pledges(world)
    client = login(world.users["alice"])
    page = client.get(reverse("inspection_workspace", args=[world.inspection1.pk]))
    assert "十一届省委第一轮巡视的巡视工作方案尚未经领导小组审批。" in _text(page)
    refused = client.post(
        reverse("inspection_stage", args=[world.inspection1.pk]), {"to": "authorized"}, follow=True
    )
    assert "巡视工作方案尚未经领导小组审批" in _messages(refused)
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.PLANNED
    login(world.users["gina"]).post(reverse("round_approve", args=[world.round.pk]), _meeting())
    client = login(world.users["alice"])
    client.post(reverse("inspection_stage", args=[world.inspection1.pk]), {"to": "authorized"})
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.AUTHORIZED


def test_it_refuses_the_office_recording_an_approval_without_the_minutes(world, login):
    client = login(world.users["alice"])
    refused = client.post(reverse("round_approve", args=[world.round.pk]), _meeting(), follow=True)
    assert "巡视办代为记录领导小组或党委的决定，须上传会议纪要。" in _messages(refused)
    assert not Decision.objects.exists()


def test_it_lets_the_office_record_a_paper_approval_with_its_minutes(world, login):
    client = login(world.users["alice"])
    done = client.post(
        reverse("round_approve", args=[world.round.pk]),
        _meeting(4, minutes=_minutes()),
        follow=True,
    )
    assert "由赵敏（巡视办）据会议纪要代为记录" in _text(done)
    decision = Decision.objects.get(round=world.round)
    assert decision.on_paper and decision.recorded_by == world.users["alice"]
    assert decision.minutes is not None and decision.minutes.body == world.body
    url = reverse("attachment_download", args=[decision.minutes.pk])
    assert login(world.users["gina"]).get(url).status_code == 200
    assert login(world.users["bob"]).get(url).status_code == 404
    assert login(world.users["erin"]).get(url).status_code == 404


def test_it_refuses_a_minutes_file_that_is_not_clean(world, login):
    client = login(world.users["alice"])
    bad = SimpleUploadedFile("纪要.pdf", samples.pdf_with_javascript(), "application/pdf")
    refused = client.post(
        reverse("round_approve", args=[world.round.pk]), _meeting(minutes=bad), follow=True
    )
    assert "纪要.pdf" in _messages(refused)
    assert not Decision.objects.exists()


def test_it_refuses_an_inspector_recording_a_decision(world, login):
    response = login(world.users["bob"]).post(
        reverse("round_approve", args=[world.round.pk]), _meeting()
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_it_refuses_a_meeting_dated_in_the_future(world, login):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = login(world.users["gina"]).post(
        reverse("round_approve", args=[world.round.pk]),
        {"meeting_number": 1, "held_on": tomorrow},
        follow=True,
    )
    assert "会议日期不能晚于今天。" in _messages(refused)


def test_it_lets_the_leading_group_hear_and_decide_through_the_workspace(world, login):
    _at_office_reviewed(world)
    client = login(world.users["gina"])
    url = reverse("inspection_workspace", args=[world.inspection1.pk])
    page = _text(client.get(url))
    assert "领导小组已听取汇报" in page and "由领导小组记录本次会议。" in page
    decide = reverse("inspection_decide", args=[world.inspection1.pk])
    heard = client.post(decide, {"to": "leading_group_heard", **_meeting(5)}, follow=True)
    assert "已记录会议并转入“领导小组听取汇报”阶段。" in _messages(heard)
    decided = client.post(decide, {"to": "committee_decided", **_meeting(12)}, follow=True)
    assert "已记录会议并转入“党委决定”阶段。" in _messages(decided)
    text = _text(decided)
    assert "领导小组第5次会议" in text and "党委常委会第12次会议" in text
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.COMMITTEE_DECIDED
    change = world.inspection1.stage_changes.get(to_stage="committee_decided")
    assert change.actor == world.users["gina"]


def test_it_refuses_hearing_without_the_groups_record(world, login):
    _at_office_reviewed(world)
    refused = login(world.users["alice"]).post(
        reverse("inspection_stage", args=[world.inspection1.pk]),
        {"to": "leading_group_heard"},
        follow=True,
    )
    assert "领导小组尚未听取汇报：须由领导小组成员记录会议，或由巡视办上传会议纪要代为记录。" in (
        _messages(refused)
    )
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.OFFICE_REVIEWED


def test_it_lets_the_office_record_a_hearing_with_the_minutes_only(world, login):
    _at_office_reviewed(world)
    client = login(world.users["alice"])
    decide = reverse("inspection_decide", args=[world.inspection1.pk])
    refused = client.post(decide, {"to": "leading_group_heard", **_meeting()}, follow=True)
    assert "须上传会议纪要" in _messages(refused)
    client.post(decide, {"to": "leading_group_heard", **_meeting(minutes=_minutes())})
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.LEADING_GROUP_HEARD
    assert Decision.objects.get(kind=DecisionKind.HEARING).on_paper


def test_it_lists_what_waits_for_the_leading_group(world, login):
    _at_office_reviewed(world)
    page = _text(login(world.users["gina"]).get(reverse("group_home")))
    assert "待听取汇报" in page and "兰考县" in page
    assert login(world.users["bob"]).get(reverse("group_home")).status_code == 403


# --- the paper pledge ---------------------------------------------------------------------------


def _wei_in_team1(world):  # type: ignore[no-untyped-def]
    """陈伟 has no account: he signs on paper."""
    return rnd.membership_add(
        actor=SYSTEM, team=world.team1, cadre=world.cadres["wei"], role="member"
    )


def _paper(m, **extra):  # type: ignore[no-untyped-def]
    scan = SimpleUploadedFile("承诺书.pdf", samples.pdf(), "application/pdf")
    return {f"m{m.pk}-signed_on": timezone.localdate().isoformat(), f"m{m.pk}-scan": scan, **extra}


def test_it_lets_the_office_record_a_paper_pledge_with_its_scan(world, login):
    wei = _wei_in_team1(world)
    client = login(world.users["alice"])
    page = _text(client.get(reverse("team_detail", args=[world.team1.pk])))
    assert "录入纸质承诺" in page and "有本人账号，须本人登录签署" in page
    done = client.post(reverse("pledge_paper", args=[wei.pk]), _paper(wei), follow=True)
    assert "已录入陈伟的纸质承诺。" in _messages(done)
    assert "赵敏录入" in _text(done)
    wei.refresh_from_db()
    assert wei.pledge_signed_at is not None
    assert wei.paper_pledge.scan.body == world.body


def test_it_refuses_a_paper_pledge_for_a_member_with_an_account(world, login):
    carol = world.team1.memberships.get(cadre=world.cadres["carol"])
    refused = login(world.users["alice"]).post(
        reverse("pledge_paper", args=[carol.pk]), _paper(carol), follow=True
    )
    assert "李秀英有本人账号，须登录后本人签署承诺。" in _messages(refused)
    carol.refresh_from_db()
    assert carol.pledge_signed_at is None


def test_it_refuses_a_paper_pledge_without_the_scan(world, login):
    wei = _wei_in_team1(world)
    data = {f"m{wei.pk}-signed_on": timezone.localdate().isoformat()}
    refused = login(world.users["alice"]).post(
        reverse("pledge_paper", args=[wei.pk]), data, follow=True
    )
    assert "承诺书扫描件" in _messages(refused)
    wei.refresh_from_db()
    assert wei.pledge_signed_at is None


def test_it_keeps_the_team_from_authorization_until_every_member_signed(world, login):
    wei = _wei_in_team1(world)
    _sign_pledges(world)
    login(world.users["gina"]).post(reverse("round_approve", args=[world.round.pk]), _meeting())
    client = login(world.users["alice"])
    refused = client.post(
        reverse("inspection_stage", args=[world.inspection1.pk]), {"to": "authorized"}, follow=True
    )
    assert "以下组员尚未签署纪律承诺：陈伟。" in _messages(refused)
    client.post(reverse("pledge_paper", args=[wei.pk]), _paper(wei))
    client.post(reverse("inspection_stage", args=[world.inspection1.pk]), {"to": "authorized"})
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.AUTHORIZED
