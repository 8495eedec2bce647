"""A report is accepted from the first day of the announced 受理时间: before it, the form
says when it opens and a post stores nothing (the internal app's date rules, rule 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.conftest import form_answer
from portal.reports.models import Submission

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_it_takes_no_report_before_the_announced_reception(citizen: Any, announced: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 10, 7, 20, tzinfo=SHANGHAI), tick=True):
        page = citizen.get(f"/r/{announced.token}/").content.decode()
        assert "受理时间：2026年10月8日至2026年12月8日。" in page
        assert "本次巡察自2026年10月8日起受理反映，现在还不能在线提交。" in page
        assert "<form" not in page
        sent = citizen.client.post(
            f"/r/{announced.token}/",
            {"identity": "anonymous", "content": "提前反映。", "answer": "1", "challenge": "x"},
        )
        assert sent.status_code == 200 and "还不能在线提交" in sent.content.decode()
        assert not Submission.objects.exists()


def test_it_takes_a_report_on_the_first_day(citizen: Any, announced: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 10, 8, 8, tzinfo=SHANGHAI), tick=True):
        page = citizen.get(f"/r/{announced.token}/").content.decode()
        assert "<form" in page and "还不能在线提交" not in page
        data = {"identity": "anonymous", "content": "村里的扶贫款被挪用。", **form_answer(page)}
        sent = citizen.client.post(f"/r/{announced.token}/", data)
        assert "提交成功" in sent.content.decode()
        assert Submission.objects.count() == 1
