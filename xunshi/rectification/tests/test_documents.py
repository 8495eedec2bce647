"""The rectification report and the public disclosure come from the ledger: change a figure
in the ledger and both texts change. The report opens in Word and in LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xunshi.audit.models import AuditEvent
from xunshi.lib.tests.pdftext import docx_pdf_text
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions
from xunshi.rectification.disclosure import disclosure_text, ledger_figures
from xunshi.rectification.documents import rectification_report_docx
from xunshi.rectification.models import Disclosure

from .conftest import items_of, report


def _close_first_with_figures(world):  # type: ignore[no-untyped-def]
    erin, alice = world.users["erin"], world.users["alice"]
    first, second = items_of(world)
    report(world, first, rules_revised=3, funds_recovered=Decimal("12.5"), persons_sanctioned=2)
    actions.item_claim(actor=erin, item=first, on=dt.date(2026, 11, 10))
    actions.item_verify(actor=alice, item=first, close=True, on=dt.date(2026, 11, 10))
    return first, second


def test_it_writes_the_disclosure_from_the_ledger(rectifying):
    _close_first_with_figures(rectifying)
    text = disclosure_text(rectifying.inspection1)
    assert text.startswith(
        "根据省委统一部署，省委第一巡视组于2026年9月1日至10月31日对兰考县进行了常规巡视。"
    )
    assert (
        "反馈问题2个，已完成整改1个，正在推进1个；"
        "建立完善制度3项，挽回或追缴资金12.5万元，问责处理2人。"
    ) in text
    assert text.splitlines()[1:] == [
        "1. 扶贫资金拨付滞后：已完成整改。",
        "2. 违规发放津贴补贴：正在推进。",
    ]
    # Nothing from the working papers behind the problems.
    assert "具体事实" not in text and "纪律处分条例" not in text

    second = items_of(rectifying)[1]
    report(rectifying, second, rules_revised=1, funds_recovered=Decimal("0.75"))
    text = disclosure_text(rectifying.inspection1)
    assert "建立完善制度4项，挽回或追缴资金13.25万元，问责处理2人。" in text


def test_it_publishes_the_disclosure_when_the_office_discloses(rectifying, login):
    _close_first_with_figures(rectifying)
    erin, alice = rectifying.users["erin"], rectifying.users["alice"]
    insp = rectifying.inspection1
    report(rectifying, items_of(rectifying)[1])
    inspection_transition(actor=erin, inspection=insp, to="rectification_reported")
    inspection_transition(actor=alice, inspection=insp, to="disclosed")
    published = Disclosure.objects.get(inspection=insp)
    assert "已完成整改1个，正在推进1个" in published.text
    html = login(erin).get(reverse("disclosure_page", args=[insp.pk])).content.decode()
    assert "挽回或追缴资金12.5万元" in html and "1. 扶贫资金拨付滞后：已完成整改。" in html


def _east_asia(run) -> str | None:  # type: ignore[no-untyped-def]
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_it_writes_the_report_in_the_official_layout(rectifying):
    _close_first_with_figures(rectifying)
    content = rectification_report_docx(rectifying.inspection1, today=dt.date(2026, 11, 10))
    doc = Document(io.BytesIO(content))
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "兰考县党委"  # the red head of the organization reporting
    title = paragraphs[1]
    assert title.text == "关于巡视反馈意见整改情况的报告"
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    texts = [p.text for p in paragraphs]
    heading = next(p for p in paragraphs if p.text == "一、总体情况")
    assert _east_asia(heading.runs[0]) == "黑体"
    body = paragraphs[texts.index("一、总体情况") + 1]
    assert _east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.text == (
        "巡视反馈问题2个，已完成整改1个，正在推进1个；"
        "建立完善制度3项，挽回或追缴资金12.5万元，问责处理2人。"
    )
    at = texts.index("（一）扶贫资金拨付滞后")
    assert texts[at + 1] == "整改措施：制定资金拨付台账，逐笔核查。"
    assert texts[at + 2].startswith("责任领导：县长 李明；责任部门：县财政局；")
    assert texts[at + 3] == "进展情况（2026年11月9日）：已拨付到位。"
    assert texts[at + 4] == "整改状态：已完成整改，已于2026年11月10日销号。"
    assert "（二）违规发放津贴补贴" in texts
    assert texts[-2:] == ["兰考县", "2026年11月10日"]
    section = doc.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_it_downloads_the_report_as_an_audited_export(rectifying, login):
    url = reverse("rect_report_docx", args=[rectifying.inspection1.pk])
    response = login(rectifying.users["erin"]).get(url)
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    Document(io.BytesIO(response.content))
    event = AuditEvent.objects.get(action="rectification.report.export")
    assert event.actor_username == "erin" and event.after["problems"] == 2


def test_it_converts_the_report_to_pdf_with_libreoffice(rectifying, tmp_path: Path):
    _close_first_with_figures(rectifying)
    flat = docx_pdf_text(rectification_report_docx(rectifying.inspection1), tmp_path)
    assert "关于巡视反馈意见整改情况的报告" in flat
    assert "已完成整改1个，正在推进1个" in flat
    assert "扶贫资金拨付滞后" in flat and "违规发放津贴补贴" in flat


def test_it_shares_the_figures_between_report_and_disclosure(rectifying):
    _close_first_with_figures(rectifying)
    f = ledger_figures(rectifying.inspection1)
    assert (f.problems, f.done, f.in_progress) == (2, 1, 1)
    assert (f.rules_revised, f.funds_recovered, f.persons_sanctioned) == (3, Decimal("12.5"), 2)
