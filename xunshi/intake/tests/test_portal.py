"""Against the real portal in its own process: a citizen files a report with a photo carrying
GPS data, the office pulls it into a petition of the right team, the team answers, and the
citizen reads the answer with the receipt."""

from __future__ import annotations

import re
import sqlite3

from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork.models import Petition
from xunshi.files.models import Attachment
from xunshi.intake import actions
from xunshi.intake.models import PortalSubmission, Unrouted

from .conftest import gps_of, gps_photo, needs_portal

pytestmark = needs_portal

TEXT = "兰考县某局长在扶贫项目中收受礼金。\n时间：2026年8月。CANARY-e2e-41f"
PHOTO_NAME = "现场照片.jpg"


def _publish(world, login):  # type: ignore[no-untyped-def]
    """alice sets the announcement of 兰考县 and publishes it; returns its token."""
    client = login(world.users["alice"])
    pk = world.inspection1.pk
    response = client.post(
        reverse("announcement_save", args=[pk]),
        {
            f"a{pk}-phone": "0371-12345678",
            f"a{pk}-mailbox": "兰考县邮政信箱1号",
            f"a{pk}-address": "兰考县裕禄大道1号",
            f"a{pk}-scope": "受理反映兰考县委领导班子及其成员问题的来信来电来访。",
        },
        follow=True,
    )
    assert "巡视公告已保存并发布到门户网站" in response.content.decode()
    return world.inspection1.portal_announcement.token


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_it_carries_a_report_from_the_portal_to_the_team_and_the_answer_back(onsite, login, portal):
    token = _publish(onsite, login)
    assert "兰考县" in portal.get("/")
    photo = gps_photo()
    receipt = portal.report(token, TEXT, persons="王某", files=[(PHOTO_NAME, photo)])
    assert "已收到" in _text(portal.status_page(receipt))

    alice = login(onsite.users["alice"])
    page = alice.post(reverse("intake_pull"), follow=True).content.decode()
    assert "已拉取1件：1件已转为信访件" in page
    petition = Petition.objects.get()
    assert petition.inspection == onsite.inspection1 and petition.channel == "portal"
    assert petition.content.encode() == TEXT.encode() and petition.reported_persons == "王某"

    # The team sees the petition with the photo's copy, which has no GPS data any more.
    carol = login(onsite.users["carol"])
    html = carol.get(reverse("petition_detail", args=[petition.pk])).content.decode()
    attachment = Attachment.objects.get()
    assert PHOTO_NAME in html and reverse("attachment_download", args=[attachment.pk]) in html
    download = carol.get(reverse("attachment_download", args=[attachment.pk]))
    clean = b"".join(download.streaming_content) if download.streaming else download.content
    assert download.status_code == 200 and gps_of(clean) == {}
    assert b"CANARY-CAMERA" not in clean
    # The original, with its GPS data, stays sealed in the envelope.
    sub = PortalSubmission.objects.get()
    assert TEXT.encode() not in bytes(sub.envelope) and b"CANARY-CAMERA" not in bytes(sub.envelope)
    opened = actions.portal_original(actor=onsite.users["alice"], submission=sub)
    assert gps_of(__import__("base64").b64decode(opened["files"][0]["original"])) != {}

    # Pulling again creates nothing twice.
    login(onsite.users["alice"]).post(reverse("intake_pull"))
    assert Petition.objects.count() == 1 and PortalSubmission.objects.count() == 1

    today = timezone.localdate().isoformat()
    carol = login(onsite.users["carol"])
    carol.post(
        reverse("petition_route", args=[petition.pk]),
        {"in_scope": "yes", "routing": "problem", "routing_note": ""},
    )
    reply = "您反映的问题已作为巡视发现的问题进一步了解。感谢您的监督。"
    answered = carol.post(
        reverse("petition_reply", args=[petition.pk]), {"reply": reply, "replied_on": today}
    )
    assert answered.status_code == 302, answered.content.decode()[:3000]
    result = actions.portal_sync(actor=SYSTEM)
    assert result.push.pushed == 1 and not result.errors
    status = _text(portal.status_page(receipt))
    assert "已答复" in status and reply in status
    # Nothing pending any more: a second round pushes nothing.
    assert actions.portal_push_pending(actor=SYSTEM).pushed == 0


def test_it_adds_what_the_reporter_sends_later_to_the_petition(onsite, login, portal):
    token = _publish(onsite, login)
    receipt = portal.report(token, TEXT)
    portal.add(receipt, "补充：礼金共计五万元。")
    result = actions.portal_pull(actor=SYSTEM)
    assert (result.pulled, result.routed, result.error) == (2, 2, "")
    petition = Petition.objects.get()
    html = login(onsite.users["bob"]).get(reverse("petition_detail", args=[petition.pk]))
    assert "补充：礼金共计五万元。" in html.content.decode()


def test_it_lists_an_envelope_damaged_on_the_portal_as_unreadable(onsite, login, portal):
    token = _publish(onsite, login)
    portal.report(token, TEXT)
    portal.report(token, "第二件反映。")
    with sqlite3.connect(portal.db) as db:
        (seq, blob) = db.execute(
            "SELECT seq, envelope FROM reports_submission ORDER BY seq LIMIT 1"
        ).fetchone()
        damaged = bytearray(blob)
        damaged[-5] ^= 0x01
        db.execute("UPDATE reports_submission SET envelope=? WHERE seq=?", (bytes(damaged), seq))
    result = actions.portal_pull(actor=SYSTEM)
    assert (result.pulled, result.routed, result.unreadable) == (2, 1, 1)
    bad = PortalSubmission.objects.get(reason=Unrouted.UNREADABLE)
    html = login(onsite.users["alice"]).get(reverse("intake_home")).content.decode()
    assert bad.ref in html and "无法解密的提交" in html


def test_it_keeps_a_report_unrouted_once_the_inspection_stops_taking_petitions(
    onsite, login, portal
):
    from xunshi.lifecycle.actions import inspection_transition

    token = _publish(onsite, login)
    portal.report(token, TEXT)
    inspection_transition(
        actor=SYSTEM, inspection=onsite.inspection1, to="suspended", reason="暂停"
    )
    result = actions.portal_sync(actor=SYSTEM)
    assert (result.pull.pulled, result.pull.unrouted) == (1, 1)
    sub = PortalSubmission.objects.get()
    html = login(onsite.users["alice"]).get(reverse("intake_home")).content.decode()
    assert sub.ref in html and "该巡视已不在受理信访阶段" in html
    # Suspended, the inspection's announcement is taken off the portal.
    assert "兰考县" not in portal.get("/")
