"""The handover slip of a document request (调阅资料交接单), opened the way the office
opens it: in Word."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xunshi.audit.models import AuditEvent
from xunshi.doctemplates.actions import template_upload
from xunshi.doctemplates.queries import shipped
from xunshi.doctemplates.tests.edits import edited
from xunshi.fieldwork import actions
from xunshi.fieldwork.documents import slip_docx, slip_template_docx
from xunshi.fieldwork.tests.test_onsite_talks import NOW
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
KIND = "docrequest_slip"


@pytest.fixture
def request_(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        world.inspection1.refresh_from_db()
        req = actions.docrequest_create(
            actor=world.users["carol"],
            inspection=world.inspection1,
            documents="2025年度县委常委会会议记录\n扶贫资金拨付台账\n干部任免文件",
            provider="县委办公室",
            requested_on=D(2026, 9, 3),
        )
        actions.docrequest_handover(
            actor=world.users["carol"],
            request=req,
            handed_over_on=D(2026, 9, 4),
            handed_over_by="孙明",
            received_by=world.cadres["carol"],
        )
    return world, req


def _east_asia(run: Any) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_it_downloads_a_slip_that_opens_in_word_with_the_documents(request_, login):
    w, req = request_
    response = login(w.users["carol"]).get(reverse("docrequest_slip", args=[req.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "调阅资料交接单" in unquote(response["Content-Disposition"])
    doc = Document(io.BytesIO(response.content))
    paragraphs = [p for p in doc.paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == "调阅资料交接单"
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    texts = [p.text for p in paragraphs]
    assert texts[1] == "第一巡视组调阅〔2026〕1号"
    assert "被巡视单位：兰考县" in texts and "提供部门：县委办公室" in texts
    assert "调阅日期：2026年9月3日" in texts and "移交日期：2026年9月4日" in texts
    assert "移交人（签字）：孙明" in texts and "接收人（签字）：李秀英" in texts
    assert _east_asia(paragraphs[2].runs[0]) == "仿宋_GB2312"
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows == [
        ["序号", "资料名称", "备注"],
        ["1", "2025年度县委常委会会议记录", ""],
        ["2", "扶贫资金拨付台账", ""],
        ["3", "干部任免文件", ""],
    ]


def test_it_records_who_downloaded_the_slip(request_, login):
    w, req = request_
    login(w.users["alice"]).get(reverse("docrequest_slip", args=[req.pk]))
    event = AuditEvent.objects.get(action="inspections.docrequest.slip")
    assert event.actor_username == "alice" and event.object_id == str(req.pk)
    assert event.after == {"seq": 1, "documents": 3, "template_version": 1}


def test_it_leaves_blank_lines_to_sign_before_the_handover(world, login):
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        world.inspection1.refresh_from_db()
        req = actions.docrequest_create(
            actor=world.users["bob"],
            inspection=world.inspection1,
            documents="财务凭证",
            provider="县财政局",
            requested_on=D(2026, 9, 3),
        )
    response = login(world.users["bob"]).get(reverse("docrequest_slip", args=[req.pk]))
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "移交人（签字）：" + "＿" * 8 in texts and "归还日期：" + "＿" * 8 in texts


def test_it_ships_the_template_the_layout_helper_writes():
    # After changing slip_template_docx, write its bytes to
    # xunshi/doctemplates/shipped/docrequest_slip.docx.
    body = zipfile.ZipFile(io.BytesIO(shipped(KIND))).read("word/document.xml")
    assert body == zipfile.ZipFile(io.BytesIO(slip_template_docx())).read("word/document.xml")


def test_an_edited_template_words_the_next_slip_and_the_audit_row_keeps_each_version(
    request_, login
):
    w, req = request_
    client = login(w.users["carol"])
    first = client.get(reverse("docrequest_slip", args=[req.pk])).content
    changed = edited(shipped(KIND), "调阅资料清单", "调阅资料目录")
    template_upload(actor=w.users["alice"], body=w.body, kind=KIND, content=changed)
    second = client.get(reverse("docrequest_slip", args=[req.pk])).content
    assert "调阅资料目录" in _texts(second) and "调阅资料清单" in _texts(first)
    assert len(Document(io.BytesIO(second)).tables[0].rows) == 4
    rows = AuditEvent.objects.filter(action="inspections.docrequest.slip").order_by("id")
    assert [row.after["template_version"] for row in rows] == [1, 2]
    again = slip_docx(req, version=rows[0].after["template_version"])
    assert _texts(again) == _texts(first)


def _texts(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]
