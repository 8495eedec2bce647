"""Storing what the portal sends, item by item, from envelopes sealed with the test key (the
HTTP side against the real portal is in test_portal.py)."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.models import Petition
from xunshi.files.actions import attachment_open
from xunshi.intake import actions
from xunshi.intake.client import PortalClient
from xunshi.intake.models import PortalCursor, PortalSubmission, Unrouted
from xunshi.lifecycle.actions import inspection_transition

from .conftest import envelope_file, gps_of, gps_photo, item, report_payload, sealed

TEXT = "兰考县某局长违规收受礼金。\n时间：2026年8月；地点：县城某酒店。CANARY-7d1e"


def _store(it):  # type: ignore[no-untyped-def]
    return actions.submission_store(actor=SYSTEM, item=it)


def _clean(photo: bytes) -> bytes:
    from uploadscan import strip_metadata

    return bytes(strip_metadata("jpg", photo))


def test_it_turns_a_report_into_an_anonymous_portal_petition_of_the_announcing_team(announced):
    token = announced.announcement.token
    it = item(1, sealed(report_payload(token, TEXT, reported_persons="王某（县某局局长）")))
    assert _store(it) == "routed"
    petition = Petition.objects.get()
    assert petition.inspection == announced.inspection1
    assert (petition.channel, petition.portal_ref, petition.seq) == ("portal", it["ref"], 1)
    assert petition.content == TEXT
    assert petition.reported_persons == "王某（县某局局长）"
    assert not petition.real_name and petition.petitioner_name == ""
    assert str(petition.received_on) == "2026-09-10"
    assert PortalCursor.objects.get().last_seq == 1


def test_it_keeps_the_clean_copy_for_the_team_and_the_original_sealed(announced):
    photo = gps_photo()
    files = [envelope_file("现场照片.jpg", photo, _clean(photo))]
    blob = sealed(report_payload(announced.announcement.token, TEXT, files=files))
    _store(item(1, blob))
    sub = PortalSubmission.objects.get()
    (attachment,) = sub.attachments.all()
    assert (attachment.original_name, attachment.audience) == ("现场照片.jpg", "team")
    clean = attachment_open(attachment)
    assert gps_of(clean) == {} and b"CANARY-CAMERA" not in clean
    # The envelope is kept as it came, still sealed; opened, it gives the original back.
    assert bytes(sub.envelope) == blob and TEXT.encode() not in bytes(sub.envelope)
    original = actions.portal_original(actor=announced.users["alice"], submission=sub)
    assert original["files"][0]["original"] == files[0]["original"]


def test_it_stores_an_item_only_once(announced):
    it = item(1, sealed(report_payload(announced.announcement.token, TEXT)))
    assert _store(it) == "routed"
    assert _store(it) is None
    assert _store(it | {"seq": 2}) is None  # the same ref under another number
    assert Petition.objects.count() == 1 and PortalSubmission.objects.count() == 1


def test_it_keeps_a_report_for_an_unknown_announcement_unrouted(announced):
    assert _store(item(1, sealed(report_payload("no-such-token", TEXT)))) == "unrouted"
    sub = PortalSubmission.objects.get()
    assert (sub.routed, sub.reason, sub.petition) == (False, Unrouted.UNKNOWN_ANNOUNCEMENT, None)
    assert not Petition.objects.exists()


def test_it_keeps_a_report_unrouted_while_the_inspection_takes_no_petitions(announced):
    insp = announced.inspection1
    inspection_transition(actor=SYSTEM, inspection=insp, to="suspended", reason="暂停")
    photo = gps_photo()
    files = [envelope_file("照片.jpg", photo, _clean(photo))]
    _store(item(1, sealed(report_payload(announced.announcement.token, TEXT, files=files))))
    sub = PortalSubmission.objects.get()
    assert sub.reason == Unrouted.NOT_TAKING and not Petition.objects.exists()
    with pytest.raises(ValidationError, match="不受理信访"):
        actions.portal_submission_route(actor=SYSTEM, submission=sub, inspection=insp)
    inspection_transition(actor=SYSTEM, inspection=insp, to="on_site")
    actions.portal_submission_route(actor=SYSTEM, submission=sub, inspection=insp)
    sub.refresh_from_db()
    assert sub.routed and sub.petition is not None and sub.petition.content == TEXT
    assert sub.attachments.count() == 1


def test_it_records_a_corrupted_envelope_as_unreadable_and_moves_on(announced):
    blob = bytearray(sealed(report_payload(announced.announcement.token, TEXT)))
    blob[-20] ^= 0xFF
    assert _store(item(1, bytes(blob))) == "unreadable"
    assert _store(item(2, sealed(report_payload(announced.announcement.token, TEXT)))) == "routed"
    bad = PortalSubmission.objects.get(seq=1)
    assert bad.reason == Unrouted.UNREADABLE and bytes(bad.envelope) == bytes(blob)
    assert PortalCursor.objects.get().last_seq == 2


def test_it_adds_a_followup_to_the_reports_petition(announced):
    photo = gps_photo()
    report = item(1, sealed(report_payload(announced.announcement.token, TEXT)))
    _store(report)
    more = {
        "content": "补充：还有一笔礼金。",
        "files": [envelope_file("补充.jpg", photo, _clean(photo))],
    }
    assert _store(item(2, sealed(more), kind="followup", parent=report["ref"])) == "routed"
    followup = PortalSubmission.objects.get(seq=2)
    assert followup.petition == Petition.objects.get()
    assert followup.content == "补充：还有一笔礼金。" and followup.attachments.count() == 1


def test_it_keeps_what_the_reporter_wrote_out_of_the_audit_trail(announced):
    photo = gps_photo()
    files = [envelope_file("照片.jpg", photo, _clean(photo))]
    _store(item(1, sealed(report_payload(announced.announcement.token, TEXT, files=files))))
    trail = " ".join(f"{e.object_repr} {e.before} {e.after}" for e in AuditEvent.objects.all())
    assert "CANARY-7d1e" not in trail and "礼金" not in trail
    assert AuditEvent.objects.filter(action="intake.submission.pull").count() == 1


def test_it_refuses_to_pull_without_the_private_key(announced, settings):
    settings.XUNSHI_OFFICE_SM2_PRIVATE_KEY = ""
    result = actions.portal_pull(actor=SYSTEM)
    assert "XUNSHI_OFFICE_SM2_PRIVATE_KEY" in result.error and result.pulled == 0


def test_it_says_in_chinese_when_the_portal_does_not_answer_and_writes_nothing(announced):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = PortalClient(base_url=f"http://127.0.0.1:{port}", token="t", pause=0.01)
    events = AuditEvent.objects.count()
    result = actions.portal_sync(actor=SYSTEM, client=client)
    assert result.pull.error == "门户网站没有响应（已尝试3次），请稍后重试。"
    assert result.publish.error and not PortalSubmission.objects.exists()
    assert PortalCursor.objects.get().pull_error == result.pull.error
    assert AuditEvent.objects.count() == events
