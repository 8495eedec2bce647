"""The State Council's holiday schedules as the chinesecalendar package knows them.

Pure: imports neither Django nor the models, so the data migration can use it. Only the
exceptions to the Monday–Friday week are returned: weekday holidays and weekend make-up
working days; a holiday that falls on a weekend changes nothing and is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

__all__ = ["HOLIDAY_NAMES", "PackageDay", "package_days", "package_years"]

# The package's English names → the names the State Council's notices use.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class PackageDay:
    date: dt.date
    kind: str  # "holiday" | "workday", as DayKind
    name: str


def package_years() -> list[int]:
    """The years the installed package has a schedule for (2004–2026 in version 1.11)."""
    dates = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return sorted({d.year for d in dates})


def _name(english: str) -> str:
    return HOLIDAY_NAMES.get(english, english)


def package_days(year: int) -> list[PackageDay]:
    """The weekday holidays and weekend make-up working days of the year, by date."""
    days = [
        PackageDay(d, "holiday", _name(n))
        for d, n in chinese_calendar.holidays.items()
        if d.year == year and d.weekday() < 5
    ] + [
        PackageDay(d, "workday", _name(n))
        for d, n in chinese_calendar.workdays.items()
        if d.year == year and d.weekday() >= 5
    ]
    return sorted(days, key=lambda p: p.date)
