"""The ledger's 督办函 as PDF (xunshi/pdfjobs): asked for by whoever downloads its .docx, built
by the worker with LibreOffice, and saying what the .docx says."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from django.urls import reverse
from pypdf import PdfReader

from xunshi.pdfjobs.models import PdfJob
from xunshi.rectification import actions

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is missing")


def _beijing(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC)


def test_a_supervision_notice_comes_as_pdf_for_its_readers_only(rectifying, clock, login):
    clock.move_to(_beijing(dt.date(2026, 12, 22)))
    notice = actions.notice_issue(
        actor=rectifying.users["alice"], inspection=rectifying.inspection1, on=dt.date(2026, 12, 22)
    )
    url = reverse("pdf_request", args=["rectification.notice", notice.pk])
    dave = login(rectifying.users["dave"])  # team 2's leader: not this ledger's reader
    docx = dave.get(reverse("notice_docx_download", args=[notice.pk])).status_code
    assert dave.post(url).status_code == docx == 404 and not PdfJob.objects.exists()

    erin = login(rectifying.users["erin"])
    assert (
        "rectification.notice"
        in erin.get(reverse("ledger", args=[notice.inspection_id])).content.decode()
    )
    assert erin.post(url).status_code == 302
    job = PdfJob.objects.get()
    response = erin.get(reverse("pdf_download", args=[job.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(p.extract_text() or "" for p in reader.pages).split())
    assert "兰考县" in text and "扶贫资金拨付滞后" in text
    assert notice.number in text
