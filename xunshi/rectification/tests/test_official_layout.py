"""Every Word document Xunshi writes, printed by LibreOffice, keeps GB/T 9704 as a clerk
checks it on paper: the issuing body's name and the separator line in red on the documents
that go out (a plain head on the internal slip), at most 22 body lines a page and 28
characters on a full line, the 版记 at the foot of the last page, and file properties that
name the body and the document's day. It lives with the ledger's tests because the ledger's
fixtures reach the last of the documents (the rectification report and the 督办函)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from docx import Document

from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork.documents import slip_docx
from xunshi.fieldwork.tests.test_onsite_talks import NOW as ON_SITE
from xunshi.findings.documents import feedback_docx, notice_docx, report_docx
from xunshi.findings.queries import report_date
from xunshi.lib.officedoc import cn_date
from xunshi.lib.tests.pdftext import docx_pdf, printed_lines, red_marks
from xunshi.rectification import actions
from xunshi.rectification.documents import rectification_report_docx, supervision_notice_docx
from xunshi.rounds.documents import decision_docx
from xunshi.rounds.plan_sheet import plan_sheet
from xunshi.rounds.tests.test_planning_views import two_team_job
from xunshi.testsupport.lifecycle import move_on_site

# Points on the A4 page: the type area's left and right edges (margins 28 and 26 mm) and one
# character of 三号 (16 pt); a body line is printed 20.8 pt high (a 22-pt title 28.6).
LEFT, RIGHT, CHAR = 28 / 25.4 * 72, (210 - 26) / 25.4 * 72, 16.0
BODY_HEIGHT = (19.5, 22.5)
FOOT = (297 - 35) / 25.4 * 72  # the type area's bottom edge
CHARS = 28
CELL = (RIGHT - LEFT) / CHARS
HANGING = "，。、；：！？）”"
OFFICE = "中共河南省委巡视工作领导小组办公室"
TEAM = "中共河南省委第一巡视组"


def _cells(text: str) -> int:
    return sum(
        (len(run) + 1) // 2 if run.isascii() else len(run)
        for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text)
    )


def _supervision(request: pytest.FixtureRequest) -> tuple[bytes, str, str]:
    world = request.getfixturevalue("rectifying")
    clock = request.getfixturevalue("clock")
    clock.move_to(dt.datetime(2026, 12, 22, 2, tzinfo=dt.UTC))
    notice = actions.notice_issue(
        actor=world.users["alice"], inspection=world.inspection1, on=dt.date(2026, 12, 22)
    )
    return supervision_notice_docx(notice), OFFICE, "2026-12-22"


def _slip(request: pytest.FixtureRequest) -> tuple[bytes, str, str]:
    world = request.getfixturevalue("world")
    with time_machine.travel(ON_SITE, tick=False):
        move_on_site(world.inspection1)
        req = onsite_actions.docrequest_create(
            actor=world.users["carol"],
            inspection=world.inspection1,
            documents="2025年度县委常委会会议记录\n扶贫资金拨付台账",
            provider="县委办公室、县财政局、县乡村振兴局、县审计局、县自然资源局等单位",
            requested_on=dt.date(2026, 9, 3),
        )
    return slip_docx(req), TEAM, "2026-09-03"


def _decision(request: pytest.FixtureRequest) -> tuple[bytes, str, str]:
    sheet = plan_sheet(two_team_job(request.getfixturevalue("world")))
    content = decision_docx(sheet, today=dt.date(2027, 2, 20))
    return content, "中共河南省委巡视工作领导小组", "2027-02-20"


def _fed_back(build: Callable[[Any], bytes], author: str) -> Any:
    def make(request: pytest.FixtureRequest) -> tuple[bytes, str, str]:
        world = request.getfixturevalue("feedback")
        return build(world.inspection1), author, "2026-11-02"

    return make


def _report(request: pytest.FixtureRequest) -> tuple[bytes, str, str]:
    inspection = request.getfixturevalue("feedback").inspection1
    day = report_date(inspection)
    assert day is not None
    return report_docx(inspection), TEAM, day.isoformat()


def _rectification_report(request: pytest.FixtureRequest) -> tuple[bytes, str, str]:
    world = request.getfixturevalue("rectifying")
    content = rectification_report_docx(world.inspection1, today=dt.date(2026, 11, 10))
    return content, "兰考县党委", "2026-11-10"


Make = Callable[[pytest.FixtureRequest], tuple[bytes, str, str]]


@dataclass(frozen=True)
class Kind:
    """How to make a document (its bytes, author and day), its red 发文机关标志 ("" for a
    plain head), its 发文字号 and the printer in its 版记."""

    make: Make
    issuer: str
    number: str = ""
    printer: str = OFFICE


KINDS = {
    "report": Kind(_report, TEAM),
    "feedback": Kind(_fed_back(feedback_docx, TEAM), TEAM),
    "notice": Kind(_fed_back(notice_docx, OFFICE), OFFICE),
    "decision": Kind(_decision, "中共河南省委巡视工作领导小组文件"),
    "rectification_report": Kind(_rectification_report, "兰考县党委", printer="兰考县党委办公室"),
    "supervision_notice": Kind(_supervision, OFFICE, number="豫巡办督〔2026〕1号"),
    "slip": Kind(_slip, "", number="第一巡视组调阅〔2026〕1号", printer=""),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_prints_each_document_in_the_official_layout(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, db: None
) -> None:
    issuer, number, printer = KINDS[kind].issuer, KINDS[kind].number, KINDS[kind].printer
    content, author, day = KINDS[kind].make(request)
    props = Document(io.BytesIO(content)).core_properties
    assert (props.author, props.last_modified_by) == (author, author)
    assert props.created is not None and props.created.date().isoformat() == day

    pdf = docx_pdf(content, tmp_path)
    lines = printed_lines(pdf)
    red_text, red_rule = red_marks(pdf)
    printed = [line.text for line in lines]
    if issuer:
        # The 发文机关标志 printed in red, first of the page's large lines, and the red line.
        assert red_text == issuer and red_rule
        assert issuer in printed
    else:
        assert red_text == "" and not red_rule
    if number:
        assert number in printed

    body = [line for line in lines if BODY_HEIGHT[0] < line.height < BODY_HEIGHT[1]]
    pages = {line.page for line in lines}
    for page in pages:
        on_page = {round(line.top) for line in body if line.page == page}
        assert len(on_page) <= 22, f"第{page}页{len(on_page)}行"
    # A full line reaches the right edge; its first-line indent counts in cells too.
    full = [line for line in body if line.right > RIGHT - CELL / 2]
    # A full line holds 28 cells of the grid: a Chinese character fills one, a run of
    # digits or Latin letters one for every two (a space half a cell), and one too long for
    # the line's last cell moves to the next line whole; a comma or full stop may hang past
    # the edge. A line of Chinese characters alone holds exactly 28.
    assert full, "没有排满的行"
    for line in full:
        cells = _cells(line.text) + round((line.left - LEFT) / CELL)
        if line.right > RIGHT + CELL / 2 and line.text[-1] in HANGING:
            cells -= 1
        plain = line.words == 1 and not any(ch.isascii() for ch in line.text)
        expected = (CHARS,) if plain else (CHARS - 1, CHARS)
        assert cells in expected, f"{line.text}：{cells}格"

    if issuer:
        # The 版记 is the last thing printed on the last page, at its foot: the printer on
        # the left and the day on the right of its last line.
        last = [line for line in lines if line.page == max(pages) and line.top < FOOT]
        bottom = max(line.bottom for line in last)
        assert bottom > FOOT - CHAR
        end = [line.text for line in last if line.bottom == bottom]
        assert end == [printer, f"{cn_date(dt.date.fromisoformat(day))}印发"]
