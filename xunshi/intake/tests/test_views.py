"""The office's portal pages for every role, the announcement form, the list of what waits,
and the portal panel on a petition's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.actions import petition_reply
from xunshi.fieldwork.models import Petition
from xunshi.intake import actions
from xunshi.intake.models import PortalAnnouncement, PortalCursor, PortalSubmission
from xunshi.intake.push import pending_pushes

from .conftest import envelope_file, gps_photo, item, report_payload, sealed

OTHERS = ["gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud"]


def _pages(world):  # type: ignore[no-untyped-def]
    sub = PortalSubmission.objects.get()
    return [
        ("GET", reverse("intake_home")),
        ("POST", reverse("intake_pull")),
        ("GET", reverse("announcement_list")),
        ("POST", reverse("announcement_save", args=[world.inspection1.pk])),
        ("POST", reverse("submission_route", args=[sub.pk])),
        ("GET", reverse("submission_file", args=[sub.pk, 1])),
    ]


@pytest.fixture
def unrouted(announced):  # type: ignore[no-untyped-def]
    """One report for an unknown announcement, waiting for the office."""
    photo = gps_photo()
    files = [envelope_file("照片.jpg", photo, photo)]
    actions.submission_store(
        actor=SYSTEM, item=item(1, sealed(report_payload("gone", "反映内容。", files=files)))
    )
    return announced


@pytest.mark.parametrize("who", OTHERS)
def test_it_shows_the_portal_pages_to_the_office_only(unrouted, login, who):
    client = login(unrouted.users[who])
    for method, url in _pages(unrouted):
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 403, (who, url)
    assert not PortalSubmission.objects.filter(routed=True).exists()


def test_it_sends_a_stranger_to_the_login_page(unrouted, client):
    for method, url in _pages(unrouted):
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_it_lets_the_office_in(unrouted, login):
    alice = login(unrouted.users["alice"])
    for method, url in _pages(unrouted):
        if method == "GET":
            assert alice.get(url).status_code == 200, url
    menu = alice.get(reverse("coverage")).content.decode()
    assert f'<a href="{reverse("intake_home")}"' in menu and "码上巡察</a>" in menu


def test_it_shows_the_overview_before_the_first_pull_without_writing(world, login):
    html = login(world.users["alice"]).get(reverse("intake_home")).content.decode()
    assert "尚未拉取" in html
    assert not PortalCursor.objects.exists()


def test_it_lists_a_report_waiting_for_the_office_and_routes_it_by_hand(unrouted, login):
    alice = login(unrouted.users["alice"])
    sub = PortalSubmission.objects.get()
    html = alice.get(reverse("intake_home")).content.decode()
    assert sub.ref in html and "找不到对应的巡视公告" in html
    response = alice.post(
        reverse("submission_route", args=[sub.pk]), {f"s{sub.pk}-inspection": "999999"}
    )
    assert response.status_code == 200 and not Petition.objects.exists()
    response = alice.post(
        reverse("submission_route", args=[sub.pk]),
        {f"s{sub.pk}-inspection": str(unrouted.inspection1.pk)},
        follow=True,
    )
    assert "已登记为第一巡视组第1号信访件" in response.content.decode()
    petition = Petition.objects.get()
    assert petition.inspection == unrouted.inspection1 and petition.content == "反映内容。"


def test_it_hands_the_sealed_original_to_the_office_with_an_audit_event(unrouted, login):
    sub = PortalSubmission.objects.get()
    response = login(unrouted.users["alice"]).get(reverse("submission_file", args=[sub.pk, 1]))
    assert response.status_code == 200 and response.content == gps_photo()
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="intake.submission.open").count() == 1


def test_it_saves_an_announcement_with_the_qr_link_and_says_when_the_portal_is_away(
    onsite, login, settings
):
    settings.XUNSHI_PORTAL_URL = "http://127.0.0.1:9"  # nothing listens there
    alice = login(onsite.users["alice"])
    pk = onsite.inspection1.pk
    page = alice.get(reverse("announcement_list")).content.decode()
    assert "兰考县" in page and "政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律" in page
    url = reverse("announcement_save", args=[pk])
    refused = alice.post(url, {f"a{pk}-phone": "0371-1", f"a{pk}-scope": "受理范围"})
    assert "请填写邮政信箱。" in refused.content.decode()
    assert not PortalAnnouncement.objects.exists()
    data = {
        f"a{pk}-phone": "0371-12345678",
        f"a{pk}-mailbox": "兰考县邮政信箱1号",
        f"a{pk}-address": "兰考县裕禄大道1号",
        f"a{pk}-scope": "受理反映兰考县委领导班子问题的来信来电来访。",
    }
    html = alice.post(url, data, follow=True).content.decode()
    assert "巡视公告已保存，但暂未发布到门户网站" in html
    token = PortalAnnouncement.objects.get().token
    assert f"http://127.0.0.1:9/r/{token}/" in html


def test_it_refuses_an_announcement_for_an_inspection_not_on_site(world, login):
    url = reverse("announcement_save", args=[world.inspection2.pk])
    assert login(world.users["alice"]).post(url, {}).status_code == 404


def test_it_lets_the_team_answer_an_anonymous_portal_report_and_queues_the_answer(announced, login):
    actions.submission_store(
        actor=SYSTEM, item=item(1, sealed(report_payload(announced.announcement.token, "内容")))
    )
    petition = Petition.objects.get()
    assert not petition.real_name
    page = login(announced.users["carol"]).get(reverse("petition_detail", args=[petition.pk]))
    assert "答复反映人" in page.content.decode() and "已收到" in page.content.decode()
    petition_reply(
        actor=announced.users["carol"],
        petition=petition,
        reply="已收悉。",
        replied_on=timezone.localdate(),
    )
    ((sub, status, reply),) = pending_pushes()
    assert (sub.ref, status, reply) == (petition.portal_ref, "answered", "已收悉。")


def _waiting_reports(first: int, n: int) -> None:
    for seq in range(first, first + n):
        payload = report_payload("gone", f"反映内容{seq}。")
        actions.submission_store(actor=SYSTEM, item=item(seq, sealed(payload)))


def _home_queries(client) -> int:  # type: ignore[no-untyped-def]
    client.get(reverse("intake_home"))
    with CaptureQueriesContext(connection) as q:
        assert client.get(reverse("intake_home")).status_code == 200
    return len(q)


def test_it_pages_the_waiting_reports_in_the_same_queries_for_more_of_them(unrouted, login):
    alice = login(unrouted.users["alice"])
    _waiting_reports(2, 2)
    few = _home_queries(alice)
    _waiting_reports(4, 60)  # more than a page, each with its routing form
    assert _home_queries(alice) == few
    html = alice.get(reverse("intake_home"), {"page": 2}).content.decode()
    assert "第 2 / 2 页，共 63 条" in html and html.count('action="/intake/submissions/') == 13


def _answered_reports(announced, first: int, n: int) -> list[Petition]:  # type: ignore[no-untyped-def]
    """n portal reports stored as petitions, each answered by the team: n pending pushes."""
    for seq in range(first, first + n):
        payload = report_payload(announced.announcement.token, f"反映内容{seq}。")
        actions.submission_store(actor=SYSTEM, item=item(seq, sealed(payload)))
    petitions = list(Petition.objects.filter(portal_ref__gt="").order_by("-pk")[:n])
    for petition in petitions:
        petition_reply(
            actor=announced.users["carol"],
            petition=petition,
            reply=f"已收悉{petition.pk}。",
            replied_on=timezone.localdate(),
        )
    return petitions


def test_it_finds_the_pending_pushes_in_sql_and_pages_them_in_the_same_queries(announced, login):
    from xunshi.intake.push import pending_rows, reply_change_key, reply_digest

    alice = login(announced.users["alice"])
    _answered_reports(announced, 1, 2)
    few = _home_queries(alice)
    petitions = _answered_reports(announced, 3, 60)
    assert pending_rows().count() == 62
    assert _home_queries(alice) == few
    html = alice.get(reverse("intake_home"), {"outbox_page": 2}).content.decode()
    assert "第 2 / 2 页，共 62 条" in html
    # What the push records once the portal acknowledged a reply (push_actions): the row is
    # no longer pending; a corrected reply makes it pending again.
    done = petitions[0]
    PortalSubmission.objects.filter(petition=done).update(
        status="answered",
        reply_sm3=reply_digest(done.reply),
        reply_md5=reply_change_key(done.reply),
    )
    assert pending_rows().count() == 61 and len(pending_pushes()) == 61
    petition_reply(
        actor=announced.users["carol"],
        petition=Petition.objects.get(pk=done.pk),
        reply="已收悉，正在核实。",
        replied_on=timezone.localdate(),
    )
    assert pending_rows().count() == 62
    ((_sub, status, reply),) = [p for p in pending_pushes() if p[0].petition_id == done.pk]
    assert (status, reply) == ("answered", "已收悉，正在核实。")
