"""The three Word documents of an inspection's report stage, in the GB/T 9704 layout of
`xunshi.lib.officedoc` (A4, margins 37/35/28/26 mm, 方正小标宋简体 title, 仿宋_GB2312
body on a 28-point line, 一、 in 黑体 and （一） in 楷体, page numbers):

- the report (情况报告), internal: each problem with the paper's facts, qualification and
  responsibility; the clues only counted by recipient, never described;
- the feedback (反馈意见) to the inspected organization, and
- the rectification notice (整改通知书): these two use nothing but each problem's summary
  (问题表述), the suggestions and the due dates, so no fact, evidence, clue or petition
  behind a paper ever reaches the organization.

Their heads and ends (GB/T 9704): the report and the feedback go out under the team's red
发文机关标志 (中共河南省委第一巡视组), the notice under the office's; the report is marked
机密 by default (it holds the facts, the responsibilities and the count of clues), the
feedback and the notice carry no marking (their text is what the organization receives and
may in part disclose). None has a 发文字号: the body keeps no series for them (the
supervision notice and the working papers have one). The 版记 of each names the office as
印发机关 on the document's date; the feedback and the notice are copied to the body's
discipline commission and organization department (`registry.letterheads.usual_copies`).

`document_export` is the action that builds one and records the export
(inspections.document.export). The documents are Chinese whatever the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.lib.officedoc import (
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    Colophon,
    Head,
    cn_date,
    cn_number,
    colophon,
    docx_bytes,
    new_document,
    paragraph,
    signature,
    title_line,
)
from xunshi.registry.letterheads import office_name, team_issuer, usual_copies
from xunshi.registry.models import Sector
from xunshi.rounds.access import is_team_leader, is_team_member
from xunshi.rounds.models import Inspection

from .models import Clue, ClueRecipient, DueKey, Problem, ReportText
from .queries import feedback_date, report_date

__all__ = [
    "DOCX_CONTENT_TYPE",
    "KINDS",
    "document_export",
    "feedback_docx",
    "feedback_title",
    "notice_docx",
    "notice_title",
    "report_docx",
    "report_title",
    "target_org",
]

SUBHEADING_FONT = "楷体"
KINDS = ("report", "feedback", "notice")
REPORT_SECRECY = "机密"
# Organizations led by a leading Party group (党组) rather than a Party committee (党委).
_PARTY_GROUP_SECTORS = {Sector.DEPARTMENT, Sector.PEOPLE_ORG}


# --- names ------------------------------------------------------------------------------------


def target_org(insp: Inspection) -> str:
    """兰考县党委 / 河南省财政厅党组."""
    suffix = "党组" if insp.target.sector in _PARTY_GROUP_SECTORS else "党委"
    return f"{insp.target.name}{suffix}"


def report_title(insp: Inspection) -> str:
    """关于巡视兰考县党委的情况报告."""
    return f"关于{insp.round.body.work_word}{target_org(insp)}的情况报告"


def feedback_title(insp: Inspection) -> str:
    """省委第一巡视组关于巡视兰考县的反馈意见."""
    word = insp.round.body.work_word
    return f"{insp.round.body.short_title}{insp.team.name}关于{word}{insp.target.name}的反馈意见"


def notice_title(insp: Inspection) -> str:
    """整改通知书 (the organization is named in the salutation below it)."""
    return "整改通知书"


# --- layout -----------------------------------------------------------------------------------


def _new(title: str, *, issuer: str, on: dt.date, secrecy: str = "") -> Any:
    """A document under `issuer`'s red head, written by it on `on`, and its title."""
    doc = new_document(title, author=issuer, on=on, head=Head(issuer=issuer, secrecy=secrecy))
    title_line(doc, title)
    paragraph(doc)
    return doc


def _end(doc: Any, insp: Inspection, on: dt.date, *, copies: bool = True) -> bytes:
    """The 版记 and the file."""
    body = insp.round.body
    copies_to = usual_copies(body) if copies else []
    colophon(doc, Colophon(printer=office_name(body), printed_on=on, copies_to=copies_to))
    return docx_bytes(doc)


def _lines(doc: Any, text: str, *, lead: str = "") -> None:
    """A text as body paragraphs, one per line; `lead` starts the first."""
    parts = [p.strip() for p in text.splitlines() if p.strip()] or [""]
    for n, part in enumerate(parts):
        paragraph(doc, (lead if n == 0 else "") + part)


def _heading(doc: Any, n: int, text: str) -> None:
    paragraph(doc, f"{cn_number(n)}、{text}", font=HEADING_FONT)


def _subheading(doc: Any, n: int, text: str) -> None:
    paragraph(doc, f"（{cn_number(n)}）{text}", font=SUBHEADING_FONT)


def _salutation(doc: Any, text: str) -> None:
    paragraph(doc, f"{text}：", indent=None)


# --- content ----------------------------------------------------------------------------------


def _period(insp: Inspection) -> str:
    start, end = insp.start or insp.round.start, insp.end or insp.round.end
    if start and end:
        return f"{cn_date(start)}至{cn_date(end)}，"
    return ""


def _groups(insp: Inspection) -> list[tuple[str, list[Problem]]]:
    rows = insp.problems.select_related("paper__category").order_by(
        "paper__category__taxonomy__code",
        "paper__category__position",
        "paper__category__code",
        "seq",
    )
    groups: dict[int, tuple[str, list[Problem]]] = {}
    for problem in rows:
        category = problem.paper.category
        groups.setdefault(category.pk, (category.name, []))[1].append(problem)
    return list(groups.values())


def _report_text(insp: Inspection) -> ReportText:
    return ReportText.objects.filter(inspection=insp).first() or ReportText(inspection=insp)


# What a responsibility's text may end with; the sentence puts its own 。 and ；.
_END_PUNCTUATION = "。；;，,、.． \n"


def _responsibility(problem: Problem) -> str:
    paper = problem.paper
    parts = [
        (label, text.strip().rstrip(_END_PUNCTUATION))
        for label, text in (
            ("主体责任", paper.responsibility_main),
            ("第一责任人责任", paper.responsibility_first),
            ("监督责任", paper.responsibility_supervision),
        )
    ]
    return "；".join(f"{label}：{text or '未认定'}" for label, text in parts) + "。"


def _clue_sentence(clues: Iterable[Clue]) -> str:
    rows = list(clues)
    if not rows:
        return "巡视期间未发现需要移交的问题线索。"
    counts: dict[str, int] = {}
    for clue in rows:
        name = (
            clue.recipient_other
            if clue.recipient == ClueRecipient.OTHER
            else ClueRecipient(clue.recipient).label
        )
        counts[str(name)] = counts.get(str(name), 0) + 1
    parts = "、".join(f"拟移交{name}{n}件" for name, n in counts.items())
    return f"巡视期间共发现问题线索{len(rows)}件，其中{parts}，已另行报送。"


def report_docx(
    insp: Inspection, *, include_confidential: bool = True, today: dt.date | None = None
) -> bytes:
    """The report to the leading group: overview, problems with facts, qualification and
    responsibility, the clues counted, the suggestions; dated the day it was sent up (or
    last saved while drafting), `today` only for a report without any text yet."""
    word, body = insp.round.body.work_word, insp.round.body.short_title
    text = _report_text(insp)
    on = report_date(insp) or today or timezone.localdate()
    issuer = team_issuer(insp.round.body, insp.team.name)
    doc = _new(report_title(insp), issuer=issuer, on=on, secrecy=REPORT_SECRECY)
    _salutation(doc, f"{body}{word}工作领导小组")
    paragraph(
        doc,
        f"根据{body}统一部署，{_period(insp)}{insp.team.name}对{target_org(insp)}"
        f"进行了{insp.get_kind_display()}。现将有关情况报告如下：",
    )
    _heading(doc, 1, "基本情况")
    _lines(doc, text.overview or "（未填写）")
    _heading(doc, 2, "发现的主要问题")
    groups = _groups(insp)
    if not groups:
        paragraph(doc, "本次巡视未形成问题。")
    for i, (category, problems) in enumerate(groups, 1):
        _subheading(doc, i, category)
        for j, problem in enumerate(problems, 1):
            paper = problem.paper
            paragraph(doc, f"{j}. {paper.title}（底稿{paper.number}）", bold=True)
            _lines(doc, paper.facts)
            _lines(doc, paper.qualification, lead="定性：")
            paragraph(doc, f"责任：{_responsibility(problem)}")
    _heading(doc, 3, "问题线索")
    clues = insp.clues.all()
    if not include_confidential:
        clues = clues.filter(highly_confidential=False)
    paragraph(doc, _clue_sentence(clues.only("recipient", "recipient_other")))
    _heading(doc, 4, "意见建议")
    _lines(doc, text.suggestions or "（未填写）")
    signature(doc, insp.team.name, on)
    return _end(doc, insp, on, copies=False)


def _due_sentences(insp: Inspection) -> list[str]:
    dues = {d.key: d for d in insp.dues.all()}
    out = []
    for key, what in (
        (DueKey.RECTIFICATION_PLAN, "报送整改方案"),
        (DueKey.RECTIFICATION_REPORT, "报送整改情况报告"),
    ):
        due = dues.get(key)
        if due is not None:
            out.append(f"请于{cn_date(due.due)}前{what}（期限依据：{due.rule_text}）。")
    return out


def feedback_docx(insp: Inspection) -> bytes:
    """The feedback to the inspected organization: problem summaries only, by class, the
    suggestions and the rectification requirements with their due dates."""
    word, body = insp.round.body.work_word, insp.round.body.short_title
    text = _report_text(insp)
    on = feedback_date(insp) or timezone.localdate()
    doc = _new(feedback_title(insp), issuer=team_issuer(insp.round.body, insp.team.name), on=on)
    _salutation(doc, target_org(insp))
    paragraph(
        doc,
        f"根据{body}统一部署，{_period(insp)}{body}{insp.team.name}对{target_org(insp)}"
        f"进行了{insp.get_kind_display()}。经{body}同意，现将{word}发现的主要问题和"
        "整改意见反馈如下：",
    )
    _heading(doc, 1, f"{word}发现的主要问题")
    for i, (category, problems) in enumerate(_groups(insp), 1):
        _subheading(doc, i, category)
        for j, problem in enumerate(problems, 1):
            _lines(doc, problem.summary, lead=f"{j}. ")
    _heading(doc, 2, "意见建议")
    _lines(doc, text.suggestions or "请对照反馈问题认真整改。")
    _heading(doc, 3, "整改要求")
    paragraph(
        doc,
        f"{target_org(insp)}要切实履行整改主体责任，党组织主要负责人履行第一责任人责任，"
        "对反馈问题逐项制定整改措施，明确责任领导、责任部门和整改时限。",
    )
    for sentence in _due_sentences(insp):
        paragraph(doc, sentence)
    signature(doc, f"{body}{insp.team.name}", on)
    return _end(doc, insp, on)


def notice_docx(insp: Inspection) -> bytes:
    """The rectification notice: the problems to rectify (summaries) and the due dates."""
    word, body = insp.round.body.work_word, insp.round.body.short_title
    given = feedback_date(insp) or timezone.localdate()
    doc = _new(notice_title(insp), issuer=office_name(insp.round.body), on=given)
    _salutation(doc, target_org(insp))
    paragraph(
        doc,
        f"{body}{insp.team.name}已于{cn_date(given)}向你单位反馈{word}意见。"
        "现将需要整改的问题通知如下，请认真组织整改：",
    )
    _heading(doc, 1, "需要整改的问题")
    for n, problem in enumerate(insp.problems.order_by("seq"), 1):
        _lines(doc, problem.summary, lead=f"{n}. ")
    _heading(doc, 2, "整改时限")
    for sentence in _due_sentences(insp):
        paragraph(doc, sentence)
    signature(doc, f"{insp.round.body.name.removeprefix('中共')}{word}工作领导小组办公室", given)
    return _end(doc, insp, given)


# --- the export action ------------------------------------------------------------------------


def document_export(*, actor: Actor, inspection: Inspection, kind: str) -> tuple[bytes, str]:
    """One of the documents ("report", "feedback", "notice") and its file name; records the
    export. Callers check access and availability first."""
    with override(None):
        if kind == "report":
            # A member who may not see 高密 clues does not learn their number from the report.
            hide = is_team_member(actor, inspection) and not is_team_leader(actor, inspection)
            content = report_docx(inspection, include_confidential=not hide)
            name = report_title(inspection)
        elif kind == "feedback":
            content, name = feedback_docx(inspection), feedback_title(inspection)
        elif kind == "notice":
            content = notice_docx(inspection)
            name = f"{inspection.target.name}{notice_title(inspection)}"
        else:
            raise ValueError(kind)
    with transaction.atomic():
        record(
            actor=actor,
            action="inspections.document.export",
            obj=inspection,
            after={"kind": kind, "problems": inspection.problems.count()},
        )
    return content, f"{name}.docx"
