"""Working days on China's official calendar, and calendar-month arithmetic.

A day is a working day when it is Monday–Friday and not a statutory holiday, or when it is a
weekend make-up working day (调休上班). The exceptions come from the `Holiday` table, a year
at a time: counting working days reads each year it passes through once (two queries), not
one query per day. A year without a `CalendarYear` row is unknown and raises `UnknownYear`
rather than being guessed from the plain Monday–Friday week.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt

from django.core.exceptions import ValidationError

from .models import CalendarYear, DayKind, Holiday

__all__ = ["UnknownYear", "WorkCalendar", "add_months", "add_working_days", "is_workday"]


class UnknownYear(ValidationError):
    """The holiday schedule of a year has not been entered, so working days cannot be counted."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的法定节假日和调休安排尚未录入，无法按工作日计算截止日期；"
            "请系统管理员在“工作日历”中录入该年安排。",
            code="unknown_year",
        )


class WorkCalendar:
    """The official calendar, reading each year's exceptions from the database once."""

    def __init__(self) -> None:
        self._years: dict[int, dict[dt.date, bool]] = {}

    def _exceptions(self, year: int) -> dict[dt.date, bool]:
        """Date → is a working day, for the exceptions of the year."""
        if year not in self._years:
            if not CalendarYear.objects.filter(year=year).exists():
                raise UnknownYear(year)
            rows = Holiday.objects.filter(calendar_year__year=year).values_list("date", "kind")
            self._years[year] = {d: kind == DayKind.WORKDAY for d, kind in rows}
        return self._years[year]

    def is_workday(self, d: dt.date) -> bool:
        """Whether d is a working day; raises UnknownYear for a year not entered."""
        return self._exceptions(d.year).get(d, d.weekday() < 5)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (start itself is not counted; n=0 gives start)."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = start
        while n > 0:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d


def is_workday(d: dt.date) -> bool:
    """Whether d is a working day on the official calendar; raises UnknownYear if not entered."""
    return WorkCalendar().is_workday(d)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after start, start not counted; raises UnknownYear on the way."""
    return WorkCalendar().add_working_days(start, n)


def add_months(start: dt.date, n: int) -> dt.date:
    """start plus n calendar months, clamped to the month's end (01-31 + 1 month = 02-28)."""
    months = start.year * 12 + (start.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))
