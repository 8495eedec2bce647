"""The official-document layout of GB/T 9704 for every Word document Xunshi writes.

A4 portrait, margins 37/35/28/26 mm, 三号 仿宋_GB2312 body on a 28.95-pt grid (22 lines a
page), 二号 方正小标宋简体 titles, 黑体 headings, "— 1 —" page numbers on the outer side, and
the Chinese fonts declared with installed alternatives for readers that lack them; the
title line and the signature block every document shares. Also the Chinese numerals and
dates the documents print.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
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
    "cn_date",
    "cn_number",
    "docx_bytes",
    "new_document",
    "paragraph",
    "set_fonts",
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
INDENT = Pt(32)  # two characters of 三号


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
        set_fonts(p.add_run(text), font, size, bold=bold)
    return p


def _page_number(paragraph: Paragraph) -> None:
    """ "— 1 —" in 四号 宋体, the page number of GB/T 9704."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        set_fonts(r, PAGE_NUMBER_FONT, Pt(14))
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


def setup_document(doc: Any, title: str) -> None:
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


def new_document(title: str) -> Any:
    """An empty document in the layout, its properties titled `title` (no title line yet)."""
    doc = Document()
    setup_document(doc, title)
    return doc


def title_line(doc: Any, text: str) -> Paragraph:
    """The document's title: 二号 小标宋, centred, on a 36-pt line."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph(
        doc, text, font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=None, line=Pt(36)
    )


def signature(doc: Any, signer: str, on: dt.date) -> None:
    """The signer and date without a seal (GB/T 9704 7.3.5.2): one line below the text, the
    signer two characters from the right, the date on the next line starting two characters
    further right than the signer; a longer date keeps two and pushes the signer left."""
    date = cn_date(on)
    signer_right = max(2.0, text_width(date) + 4 - text_width(signer))
    date_right = signer_right + text_width(signer) - 2 - text_width(date)
    paragraph(doc)
    for text, right in ((signer, signer_right), (date, date_right)):
        # `right` counts characters of the body's size (三号, 16 pt).
        paragraph(
            doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=None, right=Pt(BODY_SIZE.pt * right)
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
