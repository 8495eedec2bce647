"""Reading a year's holiday schedule as an admin pastes it from the State Council's notice.

One line per day or per range, e.g.::

    2027-01-01 元旦 休
    2027-02-10~2027-02-16 春节 休
    2027-02-07 春节调休 班

Ranges take ~, ～ or 至; the last word is 休 (放假, 休息) or 班 (上班). The weekend days inside
a 休 range are ordinary weekends and are not stored. Every line is checked and every problem
is reported with its line number; nothing is returned unless the whole text is good.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .models import DayKind

__all__ = ["MAX_RANGE_DAYS", "EnteredDay", "parse_schedule"]

MAX_RANGE_DAYS = 15  # the longest official break so far is 9 days; more is a typo
_WEEKDAYS = "一二三四五六日"
_LINE = re.compile(
    r"^(?P<a>\S+?)\s*(?:[~～至]\s*(?P<b>\S+?))?\s+(?P<name>\S.*?)\s+(?P<kind>休|休息|放假|班|上班)$"
)
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_KINDS = {"休": DayKind.HOLIDAY, "休息": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY}


@dataclass(frozen=True)
class EnteredDay:
    date: dt.date
    kind: str  # DayKind
    name: str
    line: int


def _date(text: str) -> dt.date | None:
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _weekday(d: dt.date) -> str:
    return f"{d:%Y-%m-%d}是星期{_WEEKDAYS[d.weekday()]}"


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def _line_days(no: int, line: str, year: int) -> tuple[list[EnteredDay], list[dt.date], list[str]]:
    """The days a line stores, all the dates it covers, and its problems."""
    prefix = f"第{no}行："
    m = _LINE.match(line)
    if not m:
        return [], [], [prefix + "格式应为“日期 名称 休”或“起始日期~结束日期 名称 班”。"]
    a, b = m["a"], m["b"] or m["a"]
    start, end = _date(a), _date(b)
    if start is None or end is None:
        return [], [], [f"{prefix}日期“{t}”无效。" for t in dict.fromkeys([a, b]) if not _date(t)]
    if end < start:
        return [], [], [f"{prefix}结束日期“{b}”早于起始日期“{a}”。"]
    outside = [
        f"{prefix}日期“{t}”不在{year}年内。"
        for t, d in {a: start, b: end}.items()
        if d.year != year
    ]
    if outside:
        return [], [], outside
    span = _days(start, end)
    if len(span) > MAX_RANGE_DAYS:
        return [], [], [f"{prefix}时段长达{len(span)}天，超过{MAX_RANGE_DAYS}天，请核对日期。"]
    name = m["name"].strip()
    if len(name) > 50:
        return [], [], [f"{prefix}名称不能超过50个字。"]
    kind = _KINDS.get(m["kind"], DayKind.WORKDAY)
    if kind == DayKind.HOLIDAY:
        stored = [d for d in span if d.weekday() < 5]
        if not stored:
            what = _weekday(start) if len(span) == 1 else "该时段都是周末"
            return [], [], [f"{prefix}{what}，本来就休息，无需录入。"]
    else:
        weekdays = [d for d in span if d.weekday() < 5]
        if weekdays:
            return [], [], [f"{prefix}{_weekday(weekdays[0])}，本来就上班，无需录入。"]
        stored = span
    return [EnteredDay(d, kind, name, no) for d in stored], span, []


def parse_schedule(year: int, text: str) -> list[EnteredDay]:
    """The weekday holidays and weekend make-up working days of the text, by date.

    Raises ValidationError with one message per problem ("第3行：日期“2027-13-01”无效。").
    """
    errors: list[str] = []
    days: list[EnteredDay] = []
    seen: dict[dt.date, int] = {}
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        stored, span, problems = _line_days(no, line, year)
        errors += problems
        clash = next((d for d in span if d in seen), None)
        if clash is not None:
            errors.append(f"第{no}行：与第{seen[clash]}行的日期重叠（{clash:%Y-%m-%d}）。")
            continue
        seen.update(dict.fromkeys(span, no))
        days += stored
    if errors:
        raise ValidationError(errors)
    if not days:
        raise ValidationError("请至少录入一行安排，例如“2027-01-01 元旦 休”。")
    return sorted(days, key=lambda d: d.date)
