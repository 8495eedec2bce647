"""The reminders: written by the daily job from the same rules as the desk, once; read in the
notification centre and counted in the header; mailed as one digest a day when SMTP is set."""

from __future__ import annotations

import datetime as dt
import email
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from xunshi.desk.actions import reminders_run
from xunshi.desk.models import Notification
from xunshi.desk.queries import desk_rows
from xunshi.rectification import actions as rect

from .scene import NOW, SECRET, TODAY, build_scene

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def scene(world):  # type: ignore[no-untyped-def]
    return build_scene(world)


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_the_job_writes_what_the_desk_counts_and_a_second_run_nothing(scene) -> None:  # type: ignore[no-untyped-def]
    alice = scene.world.users["alice"]
    with time_machine.travel(NOW, tick=False):
        out = StringIO()
        call_command("reminders", stdout=out)
        first = Notification.objects.count()
        call_command("reminders", stdout=out)
        rows = desk_rows(alice, TODAY)
    assert Notification.objects.count() == first > 0
    assert "新增提醒0条" in out.getvalue().splitlines()[-1]
    mine = Notification.objects.filter(recipient=alice)
    assert mine.count() == sum(r.count for r in rows) == 7
    assert set(mine.values_list("rule", flat=True)) == {r.rule.key for r in rows}
    late = mine.filter(rule="clue_disposal")
    assert [n.due for n in late] == [dt.date(2026, 12, 20)] * 2
    assert {n.unit for n in late} == {"兰考县"}


def test_a_reminder_carries_no_case_content(scene) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False), override_settings(EMAIL_HOST="smtp.example"):
        for user in [*scene.world.users.values(), scene.hong]:
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
        reminders_run()
    texts = [f"{n.rule} {n.object_key} {n.unit} {n.link}" for n in Notification.objects.all()] + [
        f"{m.subject} {m.body}" for m in mail.outbox
    ]
    assert len(texts) > 20 and mail.outbox
    assert not [t for t in texts if SECRET in t]
    assert not [t for t in texts if "扶贫资金拨付滞后" in t]  # not even a problem's wording


def test_the_notification_centre_lists_counts_and_marks_read(scene) -> None:  # type: ignore[no-untyped-def]
    dave = scene.world.users["dave"]
    with time_machine.travel(NOW, tick=False):
        reminders_run()
        client = _signed_in(dave)
        desk = client.get(reverse("desk_home")).content.decode()
        assert 'data-unread="6"' in desk  # the header's badge
        page = client.get(reverse("notification_list")).content.decode()
        assert page.count('<tr class="unread">') == 6
        assert "待审议审定的问题底稿" in page and "河南省财政厅" in page
        talk = Notification.objects.get(recipient=dave, rule="talks_to_sign")
        opened = client.post(reverse("notification_open", args=[talk.pk]))
        assert opened.status_code == 302 and opened["Location"] == talk.link
        assert 'data-unread="5"' in client.get(reverse("desk_home")).content.decode()
        client.post(reverse("notifications_read_all"))
        desk = client.get(reverse("desk_home")).content.decode()
        assert "data-unread" not in desk
        unread = client.get(reverse("notification_list") + "?unread=1").content.decode()
        assert "没有提醒。" in unread
        # Somebody else's reminder is not there for dave.
        other = Notification.objects.exclude(recipient=dave).first()
        assert other is not None
        assert client.post(reverse("notification_open", args=[other.pk])).status_code == 404
        assert Notification.objects.get(pk=other.pk).read_at is None


def test_no_mail_without_smtp_one_digest_a_day_with_it(scene) -> None:  # type: ignore[no-untyped-def]
    erin = scene.world.users["erin"]
    erin.email = "erin@example.org"
    erin.save(update_fields=["email"])
    with time_machine.travel(NOW, tick=False):
        run = reminders_run()
        assert run.created and run.mailed == 0 and not mail.outbox
    with override_settings(EMAIL_HOST="smtp.example"):
        with time_machine.travel(NOW, tick=False):
            assert reminders_run().mailed == 1
            assert reminders_run().mailed == 0  # the same day: nothing twice
        [digest] = mail.outbox
        assert digest.to == ["erin@example.org"]
        assert "2条待办提醒" in digest.subject
        assert "整改情况报告报送期限｜兰考县｜2027-01-02（逾期100天）" in digest.body
        ledger = reverse("ledger", args=[scene.world.inspection1.pk])
        assert f"http://127.0.0.1:8000{ledger}" in digest.body
        # The next day nothing new; then the office returns the claim: a digest of that alone.
        with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
            mail.outbox.clear()
            assert reminders_run().mailed == 0
            rect.item_verify(
                actor=scene.world.users["alice"],
                item=scene.items[2],
                close=False,
                reason="佐证材料不足",
                on=TODAY + dt.timedelta(days=1),
            )
            assert reminders_run().mailed == 1
        [digest] = mail.outbox
        assert "1条待办提醒" in digest.subject
        assert "被退回的销号申请｜兰考县｜2027-06-30（78天后到期）" in digest.body


def test_a_digest_leaves_out_what_no_longer_waits(scene) -> None:  # type: ignore[no-untyped-def]
    erin = scene.world.users["erin"]
    erin.email = "erin@example.org"
    erin.save(update_fields=["email"])
    with time_machine.travel(NOW, tick=False):
        reminders_run()  # no SMTP yet: two reminders for erin, no mail
        assert Notification.objects.filter(recipient=erin).count() == 2
        rect.item_claim(actor=erin, item=scene.items[1], on=TODAY)  # the item due this week
        with override_settings(EMAIL_HOST="smtp.example"):
            assert reminders_run().mailed == 1
    [digest] = mail.outbox
    assert "1条待办提醒" in digest.subject
    assert "整改情况报告报送期限" in digest.body and "本周到期" not in digest.body


def test_what_was_acted_on_is_resolved_not_deleted_and_leaves_the_badge(scene) -> None:  # type: ignore[no-untyped-def]
    erin = scene.world.users["erin"]
    week = {"recipient": erin, "rule": "deadlines_week"}
    with time_machine.travel(NOW, tick=False):
        client = _signed_in(erin)
        out = StringIO()
        call_command("reminders", stdout=out)
        assert 'data-unread="2"' in client.get(reverse("desk_home")).content.decode()
        rect.item_claim(actor=erin, item=scene.items[1], on=TODAY)  # the item due this week
        call_command("reminders", stdout=out)
        assert "标为已处理1条" in out.getvalue().splitlines()[-1]
        assert 'data-unread="1"' in client.get(reverse("desk_home")).content.decode()
        page = client.get(reverse("notification_list")).content.decode()
        assert page.count('<tr class="unread">') == 1
        assert page.count('<tr class="resolved">') == 1
        assert "已处理" in page and "本周到期的整改事项" in page
        unread = client.get(reverse("notification_list") + "?unread=1").content.decode()
        assert "本周到期的整改事项" not in unread
        assert Notification.objects.filter(**week, resolved_at__isnull=False).count() == 1
        # A third run on the same day changes nothing: still there, still resolved.
        call_command("reminders", stdout=out)
        assert "新增提醒0条，标为已处理0条" in out.getvalue().splitlines()[-1]
        # The office returns the claim: the item waits again, and so does its reminder.
        rect.item_verify(
            actor=scene.world.users["alice"],
            item=scene.items[1],
            close=False,
            reason="佐证材料不足",
            on=TODAY,
        )
        call_command("reminders", stdout=out)
        assert Notification.objects.filter(**week, resolved_at__isnull=True).count() == 1
    assert Notification.objects.filter(**week).count() == 1


SMTP_SERVER = """
import sys, time
from pathlib import Path
from aiosmtpd.controller import Controller

class Keep:
    async def handle_DATA(self, server, session, envelope):
        Path(sys.argv[2]).write_bytes(envelope.content)
        return "250 OK"

controller = Controller(Keep(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
time.sleep(60)
"""


def test_the_digest_goes_through_a_real_smtp_server(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    erin = scene.world.users["erin"]
    erin.email = "erin@example.org"
    erin.save(update_fields=["email"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    received = tmp_path / "mail.eml"
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port), str(received)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_TIMEOUT": 5,
        }
        with override_settings(**smtp), time_machine.travel(NOW, tick=True):
            assert reminders_run().mailed == 1
        deadline = time.monotonic() + 10
        while not received.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        message = email.message_from_bytes(received.read_bytes())
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert message["To"] == "erin@example.org"
    body = message.get_payload(decode=True).decode()
    assert "整改情况报告报送期限｜兰考县｜2027-01-02（逾期100天）" in body
    assert SECRET not in body
    assert Notification.objects.filter(recipient=erin, mailed_at__isnull=False).count() == 2
