"""The numbers Xunshi prints on documents and records, and the rule that none is skipped.

Two kinds, one rule (a number is taken under a row lock in the transaction that creates the
numbered row, so a refused or failed creation gives it back and two at once never share one):

- *A body's yearly series* (文号): working papers, 豫巡1组〔2026〕3号, count per team number;
  supervision notices, 豫巡办督〔2026〕1号, per body. Their last numbers are kept in
  `NumberSeries` rows, drawn by `registry.actions.number_draw`, which locks the series' row,
  and printed by `document_number` in the form of GB/T 9704 (机关代字, the year in 〔〕,
  the number without 第, 字 or leading zeros).
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

from .models import InspectingBody, SeriesKind

__all__ = ["body_abbreviation", "document_number", "next_seq", "series_code"]

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


def series_code(body: InspectingBody, kind: str, team_number: int = 0) -> str:
    """The 机关代字 of one of the body's series (`SeriesKind`): 豫巡1组 for team 1's working
    papers, 豫巡办督 for the office's supervision notices (巡察 below the province)."""
    word = "巡" if body.work_word == "巡视" else "巡察"
    if kind == SeriesKind.PAPER:
        return f"{body_abbreviation(body)}{word}{team_number}组"
    if kind == SeriesKind.NOTICE:
        return f"{body_abbreviation(body)}{word}办督"
    raise ValueError(kind)


def document_number(
    body: InspectingBody, kind: str, year: int, seq: int, *, team_number: int = 0
) -> str:
    """A number drawn from a series as printed (发文字号, GB/T 9704 7.2.5):
    豫巡办督〔2026〕1号, 豫巡1组〔2026〕3号."""
    return f"{series_code(body, kind, team_number)}〔{year}〕{seq}号"


def next_seq(rows: QuerySet[Any] | Manager[Any]) -> int:
    """The next running number among rows (one inspection's petitions, clues, …): the
    highest `seq` + 1. The caller holds the lock on the rows' inspection."""
    return (rows.aggregate(n=Max("seq"))["n"] or 0) + 1
