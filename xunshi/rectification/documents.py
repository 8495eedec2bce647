"""The two Word documents of the ledger, in the official-document layout of GB/T 9704 that
`xunshi.lib.officedoc` draws (A4, margins 37/35/28/26 mm, 方正小标宋简体 22 pt title,
仿宋_GB2312 16 pt body, 黑体 headings): the rectification report (整改情况报告) and the
supervision notice (督办函). Both are generated from the ledger and are Chinese whatever the
user's language; `report_export` and `notice_export` record each download.

Their heads and ends (GB/T 9704): the report goes up under the inspected organization's
red 发文机关标志 (兰考县党委), printed by its office and copied to the body's discipline
commission and organization department; the 督办函 goes out under the office's red
发文机关标志 with its number from the body's series (豫巡办督〔2026〕1号), printed by the
office, copied to no one. Neither carries a secrecy marking by default.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from docx import Document

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.doctemplates.models import TemplateKind
from xunshi.doctemplates.queries import current_version, template_bytes
from xunshi.doctemplates.wording import KINDS, document, render
from xunshi.findings.documents import target_org
from xunshi.findings.queries import feedback_date
from xunshi.lib.officedoc import (
    HEADING_FONT,
    Colophon,
    Head,
    cn_date,
    cn_number,
    colophon,
    docx_bytes,
    new_document,
    paragraph,
    set_properties,
    signature,
    title_line,
)
from xunshi.registry.letterheads import office_name, usual_copies
from xunshi.rounds.models import Inspection

from .disclosure import item_status_text, ledger_figures, period_text, wan
from .models import RectificationItem, SupervisionNotice
from .queries import LEVEL_TEXT

__all__ = [
    "REPLY_DAYS",
    "notice_export",
    "notice_template_docx",
    "notice_title",
    "rectification_report_docx",
    "reply_deadline",
    "report_export",
    "report_template_docx",
    "report_title",
    "supervision_notice_docx",
]

# The unit answers a notice within this many calendar days (no deadline rule exists for it).
REPLY_DAYS = 15
_TEMPLATE_DAY = dt.date(2026, 12, 1)  # the shipped templates' file date


# --- the rectification report ------------------------------------------------------------------


def report_title(inspection: Inspection) -> str:
    return f"关于{inspection.round.body.work_word}反馈意见整改情况的报告"


def _item_lines(item: RectificationItem) -> list[str]:
    plan = []
    if item.responsible_leader or item.responsible_department:
        plan.append(f"责任领导：{item.responsible_leader or '—'}；")
        plan.append(f"责任部门：{item.responsible_department or '—'}；")
    if item.deadline:
        plan.append(f"整改时限：{cn_date(item.deadline)}；")
    if item.kind:
        plan.append(f"整改类型：{item.get_kind_display()}。")
    lines = [f"整改措施：{item.measures or '尚未制定。'}"]
    if plan:
        lines.append("".join(plan))
    for p in item.progress.order_by("reported_on", "id"):
        lines.append(f"进展情况（{cn_date(p.reported_on)}）：{p.text}")
    status = item_status_text(item)
    if item.closed_on:
        status += f"，已于{cn_date(item.closed_on)}销号"
    lines.append(f"整改状态：{status}。")
    return lines


def rectification_report_docx(
    inspection: Inspection, *, today: dt.date | None = None, version: int | None = None
) -> bytes:
    """关于巡视反馈意见整改情况的报告: the figures, then item by item; worded by the template
    `version` (the current one by default: the report is made when it is downloaded)."""
    with override(None):
        body = inspection.round.body
        on = today or timezone.localdate()
        issuer = target_org(inspection)
        fed = feedback_date(inspection)
        f = ledger_figures(inspection)
        items = inspection.rectification_items.order_by("seq").prefetch_related("progress")
        context = {
            "issuer": issuer,
            "title": report_title(inspection),
            "leading_group": f"{body.name.removeprefix('中共')}{body.work_word}工作领导小组",
            "body": body.short_title,
            "word": body.work_word,
            "team": inspection.team.name,
            "unit": inspection.target.name,
            "period": period_text(inspection),
            "inspection_kind": inspection.get_kind_display(),
            "feedback_on": cn_date(fed) if fed else "",
            "problems": f.problems,
            "done": f.done,
            "in_progress": f.in_progress,
            "rules": f.rules_revised,
            "funds": wan(f.funds_recovered),
            "sanctioned": f.persons_sanctioned,
            "items": [
                {"number": cn_number(n), "title": item.title, "lines": _item_lines(item)}
                for n, item in enumerate(items, 1)
            ],
            "copies": "，".join(usual_copies(body)),
            "signer": inspection.target.name,
            "date": cn_date(on),
            "printer": f"{issuer}办公室",
        }
        kind = TemplateKind.RECTIFICATION_REPORT
        content = template_bytes(body, kind, version or current_version(body, kind))
        title = report_title(inspection)
        return document(content, context, title=title, author=issuer, on=on)


def report_template_docx() -> bytes:
    """Version 1 of the rectification report's template, shipped as
    `xunshi/doctemplates/shipped/rectification_report.docx`."""
    sample = KINDS[TemplateKind.RECTIFICATION_REPORT].sample
    head = Head(issuer="{{ issuer }}", sized_for=sample["issuer"])
    doc = new_document("整改情况报告模板", author="巡视巡察工作平台", on=_TEMPLATE_DAY, head=head)
    title_line(doc, "{{ title }}")
    paragraph(doc)
    paragraph(doc, "{{ leading_group }}：", indent=None)
    paragraph(
        doc,
        "根据{{ body }}统一部署，{{ body }}{{ team }}{{ period }}对{{ unit }}进行了"
        "{{ inspection_kind }}。{% if feedback_on %}{{ feedback_on }}，{{ body }}{{ team }}"
        "反馈了{{ word }}意见。{% endif %}现将整改情况报告如下：",
    )
    paragraph(doc, "一、总体情况", font=HEADING_FONT)
    paragraph(
        doc,
        "{{ word }}反馈问题{{ problems }}个，已完成整改{{ done }}个，正在推进{{ in_progress }}个；"
        "建立完善制度{{ rules }}项，挽回或追缴资金{{ funds }}万元，问责处理{{ sanctioned }}人。",
    )
    paragraph(doc, "二、问题整改情况", font=HEADING_FONT)
    paragraph(doc, "{%p for item in items %}", indent=None)
    paragraph(doc, "（{{ item.number }}）{{ item.title }}")
    paragraph(doc, "{%p for line in item.lines %}", indent=None)
    paragraph(doc, "{{ line }}")
    paragraph(doc, "{%p endfor %}", indent=None)
    paragraph(doc, "{%p endfor %}", indent=None)
    signature(doc, sample["signer"], _TEMPLATE_DAY, printed=("{{ signer }}", "{{ date }}"))
    colophon(
        doc, Colophon(printer="{{ printer }}", printed_on="{{ date }}", copies_to=["{{ copies }}"])
    )
    return docx_bytes(doc)


# --- the supervision notice -------------------------------------------------------------------


def notice_title(notice: SupervisionNotice) -> str:
    return f"关于督促加快{notice.inspection.round.body.work_word}整改进度的函"


def reply_deadline(notice: SupervisionNotice) -> dt.date:
    return notice.issued_on + dt.timedelta(days=REPLY_DAYS)


def _overdue_text(item: RectificationItem, on: dt.date) -> str:
    assert item.deadline is not None
    left = (item.deadline - on).days
    if left < 0:
        return f"{LEVEL_TEXT['red']}{-left}天"
    return f"距整改时限{left}天" if left else "今日到期"


def notice_template_docx() -> bytes:
    """Version 1 of the 督办函's template (doctemplates), shipped as
    `xunshi/doctemplates/shipped/supervision_notice.docx`: the layout of every document with
    the notice's wording around its placeholders."""
    sample = KINDS[TemplateKind.SUPERVISION_NOTICE].sample
    head = Head(issuer="{{ issuer }}", number="{{ number }}", sized_for=sample["issuer"])
    doc = new_document("督办函模板", author="巡视巡察工作平台", on=_TEMPLATE_DAY, head=head)
    title_line(doc, "{{ title }}")
    paragraph(doc)
    paragraph(doc, "{{ unit }}：", indent=None)
    paragraph(
        doc,
        "经核查整改台账，截至{{ as_of }}，你单位{{ round_name }}反馈问题的整改事项中，"
        "有{{ count }}项已超过或临近整改时限。现予督办，具体如下：",
    )
    paragraph(doc, "{%p for item in items %}", indent=None)
    paragraph(doc, "{{ loop.index }}. {{ item.title }}", font=HEADING_FONT)
    paragraph(
        doc,
        "责任领导：{{ item.leader }}；责任部门：{{ item.department }}；"
        "整改时限：{{ item.deadline }}（{{ item.overdue }}）。",
    )
    paragraph(doc, "{%p endfor %}", indent=None)
    paragraph(
        doc,
        "请你单位高度重视，压实整改责任，加快整改进度，于{{ reply_by }}前"
        "将上述事项的整改落实情况书面报送{{ office_short }}。",
    )
    signature(doc, sample["signer"], _TEMPLATE_DAY, printed=("{{ signer }}", "{{ date }}"))
    colophon(doc, Colophon(printer="{{ printer }}", printed_on="{{ date }}"))
    return docx_bytes(doc)


def _notice_context(notice: SupervisionNotice) -> dict[str, Any]:
    inspection = notice.inspection
    body = inspection.round.body
    word = body.work_word
    items = list(notice.items.order_by("seq"))
    return {
        "issuer": office_name(body),
        "number": notice.number,
        "title": notice_title(notice),
        "unit": inspection.target.name,
        "as_of": cn_date(notice.issued_on),
        "round_name": inspection.round.name,
        "count": len(items),
        "items": [
            {
                "title": item.title,
                "leader": item.responsible_leader or "—",
                "department": item.responsible_department or "—",
                "deadline": cn_date(item.deadline) if item.deadline else "—",
                "overdue": _overdue_text(item, notice.issued_on),
            }
            for item in items
        ],
        "reply_by": cn_date(reply_deadline(notice)),
        "office_short": f"{body.short_title}{word}办",
        "signer": f"{body.short_title}{word}工作领导小组办公室",
        "date": cn_date(notice.issued_on),
        "printer": office_name(body),
    }


def supervision_notice_docx(notice: SupervisionNotice) -> bytes:
    """督办函 to the unit: its yellow and red items with their leaders and deadlines, and the
    date by which it answers; worded by the template version it was issued with."""
    with override(None):
        kind = TemplateKind.SUPERVISION_NOTICE
        body = notice.inspection.round.body
        template = template_bytes(body, kind, notice.template_version)
        doc = Document(io.BytesIO(render(template, _notice_context(notice))))
        office = office_name(body)
        set_properties(doc, notice_title(notice), author=office, on=notice.issued_on)
        return docx_bytes(doc)


# --- the export actions -----------------------------------------------------------------------


def report_export(*, actor: Actor, inspection: Inspection) -> tuple[bytes, str]:
    """The rectification report and its file name; records the export with the template
    version it was worded by (the report is made when it is downloaded: a later edit of
    the template words the next download, and the audit row says which version each had)."""
    body = inspection.round.body
    version = current_version(body, TemplateKind.RECTIFICATION_REPORT)
    content = rectification_report_docx(inspection, version=version)
    name = f"{inspection.target.name}{report_title(inspection)}.docx"
    f = ledger_figures(inspection)
    with transaction.atomic():
        record(
            actor=actor,
            action="rectification.report.export",
            obj=inspection,
            after={
                "problems": f.problems,
                "done": f.done,
                "in_progress": f.in_progress,
                "template_version": version,
            },
        )
    return content, name


def notice_export(*, actor: Actor, notice: SupervisionNotice) -> tuple[bytes, str]:
    """The supervision notice and its file name; records the export."""
    content = supervision_notice_docx(notice)
    with transaction.atomic():
        record(
            actor=actor,
            action="rectification.notice.export",
            obj=notice,
            object_repr=notice.number,
            after={"number": notice.number, "template_version": notice.template_version},
        )
    return content, f"督办函{notice.number}.docx"
