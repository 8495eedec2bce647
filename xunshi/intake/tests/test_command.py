"""``manage.py portal_pull``: once, or every N seconds until SIGTERM."""

from __future__ import annotations

import io
import os
import signal
import threading

from django.core.management import call_command

from xunshi.fieldwork.models import Petition

from .conftest import needs_portal


def test_it_says_in_chinese_that_the_portal_is_away(announced, settings):
    settings.XUNSHI_PORTAL_URL = "http://127.0.0.1:9"
    out, err = io.StringIO(), io.StringIO()
    call_command("portal_pull", stdout=out, stderr=err)
    assert "门户网站没有响应" in err.getvalue()
    assert "拉取0件" in out.getvalue()


def test_it_stops_cleanly_on_sigterm_between_two_rounds(announced, settings):
    settings.XUNSHI_PORTAL_URL = "http://127.0.0.1:9"
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    out = io.StringIO()
    try:
        call_command("portal_pull", "--every", "60", stdout=out, stderr=io.StringIO())
    finally:
        timer.cancel()
    assert out.getvalue().count("拉取0件") == 1
    assert signal.getsignal(signal.SIGTERM) == before


@needs_portal
def test_it_pulls_from_the_real_portal_every_round(announced, portal, settings):
    from xunshi.accounts.actors import SYSTEM
    from xunshi.intake.actions import portal_publish

    assert not portal_publish(actor=SYSTEM).error
    portal.report(announced.announcement.token, "命令行拉取的反映。")
    out = io.StringIO()
    call_command("portal_pull", "--every", "1", "--rounds", "2", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("拉取1件（转为信访件1件")
    assert out.getvalue().splitlines()[1].startswith("拉取0件")
    assert Petition.objects.get().content == "命令行拉取的反映。"
