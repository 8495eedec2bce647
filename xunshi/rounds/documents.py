"""The two documents of a round's plan: the Excel workbook of the plan (方案, 回避审查,
求解记录) and the Word decision on the teams' composition and authorization (巡视组组成人员及
授权的决定) in the official-document layout of GB/T 9704. Both read `plan_sheet.PlanSheet`, the
plan as the page showed it. `plan_export` is the small action that writes a document and
records the export (rounds.plan.export).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xunshi.audit.chain import record

from .actions import _cn_number
from .models import PlanningJob, Round
from .plan_sheet import STATUS_WORDS, Member, PlanSheet, plan_sheet, sector_label

__all__ = [
    "DOCX_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "decision_docx",
    "decision_title",
    "plan_export",
    "plan_xlsx",
]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PLAN_COLUMNS = ["巡视组", "职责", "姓名", "人员编号", "单位", "职务", "专长"]
PLAN_COLUMNS += ["巡视对象", "对象板块", "工作量", "地区"]


# --- Excel ------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(wb: Workbook, title: str, head: list[str], rows: Iterable[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(head)
    for cell in ws[1]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    widths = [len(h) * 2 + 4 for h in head]
    for row in rows:
        ws.append(row)
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(60, len(str(value if value is not None else "")) * 2))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = _WRAP
    ws.freeze_panes = "A2"


def _plan_rows(sheet: PlanSheet) -> Iterable[list[Any]]:
    for team in sheet.teams:
        targets = "、".join(g.name for g in team.targets)
        sectors = "、".join(dict.fromkeys(g.sector for g in team.targets))
        for person in team.people:
            role = "组长" if person is team.leader else "组员"
            yield [
                team.name,
                role,
                person.name,
                person.code,
                person.unit,
                person.post,
                "、".join(person.skills),
                targets,
                sectors,
                team.workload,
                "、".join(team.regions),
            ]


def _avoidance_rows(sheet: PlanSheet) -> Iterable[list[Any]]:
    for team in sheet.teams:
        targets = "、".join(g.name for g in team.targets)
        if not team.avoidance:
            yield [team.name, targets, "未发现回避情形"]
        for sentence in team.avoidance:
            yield [team.name, targets, sentence]


def _record_rows(sheet: PlanSheet) -> Iterable[list[Any]]:
    job, review = sheet.job, sheet.review
    params = job.params
    yield ["轮次", sheet.round.name]
    yield ["方案编号", job.pk]
    yield ["提交人", str(job.created_by)]
    yield ["提交时间", timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M:%S")]
    yield ["求解状态", STATUS_WORDS.get(review.status, review.status)]
    yield ["目标值", review.objective]
    yield ["下界", review.bound]
    yield ["求解结果目标值", sheet.solver_objective]
    yield ["人工调整", "是" if sheet.edited else "否"]
    yield ["用时（秒）", review.seconds]
    yield ["巡视组数", params.get("teams")]
    yield ["一托N", params.get("targets_per_team")]
    yield ["每组人数", "–".join(str(n) for n in params.get("team_size", []))]
    skills = params.get("team_skills") or {}
    yield ["专长要求", "；".join(f"{k}≥{v}" for k, v in skills.items()) or "无"]
    limits = params.get("max_per_team") or {}
    yield ["板块上限", "；".join(f"{sector_label(k)}≤{v}" for k, v in limits.items()) or "无"]
    yield ["计算时限（秒）", params.get("time_limit_s")]
    yield ["随机种子", params.get("seed")]
    yield ["巡视对象数", len(job.problem.get("targets", []))]
    yield ["干部库人数", len(job.problem.get("cadres", []))]
    yield ["回避关系数", len(job.problem.get("conflicts", []))]
    for key, value in review.solver:
        yield [f"求解器：{key}", value]
    for line in review.violations:
        yield ["违反约束", line]
    for line in review.explanation:
        yield ["无解原因", line]


def plan_xlsx(sheet: PlanSheet) -> bytes:
    """The workbook: 方案 (a row per member), 回避审查, 求解记录."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    _sheet(wb, "方案", PLAN_COLUMNS, _plan_rows(sheet))
    _sheet(wb, "回避审查", ["巡视组", "巡视对象", "审查结果"], _avoidance_rows(sheet))
    _sheet(wb, "求解记录", ["项目", "内容"], _record_rows(sheet))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Word (GB/T 9704) -------------------------------------------------------------------------

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
# Fonts the reader may not have, each with the installed one Word and WPS should use instead.
_FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", HEADING_FONT: "SimHei"}
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT = Pt(32)  # two characters of 三号


def _fonts(run: Any, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _para(
    doc: Any,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: Pt | None = INDENT,
    right: Pt | None = None,
    bold: bool = False,
    line: Pt = LINE,
) -> Paragraph:
    p: Paragraph = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent is not None:
        fmt.first_line_indent = indent
    if right is not None:
        fmt.right_indent = right
    if text:
        _fonts(p.add_run(text), font, size, bold=bold)
    return p


def _page_number(paragraph: Paragraph) -> None:
    """ "— 1 —" in 四号 宋体, the page number of GB/T 9704."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        _fonts(r, PAGE_NUMBER_FONT, Pt(14))
        return r

    run("— ")
    for kind in ("begin", None, "separate", "1", "end"):
        r = run()
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._element.append(fld)
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            r._element.append(instr)
        else:
            r.text = kind
    run(" —")


def _setup(doc: Any, title: str) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    # Page numbers on the outer side: odd pages right, even pages left, one character in.
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)
    _declare_fallbacks(doc)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = "巡视巡察工作平台"
    props.language = "zh-CN"


def _declare_fallbacks(doc: Any) -> None:
    """Name each Chinese font in the font table with its GB2312 charset and an installed
    alternative (w:altName), which Word and WPS use when the font itself is missing."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for name, alt in _FALLBACKS.items():
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/>'
                "</w:font>"
            )
        )
    # The generic part keeps its bytes; python-docx has no font-table API.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _width(text: str) -> float:
    """Width in characters of 三号: half for a digit or a Latin letter."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def decision_title(rnd: Round) -> str:
    """关于十一届省委第十轮巡视组组成人员及授权的决定."""
    word = rnd.body.work_word
    name = rnd.name if rnd.name.endswith(word) else rnd.name + word
    return f"关于{name}组组成人员及授权的决定"


def _signer(rnd: Round) -> str:
    return f"{rnd.body.name}{rnd.body.work_word}工作领导小组"


def _opening(sheet: PlanSheet) -> str:
    rnd = sheet.round
    body = rnd.body.name.removeprefix("中共")
    word = rnd.body.work_word
    period = ""
    if rnd.start and rnd.end:
        end = _date(rnd.end)
        if rnd.end.year == rnd.start.year:
            end = end.removeprefix(f"{rnd.start.year}年")
        period = f"定于{_date(rnd.start)}至{end}进行，"
    theme = f"，监督重点为{rnd.theme}" if rnd.theme else ""
    n = sheet.job.params.get("targets_per_team") or rnd.targets_per_team
    return (
        f"根据《中国共产党{word}工作条例》和{body}{word}工作规划，经{body}同意，"
        f"{rnd.name}{period}派出{len(sheet.teams)}个{word}组，按照“一托{_cn_number(n)}”方式，"
        f"对{sheet.target_count}个地方、单位党组织开展{rnd.get_kind_display()}{theme}。"
        f"现将各{word}组组成人员及{word}对象决定如下："
    )


def _authorization(rnd: Round) -> list[str]:
    word = rnd.body.work_word
    return [
        f"授权各{word}组按照《中国共产党{word}工作条例》开展{word}，"
        "坚守政治监督定位，聚焦被"
        f"{word}党组织贯彻落实党的理论和路线方针政策及党中央重大决策部署、"
        "全面从严治党、领导班子和干部队伍建设等情况，依规依纪依法履行监督职责，"
        "发现问题、形成震慑、推动改革、促进发展。",
        f"{word}组实行组长负责制，组长对本组{word}工作负总责。各{word}组要严格执行"
        f"{word}工作纪律和回避制度，不干预被{word}单位正常工作，不履行执纪审查职责，"
        f"{word}结束后按规定向{word}工作领导小组报告。",
        "特此决定。",
    ]


def _names(people: Iterable[Member]) -> str:
    return "、".join(f"{p.name}（{p.title}）" if p.title else p.name for p in people)


def decision_docx(sheet: PlanSheet, *, today: dt.date | None = None) -> bytes:
    """The decision on the teams' composition and authorization, GB/T 9704 layout."""
    rnd = sheet.round
    title = decision_title(rnd)
    doc = Document()
    _setup(doc, title)
    _para(
        doc,
        title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=None,
        line=Pt(36),
    )
    _para(doc)
    _para(doc, _opening(sheet))
    for team in sheet.teams:
        _para(doc, team.name, font=HEADING_FONT)
        if team.leader:
            _para(doc, f"组　长：{_names([team.leader])}")
        if team.members:
            _para(doc, f"成　员：{_names(team.members)}")
        _para(doc, f"{rnd.body.work_word}对象：" + "、".join(g.name for g in team.targets))
    for text in _authorization(rnd):
        _para(doc, text)
    # Signature and date without a seal (GB/T 9704 7.3.5.2): one line below the text, the
    # signer two characters from the right, the date on the next line starting two characters
    # further right than the signer; a longer date keeps two and pushes the signer left.
    signer, date = _signer(rnd), _date(today or timezone.localdate())
    signer_right = max(2.0, _width(date) + 4 - _width(signer))
    date_right = signer_right + _width(signer) - 2 - _width(date)
    _para(doc)
    for text, right in ((signer, signer_right), (date, date_right)):
        _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=None, right=Pt(16 * right))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- the export action ------------------------------------------------------------------------


def plan_export(
    *, actor: Any, job: PlanningJob, kind: str, teams: Sequence[Mapping[str, Any]] | None = None
) -> tuple[bytes, str]:
    """The plan's workbook ("xlsx") or decision ("docx") and its file name; records the export.
    The documents are Chinese whatever language the user browses in."""
    with override(None):
        sheet = plan_sheet(job, teams)
        if kind == "xlsx":
            content, name = plan_xlsx(sheet), f"{sheet.round.name}方案.xlsx"
        elif kind == "docx":
            content, name = decision_docx(sheet), f"{decision_title(sheet.round)}.docx"
        else:
            raise ValueError(kind)
    with transaction.atomic():
        record(
            actor=actor,
            action="rounds.plan.export",
            obj=job,
            after={
                "format": kind,
                "edited": sheet.edited,
                "teams": len(sheet.teams),
                "objective": sheet.review.objective,
            },
        )
    return content, name
