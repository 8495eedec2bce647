"""The handover slip of a document request (调阅资料交接单) as a Word document.

It takes the page layout and fonts of every document (xunshi.lib.officedoc, GB/T
9704): 小标宋 title, 仿宋_GB2312 text. The slip is printed, signed by whoever hands the
documents over and whoever receives them, and filed with the working papers.
`docrequest_slip` writes it and records the export, as every export of case data is.
It is an internal form, not a document that goes out: a plain head (no red 发文机关标志, no
版记), its number centred under the title.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import override
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.doctemplates.models import TemplateKind
from xunshi.doctemplates.queries import current_version, template_bytes
from xunshi.doctemplates.wording import document
from xunshi.lib.officedoc import (
    BODY_FONT,
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    cn_date,
    docx_bytes,
    new_document,
    paragraph,
    set_fonts,
    title_line,
)
from xunshi.registry.letterheads import team_issuer

from .models import DocumentRequest

__all__ = ["DOCX_CONTENT_TYPE", "docrequest_slip", "slip_docx", "slip_number", "slip_template_docx"]

TITLE = "调阅资料交接单"
CELL_SIZE = Pt(14)  # 四号, so that a long list still fits the page
BLANK = "＿" * 8


def slip_number(req: DocumentRequest) -> str:
    """第一巡视组调阅〔2026〕3号: the team, the year of the request and its number."""
    return f"{req.inspection.team.name}调阅〔{req.requested_on.year}〕{req.seq}号"


def _cell(cell: Any, text: str, *, bold: bool = False, center: bool = False) -> None:
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(p.add_run(text), HEADING_FONT if bold else BODY_FONT, CELL_SIZE)


def slip_docx(req: DocumentRequest, *, version: int | None = None) -> bytes:
    """The slip: number, unit, provider, the list of documents, dates and signature lines;
    worded by the template `version` (the current one by default: it is made when printed)."""
    inspection = req.inspection
    body = inspection.round.body
    lines = [line.strip() for line in req.documents.splitlines() if line.strip()]
    received = req.received_by.name if req.received_by else ""
    context = {
        "number": slip_number(req),
        "unit": inspection.target.name,
        "provider": req.provider,
        "requested_on": cn_date(req.requested_on),
        "documents": [{"number": n, "name": line} for n, line in enumerate(lines, start=1)],
        "handed_on": cn_date(req.handed_over_on) if req.handed_over_on else BLANK,
        "handed_by": req.handed_over_by or BLANK,
        "received_by": received or BLANK,
        "returned_on": cn_date(req.returned_on) if req.returned_on else BLANK,
        "blank": BLANK,
    }
    kind = TemplateKind.DOCREQUEST_SLIP
    content = template_bytes(body, kind, version or current_version(body, kind))
    team = team_issuer(body, inspection.team.name)
    return document(content, context, title=TITLE, author=team, on=req.requested_on)


_TEMPLATE_DAY = dt.date(2026, 12, 1)  # the shipped templates' file date


def slip_template_docx() -> bytes:
    """Version 1 of the slip's template, shipped as
    `xunshi/doctemplates/shipped/docrequest_slip.docx`: the list of documents is a table
    whose rows repeat (`{%tr for %}`)."""
    doc = new_document(f"{TITLE}模板", author="巡视巡察工作平台", on=_TEMPLATE_DAY)
    title_line(doc, TITLE)
    paragraph(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, grid=False)
    paragraph(doc)
    for label, value in (
        ("被巡视单位", "{{ unit }}"),
        ("提供部门", "{{ provider }}"),
        ("调阅日期", "{{ requested_on }}"),
    ):
        paragraph(doc, f"{label}：{value}", indent=None)
    paragraph(doc, "调阅资料清单", font=HEADING_FONT, indent=None)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "资料名称", "备注"), strict=True):
        _cell(cell, text, bold=True, center=True)
    _cell(table.add_row().cells[0], "{%tr for item in documents %}")
    row = table.add_row().cells
    _cell(row[0], "{{ item.number }}", center=True)
    _cell(row[1], "{{ item.name }}")
    _cell(table.add_row().cells[0], "{%tr endfor %}")
    paragraph(doc)
    for text in (
        "移交日期：{{ handed_on }}",
        "移交人（签字）：{{ handed_by }}",
        "接收人（签字）：{{ received_by }}",
        "归还日期：{{ returned_on }}",
        "归还确认人（签字）：{{ blank }}",
    ):
        paragraph(doc, text, indent=None)
    return docx_bytes(doc)


def docrequest_slip(*, actor: Actor, request: DocumentRequest) -> tuple[bytes, str]:
    """The slip and its file name; records the export. Chinese whatever the user's language."""
    body = request.inspection.round.body
    version = current_version(body, TemplateKind.DOCREQUEST_SLIP)
    with override(None):
        content = slip_docx(request, version=version)
    with transaction.atomic():
        record(
            actor=actor,
            action="inspections.docrequest.slip",
            obj=request,
            after={
                "seq": request.seq,
                "documents": len(request.documents.splitlines()),
                # The slip is made when printed: the version that worded it.
                "template_version": version,
            },
        )
    return content, f"{TITLE}（{slip_number(request)}）.docx"
