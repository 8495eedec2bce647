"""The report's text and its three Word documents, opened as the office opens them (Word,
then PDF through LibreOffice): the report says everything, the feedback and the notice only
the problems' summaries, never a fact, a clue or a petition behind them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.demo.group import hear_or_decide
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.tests.test_papers import NOW, category, new_paper
from xunshi.findings import actions as clue_actions
from xunshi.findings.documents import feedback_docx, notice_docx, report_docx
from xunshi.findings.models import ReportText
from xunshi.findings.report_actions import report_text_save
from xunshi.findings.tests.test_clues import new_clue
from xunshi.lib.tests.pdftext import docx_pdf_text
from xunshi.lifecycle.actions import inspection_transition
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
FACTS_MARK = "内部事实XJ7731"
PETITION_MARK = "信访原文PT5521"
CLUE_MARK = "线索内容CL9901"
CLUE_PERSON = "线索人员CL9902"
REPORT_TITLE = "关于巡视兰考县党委的情况报告"
FEEDBACK_TITLE = "省委第一巡视组关于巡视兰考县的反馈意见"
AFTER_FEEDBACK = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)


def _problem(w: Any, title: str, facts: str, summary: str, item: str) -> None:
    """A paper with a routed petition as evidence, reviewed and made a problem by bob."""
    bob, carol = w.users["bob"], w.users["carol"]
    paper = new_paper(w, title=title, facts=facts, category=category(item))
    petition = onsite_actions.petition_create(
        actor=carol,
        inspection=w.inspection1,
        channel="letter",
        received_on=D(2026, 9, 5),
        content=f"{PETITION_MARK}：{title}",
        real_name=False,
    )
    onsite_actions.petition_route(actor=carol, petition=petition, in_scope=True, routing="problem")
    papers.paper_add_evidence(actor=carol, paper=paper, kind="petition", record_obj=petition)
    papers.paper_submit(actor=carol, paper=paper)
    papers.paper_group_review(
        actor=bob, paper=paper, approve=True, meeting_on=D(2026, 9, 20), opinion="同意。"
    )
    papers.paper_leader_review(actor=bob, paper=paper, approve=True)
    clue_actions.problem_create(actor=bob, paper=paper, summary=summary)


@pytest.fixture
def drafted(world):  # type: ignore[no-untyped-def]
    """兰考县 withdrawn with two problems in two classes, an ordinary and a 高密 clue, and
    the report's text written by the leader."""
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        _problem(
            world,
            "违规发放津贴补贴",
            f"{FACTS_MARK}：2025年违规发放津贴86万元。",
            "违规发放津贴补贴问题突出",
            "围绕党的作风建设",
        )
        _problem(
            world,
            "扶贫资金拨付滞后",
            "2025年县财政局滞拨扶贫资金1200万元。",
            "扶贫资金拨付不及时",
            "围绕党的纪律建设",
        )
        paper = world.inspection1.working_papers.first()
        new_clue(world, source="paper", record=paper, summary=CLUE_MARK, persons=CLUE_PERSON)
        new_clue(
            world,
            source="paper",
            record=paper,
            summary="高密",
            persons="某",
            recipient="organization",
            highly_confidential=True,
        )
        inspection_transition(actor=SYSTEM, inspection=world.inspection1, to="withdrawn")
        report_text_save(
            actor=world.users["bob"],
            inspection=world.inspection1,
            overview="兰考县委总体情况良好，落实主体责任有力。",
            suggestions="一是强化政治担当。\n二是加强资金监管。",
        )
        world.inspection1.refresh_from_db()
        yield world


@pytest.fixture
def fed_back(drafted):  # type: ignore[no-untyped-def]
    """The same inspection after the committee's decision and the feedback of 2026-11-02."""
    for stage in ["report_drafted", "office_reviewed"]:
        inspection_transition(actor=SYSTEM, inspection=drafted.inspection1, to=stage)
    for stage in ["leading_group_heard", "committee_decided"]:
        hear_or_decide(drafted.inspection1, stage, timezone.localdate())
    inspection_transition(
        actor=SYSTEM, inspection=drafted.inspection1, to="feedback_given", on=D(2026, 11, 2)
    )
    drafted.inspection1.refresh_from_db()
    with time_machine.travel(AFTER_FEEDBACK, tick=False):
        yield drafted


def paragraphs(content: bytes) -> list[Any]:
    return [p for p in Document(io.BytesIO(content)).paragraphs if p.text]


def east_asia(paragraph: Any) -> str | None:
    return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


# --- the report's text ------------------------------------------------------------------------


def test_it_leaves_the_reports_text_to_the_leader_while_drafting(drafted):
    insp = drafted.inspection1
    with pytest.raises(ValidationError) as e:
        report_text_save(
            actor=drafted.users["carol"], inspection=insp, overview="改", suggestions=""
        )
    assert e.value.messages == ["巡视报告的基本情况和意见建议须由组长撰写。"]
    assert (
        ReportText.objects.get(inspection=insp).overview
        == "兰考县委总体情况良好，落实主体责任有力。"
    )
    events = AuditEvent.objects.filter(action="inspections.report.save")
    assert events.count() == 1 and "主体责任" not in str(events.get().after)


def test_it_refuses_the_reports_text_outside_drafting(world):
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        with pytest.raises(ValidationError) as e:
            report_text_save(
                actor=world.users["bob"],
                inspection=world.inspection1,
                overview="早",
                suggestions="",
            )
    assert e.value.messages == ["巡视当前处于“进驻中”阶段，不能修改巡视报告。"]
    assert not ReportText.objects.exists()


def test_it_refuses_the_reports_text_once_the_office_reviewed_it(fed_back):
    with pytest.raises(ValidationError) as e:
        report_text_save(
            actor=fed_back.users["bob"],
            inspection=fed_back.inspection1,
            overview="晚",
            suggestions="",
        )
    assert e.value.messages == ["巡视当前处于“已反馈”阶段，不能修改巡视报告。"]


# --- the documents in Word --------------------------------------------------------------------


def test_it_writes_the_report_with_facts_qualification_and_responsibility(drafted):
    doc = paragraphs(report_docx(drafted.inspection1))
    texts = [p.text for p in doc]
    # Marked 机密 under the team's red head.
    assert texts[:3] == ["机密", "中共河南省委第一巡视组", REPORT_TITLE]
    assert doc[1].runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert east_asia(doc[2]) == "方正小标宋简体" and doc[2].runs[0].font.size == Pt(22)
    heads = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")]
    assert heads == ["一、基本情况", "二、发现的主要问题", "三、问题线索", "四、意见建议"]
    assert east_asia(doc[texts.index("一、基本情况")]) == "黑体"
    subs = [t for t in texts if t.startswith("（")]
    assert subs == ["（一）围绕党的作风建设", "（二）围绕党的纪律建设"]
    assert east_asia(doc[texts.index(subs[0])]) == "楷体"
    at = texts.index(subs[0])
    assert texts[at + 1].startswith("1. 违规发放津贴补贴（底稿豫巡1组〔2026〕")
    assert texts[at + 2].startswith(FACTS_MARK)
    assert texts[at + 3].startswith("定性：违反")
    assert (
        texts[at + 4]
        == "责任：主体责任：县委负主体责任；第一责任人责任：未认定；监督责任：未认定。"
    )
    assert "兰考县委总体情况良好，落实主体责任有力。" in texts
    assert "一是强化政治担当。" in texts and "二是加强资金监管。" in texts
    clue_line = texts[texts.index("三、问题线索") + 1]
    assert (
        clue_line
        == "巡视期间共发现问题线索2件，其中拟移交纪委监委1件、拟移交组织部1件，已另行报送。"
    )
    assert CLUE_MARK not in "".join(texts) and CLUE_PERSON not in "".join(texts)
    # Still a draft: dated the day its text was last saved.
    assert texts[-2:] == ["第一巡视组", "2026年9月25日"]
    section = Document(io.BytesIO(report_docx(drafted.inspection1))).sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    assert "PAGE" in section.footer._element.xml
    body = doc[texts.index("一、基本情况") + 1]
    assert east_asia(body) == "仿宋_GB2312" and body.paragraph_format.line_spacing == Pt(28.95)


def test_it_writes_the_feedback_from_the_summaries_only(fed_back):
    texts = [p.text for p in paragraphs(feedback_docx(fed_back.inspection1))]
    whole = "\n".join(texts)
    assert texts[:3] == ["中共河南省委第一巡视组", FEEDBACK_TITLE, "兰考县党委："]
    assert "1. 违规发放津贴补贴问题突出" in texts and "1. 扶贫资金拨付不及时" in texts
    assert "（一）围绕党的作风建设" in texts
    for secret in (FACTS_MARK, PETITION_MARK, CLUE_MARK, CLUE_PERSON, "定性", "县委负主体责任"):
        assert secret not in whole
    assert "一是强化政治担当。" in texts
    assert "请于2026年11月23日前报送整改方案（期限依据：15个工作日（期限规则第1版））。" in texts
    assert "请于2027年1月2日前报送整改情况报告（期限依据：2个月（期限规则第1版））。" in texts
    assert texts[-1] == "2026年11月2日"


def test_it_writes_the_rectification_notice(fed_back):
    texts = [p.text for p in paragraphs(notice_docx(fed_back.inspection1))]
    assert texts[:3] == ["中共河南省委巡视工作领导小组办公室", "整改通知书", "兰考县党委："]
    assert "1. 违规发放津贴补贴问题突出" in texts and "2. 扶贫资金拨付不及时" in texts
    assert FACTS_MARK not in "".join(texts) and CLUE_MARK not in "".join(texts)
    assert any(t.startswith("请于2026年11月23日前报送整改方案") for t in texts)
    assert texts[-2] == "河南省委巡视工作领导小组办公室"


# --- the downloads, converted to PDF ----------------------------------------------------------


def pdf_text(content: bytes, tmp_path: Path) -> str:
    return docx_pdf_text(content, tmp_path)


DOWNLOADS = {
    "report_docx": ([REPORT_TITLE, FACTS_MARK, "违规发放津贴补贴", "扶贫资金拨付滞后"], []),
    "feedback_docx": (
        [FEEDBACK_TITLE, "违规发放津贴补贴问题突出", "扶贫资金拨付不及时"],
        [FACTS_MARK, PETITION_MARK, CLUE_MARK, CLUE_PERSON],
    ),
    "notice_docx": (
        ["整改通知书", "违规发放津贴补贴问题突出", "扶贫资金拨付不及时"],
        [FACTS_MARK, PETITION_MARK, CLUE_MARK],
    ),
}


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_it_downloads_each_document_as_it_prints(fed_back, login, tmp_path, name):
    expected, absent = DOWNLOADS[name]
    response = login(fed_back.users["alice"]).get(reverse(name, args=[fed_back.inspection1.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in response["Content-Disposition"]
    printed = pdf_text(response.content, tmp_path)
    for words in expected:
        assert words in printed, words
    for words in absent:
        assert words not in printed, words
    kind = name.removesuffix("_docx")
    event = AuditEvent.objects.filter(action="inspections.document.export").get()
    assert event.after["kind"] == kind and event.actor_username == "alice"


def test_it_keeps_the_number_of_highly_confidential_clues_from_a_member(fed_back, login):
    url = reverse("report_docx", args=[fed_back.inspection1.pk])
    member = [p.text for p in paragraphs(login(fed_back.users["carol"]).get(url).content)]
    assert "巡视期间共发现问题线索1件，其中拟移交纪委监委1件，已另行报送。" in member
    leader = [p.text for p in paragraphs(login(fed_back.users["bob"]).get(url).content)]
    assert any(t.startswith("巡视期间共发现问题线索2件") for t in leader)


def test_it_dates_the_report_the_day_it_went_up_with_single_punctuation(drafted, login, tmp_path):
    insp = drafted.inspection1
    inspection_transition(
        actor=drafted.users["bob"], inspection=insp, to="report_drafted", on=D(2026, 10, 8)
    )
    with time_machine.travel(AFTER_FEEDBACK, tick=False):
        response = login(drafted.users["alice"]).get(reverse("report_docx", args=[insp.pk]))
    printed = pdf_text(response.content, tmp_path)
    assert "第一巡视组2026年10月8日" in printed
    assert "2026年11月5日" not in printed
    assert "责任：主体责任：县委负主体责任；第一责任人责任：未认定；监督责任：未认定。" in printed
    assert "。；" not in printed and "。。" not in printed
