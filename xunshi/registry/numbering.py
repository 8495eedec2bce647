"""The numbers Xunshi prints on documents and records, and the rule that none is skipped.

Two kinds, one rule (a number is taken under a row lock in the transaction that creates the
numbered row, so a refused or failed creation gives it back and two at once never share one):

- *A body's yearly series* (文号): working papers, 〔2026〕豫巡-1组-03号, count per team number;
  supervision notices, 〔2026〕豫巡办督字第1号, per body. Their last numbers are kept in
  `NumberSeries` rows, drawn by `registry.actions.number_draw`, which locks the series' row.
- *An inspection's running numbers* (第3号信访件, 第2号线索, 第1项): petitions, document
  requests, clues, problems and ledger items count from 1 within their inspection. The
  highest number so far is the counter (`next_seq`), and the inspection's row, which each
  of those actions locks anyway to check the stage, is the lock: a counter row per
  inspection and kind would be a second copy of what the records already say.

Numbered rows are never deleted, so no number goes missing afterwards either.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Manager, Max, QuerySet

from .models import InspectingBody

__all__ = ["body_abbreviation", "next_seq", "notice_number", "paper_number"]

# GB/T 2260 province prefix → the abbreviation used in document numbers.
_PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}  # fmt: skip


def body_abbreviation(body: InspectingBody) -> str:
    """豫: the body's own abbreviation, or its province's."""
    return body.abbreviation or _PROVINCE_ABBR.get(body.region_code[:2], "")


def paper_number(body: InspectingBody, year: int, team_number: int, seq: int) -> str:
    """A working paper's number as printed: 〔2026〕豫巡-1组-03号."""
    return f"〔{year}〕{body_abbreviation(body)}巡-{team_number}组-{seq:02d}号"


def notice_number(body: InspectingBody, year: int, seq: int) -> str:
    """A supervision notice's number as printed: 〔2026〕豫巡办督字第1号."""
    office = "巡办" if body.work_word == "巡视" else "巡察办"
    return f"〔{year}〕{body_abbreviation(body)}{office}督字第{seq}号"


def next_seq(rows: QuerySet[Any] | Manager[Any]) -> int:
    """The next running number among rows (one inspection's petitions, clues, …): the
    highest `seq` + 1. The caller holds the lock on the rows' inspection."""
    return (rows.aggregate(n=Max("seq"))["n"] or 0) + 1
