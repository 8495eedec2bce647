"""The 督办函 is worded by its template: the shipped version 1 is the layout helper's own
document with placeholders, and a template the office edits changes the next notice and
never one issued before."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document

from xunshi.doctemplates.actions import template_restore, template_upload
from xunshi.doctemplates.queries import shipped
from xunshi.doctemplates.tests.edits import edited
from xunshi.rectification import actions
from xunshi.rectification.documents import notice_template_docx, supervision_notice_docx

KIND = "supervision_notice"


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _body(content: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")


def test_it_ships_the_template_the_layout_helper_writes():
    # After changing notice_template_docx, write its bytes to
    # xunshi/doctemplates/shipped/supervision_notice.docx (version 1 of every body).
    assert _body(shipped(KIND)) == _body(notice_template_docx())


def test_it_words_the_next_notice_by_the_edited_template_never_an_earlier_one(rectifying, clock):
    clock.move_to(dt.datetime(2026, 12, 22, 2, tzinfo=dt.UTC))
    alice, insp, on = rectifying.users["alice"], rectifying.inspection1, dt.date(2026, 12, 22)
    first = actions.notice_issue(actor=alice, inspection=insp, on=on)
    assert first.template_version == 1
    before = _text(supervision_notice_docx(first))
    assert "现予督办，具体如下：" in before and "兰考县：" in before

    changed = edited(shipped(KIND), "现予督办", "特此督办")
    template_upload(actor=alice, body=insp.round.body, kind=KIND, content=changed, note="改一句")
    second = actions.notice_issue(actor=alice, inspection=insp, on=on)
    assert second.template_version == 2
    assert "特此督办，具体如下：" in _text(supervision_notice_docx(second))
    assert "1. 扶贫资金拨付滞后" in _text(supervision_notice_docx(second))
    # The first notice still reads as it was issued.
    assert _text(supervision_notice_docx(first)) == before

    template_restore(actor=alice, body=insp.round.body, kind=KIND, version=1)
    third = actions.notice_issue(actor=alice, inspection=insp, on=on)
    assert third.template_version == 3
    assert "现予督办，具体如下：" in _text(supervision_notice_docx(third))
