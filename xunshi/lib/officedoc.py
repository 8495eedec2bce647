"""The official-document layout of GB/T 9704 for every Word document Xunshi writes.

A4 portrait, margins 37/35/28/26 mm, 三号 仿宋_GB2312 body on a character grid of 28
characters × 22 lines (`w:docGrid` of type linesAndChars), 二号 方正小标宋简体 titles, 黑体
headings, "— 1 —" page numbers on the outer side, and the Chinese fonts declared with
installed alternatives for readers that lack them. The parts every document shares:

- the 版头 (`Head`): 份号, 密级和保密期限 and 紧急程度 at the top left when set, the issuing
  body's 发文机关标志 in red 小标宋 35 mm below the top of the type area, the 发文字号 and the
  red separator line; a document without an issuer (an internal slip) keeps a plain head;
- the title line and the signature block;
- the 版记 (`Colophon`): 抄送 and 印发机关 / 印发日期 between a thick, a thin and a thick rule,
  held at the foot of the last page;
- the file's properties: title, author and last editor the issuing body, created on the
  document's date.

Also the Chinese numerals and dates the documents print.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

__all__ = [
    "BODY_FONT",
    "BODY_SIZE",
    "DOCX_CONTENT_TYPE",
    "HEADING_FONT",
    "INDENT",
    "LINE",
    "TITLE_FONT",
    "TITLE_SIZE",
    "Colophon",
    "Head",
    "cn_date",
    "cn_number",
    "colophon",
    "docx_bytes",
    "new_document",
    "paragraph",
    "set_fonts",
    "set_properties",
    "setup_document",
    "signature",
    "text_width",
    "title_line",
]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
# Two cells of the 28-character grid (15.8 pt each): two full characters of 三号 (32 pt)
# would round up to three cells.
INDENT = Pt(31.5)
LEFT_MARGIN = Mm(28)
TYPE_WIDTH = Mm(156)  # the type area: 210 mm less the margins of 28 and 26 mm
CHARS_PER_LINE = 28
SMALL_SIZE = Pt(14)  # 四号: the 版记 and the page numbers
RED = RGBColor(0xFF, 0x00, 0x00)
MARK_TOP = Mm(35)  # from the top of the type area to the top of the 发文机关标志
MARK_MAX = Pt(36)  # a short issuer's name is not printed wider than this


@dataclass(frozen=True)
class Head:
    """The 版头 of GB/T 9704: `issuer` is the 发文机关标志 printed in red (中共河南省委巡视
    工作领导小组文件), blank for an internal document's plain head; the other parts are
    printed when set: 份号 (six digits), 密级和保密期限 (机密★10年), 紧急程度 (特急, 加急),
    发文字号 (豫巡办督〔2026〕1号)."""

    issuer: str = ""
    number: str = ""
    copy_no: str = ""
    secrecy: str = ""
    urgency: str = ""
    # The issuer's size is chosen to fit this text (a template prints a placeholder).
    sized_for: str = ""


@dataclass(frozen=True)
class Colophon:
    """The 版记: the bodies a copy goes to (抄送), the office that prints the document
    (印发机关) and the day it is printed (印发日期)."""

    printer: str
    printed_on: dt.date | str  # a template prints a placeholder
    copies_to: Sequence[str] = ()


def set_fonts(run: Any, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    """Latin and East Asian fonts of one run, so Word and WPS pick the Chinese font."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def paragraph(
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
    grid: bool | None = None,
) -> Paragraph:
    """A paragraph of `text` on an exact line; on the character grid when `grid` (by
    default only body text is: a title's characters keep their own width)."""
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
    if not (grid if grid is not None else size == BODY_SIZE and line == LINE):
        # Off the character grid: a title's or a date's characters keep their own width
        # instead of taking one or two cells of the body's 28-character grid.
        _no_grid(p)
    if text:
        set_fonts(p.add_run(text), font, size, bold=bold)
    return p


def _no_grid(p: Paragraph) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().insert_element_before(
        snap, *("w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr", "w:pPrChange")
    )


def _page_number(paragraph: Paragraph) -> None:
    """ "— 1 —" in 四号 宋体, the page number of GB/T 9704."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        set_fonts(r, PAGE_NUMBER_FONT, SMALL_SIZE)
        return r

    # On an exact line without space after: the footer keeps within the 10 mm between the
    # type area and the footer's distance, and the page keeps its 22 lines.
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(SMALL_SIZE.pt * 1.2)
    fmt.space_before = fmt.space_after = Pt(0)
    _no_grid(paragraph)
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


def setup_document(doc: Any, title: str, *, author: str, on: dt.date) -> None:
    """Page, fonts, grid, page numbers and file properties: `title`, written by `author`
    (the issuing body) on the day `on`."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = LEFT_MARGIN, Mm(26)
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
    _character_grid(doc, section)
    set_properties(doc, title, author=author, on=on)


def set_properties(doc: Any, title: str, *, author: str, on: dt.date) -> None:
    """The file's properties: `title`, written and last edited by `author` (the issuing
    body), created and modified on the document's day `on`."""
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = author
    props.language = "zh-CN"
    props.created = props.modified = dt.datetime.combine(on, dt.time(9, 0))
    props.revision = 1
    props.comments = props.keywords = props.subject = ""


def _character_grid(doc: Any, section: Any) -> None:
    """28 characters × 22 lines: the grid's line pitch is the body's line, and its
    character pitch (the default 16 pt plus `charSpace` 4096ths of a point) divides the
    type area's width into 28. Word and LibreOffice take the base of the pitch from the
    document's default size, not the Normal style's, so that default is 三号 too."""
    pitch = TYPE_WIDTH.pt / CHARS_PER_LINE
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(BODY_SIZE.pt * 2)))
    scale = OxmlElement("w:w")
    scale.set(qn("w:val"), str(int(pitch / BODY_SIZE.pt * 100) - 1))
    rpr.insert_element_before(scale, "w:kern", "w:position", "w:sz")
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    grid.set(qn("w:charSpace"), str(int((pitch - BODY_SIZE.pt) * 4096)))
    sect_pr.append(grid)


def new_document(title: str, *, author: str, on: dt.date, head: Head | None = None) -> Any:
    """An empty document in the layout, its properties titled `title`, written by `author`
    on `on`, with its 版头 when given (no title line yet)."""
    doc = Document()
    setup_document(doc, title, author=author, on=on)
    if head is not None:
        letterhead(doc, head)
    return doc


def letterhead(doc: Any, head: Head) -> None:
    """The 版头: the markings at the top left, the red 发文机关标志, the 发文字号 two lines
    below it and the red line 4 mm under the number; two blank lines before the title."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    markings = [m for m in (head.copy_no, head.secrecy, head.urgency) if m]
    for text in markings:
        paragraph(doc, text, font=HEADING_FONT, indent=None, grid=False)
    if not head.issuer:
        if head.number:
            paragraph(doc, head.number, align=center, indent=None, grid=False)
        paragraph(doc)
        return
    size = Pt(min(MARK_MAX.pt, int(TYPE_WIDTH.pt / text_width(head.sized_for or head.issuer)) - 1))
    mark = paragraph(
        doc,
        head.issuer,
        font=TITLE_FONT,
        size=size,
        align=center,
        indent=None,
        line=Pt(size.pt * 1.25),
    )
    mark.runs[0].font.color.rgb = RED
    mark.paragraph_format.space_before = Pt(max(0.0, MARK_TOP.pt - len(markings) * LINE.pt))
    paragraph(doc)
    paragraph(doc)
    number = paragraph(doc, head.number, align=center, indent=None, grid=False)
    _border(number, "bottom", size=12, color="FF0000", space=11)
    paragraph(doc)
    paragraph(doc)


def _border(p: Paragraph, side: str, *, size: int, color: str, space: int = 0) -> None:
    """A rule along one side of a paragraph (`size` in eighths of a point, `space` in points
    from the text), as wide as the paragraph: the type area."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", size), ("space", space), ("color", color)):
        line.set(qn(f"w:{key}"), str(value))
    bdr.append(line)
    ppr.insert_element_before(
        bdr, *("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
    )


def colophon(doc: Any, c: Colophon) -> None:
    """The 版记 at the foot of the last page: 抄送 (四号, a character in from each side,
    the bodies separated by commas, a full stop after the last), then 印发机关 on the left
    and "2026年9月1日印发" on the right; a thick rule above and below, a thin one between.
    It is a table anchored to the bottom of the type area, so it stays at the foot however
    long the text is."""
    # A twip narrower than the type area: LibreOffice keeps a floating table as wide as the
    # text in the text's flow, and only a narrower one at the foot of the page.
    twips = round(TYPE_WIDTH.pt * 20) - 2
    one = round(SMALL_SIZE.pt * 20)  # one character of 四号
    rows = []
    if c.copies_to:
        rows.append(f"抄送：{'，'.join(c.copies_to)}。")
    day = cn_date(c.printed_on) if isinstance(c.printed_on, dt.date) else c.printed_on
    rows.append(f"{c.printer}\t{day}印发")
    cells = "".join(
        f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:snapToGrid w:val="0"/>'
        f'<w:tabs><w:tab w:val="right" w:pos="{twips - one}"/></w:tabs>'
        f'<w:spacing w:before="0" w:after="0" w:line="{round(LINE.pt * 20)}"'
        f' w:lineRule="exact"/>'
        f'<w:ind w:left="{one}" w:right="{one}"/></w:pPr>'
        + "".join(
            f"<w:r>{_run_props(BODY_FONT, SMALL_SIZE)}"
            + (f'<w:t xml:space="preserve">{_escape(part)}</w:t>' if part else "")
            + ("<w:tab/>" if n < len(text.split("\t")) - 1 else "")
            + "</w:r>"
            for n, part in enumerate(text.split("\t"))
        )
        + "</w:p></w:tc></w:tr>"
        for text in rows
    )
    thick, thin = 8, 6  # eighths of a point: 0.35 mm and 0.25 mm
    table = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:vertAnchor="margin"'
        f' w:horzAnchor="page" w:tblpX="{round(LEFT_MARGIN.pt * 20)}" w:tblpYSpec="bottom"/>'
        '<w:tblOverlap w:val="never"/>'
        f'<w:tblW w:w="{twips}" w:type="dxa"/><w:jc w:val="center"/>'
        "<w:tblBorders>"
        f'<w:top w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
        '<w:left w:val="nil"/>'
        f'<w:bottom w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
        '<w:right w:val="nil"/>'
        f'<w:insideH w:val="single" w:sz="{thin}" w:space="0" w:color="000000"/>'
        '<w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        f'<w:tblGrid><w:gridCol w:w="{twips}"/></w:tblGrid>{cells}</w:tbl>'
    )
    # A body ends with a paragraph, not a table: a tiny one after it, so it adds no line.
    doc.element.body.sectPr.addprevious(table)
    end = paragraph(doc, indent=None, size=Pt(1), line=Pt(1))
    end.paragraph_format.line_spacing = Pt(1)


def _run_props(east_asia: str, size: Pt) -> str:
    half_points = round(size.pt * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}"'
        f' w:eastAsia="{east_asia}"/><w:sz w:val="{half_points}"/>'
        f'<w:szCs w:val="{half_points}"/></w:rPr>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def title_line(doc: Any, text: str) -> Paragraph:
    """The document's title: 二号 小标宋, centred, on a 36-pt line."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph(
        doc, text, font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=None, line=Pt(36)
    )


def signature(
    doc: Any, signer: str, on: dt.date, *, printed: tuple[str, str] | None = None
) -> None:
    """The signer and date without a seal (GB/T 9704 7.3.5.2): one line below the text, the
    signer two characters from the right, the date on the next line starting two characters
    further right than the signer; a longer date keeps two and pushes the signer left.
    `printed` replaces the two texts (a template's placeholders) at the places of these."""
    date = cn_date(on)
    signer_right = max(2.0, text_width(date) + 4 - text_width(signer))
    date_right = signer_right + text_width(signer) - 2 - text_width(date)
    paragraph(doc)
    texts = printed or (signer, date)
    for text, right in zip(texts, (signer_right, date_right), strict=True):
        # `right` counts characters of the body's size (三号, 16 pt).
        paragraph(
            doc,
            text,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            indent=None,
            right=Pt(BODY_SIZE.pt * right),
            grid=False,
        )


def docx_bytes(doc: Any) -> bytes:
    """The document as the bytes of a .docx file."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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


def cn_date(d: dt.date) -> str:
    """2026年9月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


def text_width(text: str) -> float:
    """Width in characters of 三号: half for a digit or a Latin letter."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def cn_number(n: int) -> str:
    """The Chinese numeral of 0–99 (第十三巡视组)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
