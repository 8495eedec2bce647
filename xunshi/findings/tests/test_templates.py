"""The report, the feedback and the rectification notice are worded by the office's
templates: the shipped version 1 is the layout helper's own document with placeholders, a
template the office edits words the next document, and a document already issued (the report
sent up, the feedback given) keeps the version in force when it was issued."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.demo.group import hear_or_decide
from xunshi.doctemplates.actions import template_upload
from xunshi.doctemplates.queries import shipped
from xunshi.doctemplates.tests.edits import edited
from xunshi.fieldwork.tests.test_papers import NOW
from xunshi.findings.documents import (
    TEMPLATES,
    document_export,
    feedback_docx,
    notice_docx,
    report_docx,
)
from xunshi.lifecycle.actions import inspection_transition

from .test_report import drafted  # noqa: F401  (the fixture)

HOUR = dt.timedelta(hours=1)
REPORT_OLD, REPORT_NEW = "现将有关情况报告如下：", "现将巡视情况报告如下："
FEEDBACK_OLD, FEEDBACK_NEW = "逐项制定整改措施", "逐项研究制定整改措施"
NOTICE_OLD, NOTICE_NEW = "请认真组织整改：", "请抓紧组织整改："


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _body(content: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_it_ships_the_templates_the_layout_helper_writes(kind):
    # After changing a generator, write its bytes to xunshi/doctemplates/shipped/<kind>.docx.
    assert _body(shipped(kind)) == _body(TEMPLATES[kind]())


def _edit(world, kind: str, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    body = world.inspection1.round.body
    content = edited(shipped(kind), old, new)
    template_upload(actor=world.users["alice"], body=body, kind=kind, content=content)


def test_an_edit_words_the_next_documents_and_never_those_issued(drafted):  # noqa: F811
    insp = drafted.inspection1
    assert REPORT_OLD in _text(report_docx(insp))
    with time_machine.travel(NOW + HOUR, tick=False):
        _edit(drafted, "inspection_report", REPORT_OLD, REPORT_NEW)
        _edit(drafted, "feedback", "切实履行", "认真履行")
        # The report is still a draft: worded by the current version.
        assert REPORT_NEW in _text(report_docx(insp))
        assert "（二）围绕党的纪律建设" in _text(report_docx(insp))
    with time_machine.travel(NOW + 2 * HOUR, tick=False):
        for stage in ["report_drafted", "office_reviewed"]:
            inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
        for stage in ["leading_group_heard", "committee_decided"]:
            hear_or_decide(insp, stage, timezone.localdate())
        inspection_transition(
            actor=SYSTEM, inspection=insp, to="feedback_given", on=dt.date(2026, 11, 2)
        )
        insp.refresh_from_db()
        report, feedback, notice = report_docx(insp), feedback_docx(insp), notice_docx(insp)
    assert REPORT_NEW in _text(report) and NOTICE_OLD in _text(notice)
    assert "认真履行整改主体责任" in _text(feedback)

    with time_machine.travel(NOW + 3 * HOUR, tick=False):
        _edit(drafted, "inspection_report", REPORT_OLD, "现报告如下：")
        _edit(drafted, "feedback", FEEDBACK_OLD, FEEDBACK_NEW)
        _edit(drafted, "rectification_notice", NOTICE_OLD, NOTICE_NEW)
        # Issued before the edits: each reads as it was issued.
        assert _text(report_docx(insp)) == _text(report)
        assert _text(feedback_docx(insp)) == _text(feedback)
        assert _text(notice_docx(insp)) == _text(notice)
        # The next ones (the other inspection's drafts) take the edits.
        other = drafted.inspection2
        assert "现报告如下：" in _text(report_docx(other))
        assert NOTICE_NEW in _text(notice_docx(other))
        assert FEEDBACK_NEW in _text(feedback_docx(other))
        document_export(actor=drafted.users["alice"], inspection=insp, kind="feedback")
    exported = AuditEvent.objects.get(action="inspections.document.export")
    assert exported.after["template_version"] == 2
