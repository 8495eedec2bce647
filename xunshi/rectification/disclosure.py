"""The public disclosure (整改公开) and the figures the rectification report shares with it,
both generated from the ledger only: an item's title (the problem's summary as fed back),
its status and its figures. Nothing from working papers, talks, petitions or clues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import override

from xunshi.findings.queries import feedback_date
from xunshi.rounds.models import Inspection

from .models import ItemStatus, RectificationItem

__all__ = [
    "LedgerFigures",
    "disclosure_text",
    "item_status_text",
    "ledger_figures",
    "period_text",
    "wan",
]


@dataclass(frozen=True)
class LedgerFigures:
    problems: int
    done: int
    in_progress: int
    rules_revised: int
    funds_recovered: Decimal  # 万元
    persons_sanctioned: int


def ledger_figures(inspection: Inspection) -> LedgerFigures:
    """The counts and sums of the inspection's ledger, for the report and the disclosure."""
    sums = RectificationItem.objects.filter(inspection=inspection).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
        rules=Sum("rules_revised"),
        funds=Sum("funds_recovered"),
        persons=Sum("persons_sanctioned"),
    )
    total, done = sums["total"], sums["done"]
    return LedgerFigures(
        problems=total,
        done=done,
        in_progress=total - done,
        rules_revised=sums["rules"] or 0,
        funds_recovered=sums["funds"] or Decimal(0),
        persons_sanctioned=sums["persons"] or 0,
    )


def wan(amount: Decimal) -> str:
    """12.50 → "12.5", 10.00 → "10": the way a disclosure prints 万元."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date(d: dt.date, *, year: bool = True) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"


def period_text(inspection: Inspection) -> str:
    """于2026年9月1日至10月31日, or "" without dates."""
    start, end = inspection.start, inspection.end
    if not (start and end):
        return ""
    return f"于{_date(start)}至{_date(end, year=end.year != start.year)}"


def item_status_text(item: RectificationItem) -> str:
    return "已完成整改" if item.status == ItemStatus.CLOSED else "正在推进"


def disclosure_text(inspection: Inspection) -> str:
    """The text published to the portal: the inspection in one sentence, the figures, and one
    line per item with its summary and status."""
    with override(None):  # published in Chinese whatever the office browses in
        body = inspection.round.body
        who = body.short_title
        team = f"{who}{inspection.team.name}"
        target = inspection.target.name
        kind = inspection.get_kind_display()
        lines = [f"根据{who}统一部署，{team}{period_text(inspection)}对{target}进行了{kind}。"]
        fed = feedback_date(inspection)
        if fed:
            lines[0] += f"{_date(fed)}，{team}向{target}反馈了{body.work_word}意见。"
        f = ledger_figures(inspection)
        lines[0] += (
            f"按照{body.work_word}整改工作要求，现将整改进展情况予以公布："
            f"反馈问题{f.problems}个，已完成整改{f.done}个，正在推进{f.in_progress}个；"
            f"建立完善制度{f.rules_revised}项，挽回或追缴资金{wan(f.funds_recovered)}万元，"
            f"问责处理{f.persons_sanctioned}人。"
        )
        for item in inspection.rectification_items.order_by("seq"):
            lines.append(f"{item.seq}. {item.title.rstrip('。；;.')}：{item_status_text(item)}。")
    return "\n".join(lines)
