"""The rectification report is worded by the office's template. It is made when it is
downloaded, so the version it was worded by is kept in the download's audit row: an edit
words the next download, never one made before (whose row still names its version)."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from xunshi.audit.models import AuditEvent
from xunshi.doctemplates.actions import template_upload
from xunshi.doctemplates.queries import shipped
from xunshi.doctemplates.tests.edits import edited
from xunshi.rectification.documents import (
    rectification_report_docx,
    report_export,
    report_template_docx,
)

KIND = "rectification_report"


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_it_ships_the_template_the_layout_helper_writes():
    # After changing report_template_docx, write its bytes to
    # xunshi/doctemplates/shipped/rectification_report.docx.
    body = zipfile.ZipFile(io.BytesIO(shipped(KIND))).read("word/document.xml")
    assert body == zipfile.ZipFile(io.BytesIO(report_template_docx())).read("word/document.xml")


def test_an_edit_words_the_next_download_and_the_audit_row_keeps_each_version(rectifying):
    alice, insp = rectifying.users["alice"], rectifying.inspection1
    first, _ = report_export(actor=alice, inspection=insp)
    assert "现将整改情况报告如下：" in _text(first)

    changed = edited(shipped(KIND), "现将整改情况报告如下：", "现将整改落实情况报告如下：")
    template_upload(actor=alice, body=insp.round.body, kind=KIND, content=changed)
    second, _ = report_export(actor=alice, inspection=insp)
    assert "现将整改落实情况报告如下：" in _text(second)
    assert "一、总体情况" in _text(second) and "（一）" in _text(second)
    # The first download, made again with the version its row names, reads as it did.
    rows = AuditEvent.objects.filter(action="rectification.report.export").order_by("id")
    assert [row.after["template_version"] for row in rows] == [1, 2]
    again = rectification_report_docx(insp, version=rows[0].after["template_version"])
    assert _text(again) == _text(first)
