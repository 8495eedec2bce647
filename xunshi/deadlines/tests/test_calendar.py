"""Working days on the real 2025/2026 calendar, calendar months, and unknown years."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from xunshi.deadlines.calendar import (
    UnknownYear,
    WorkCalendar,
    add_months,
    add_working_days,
    is_workday,
)
from xunshi.deadlines.models import CalendarYear, DayKind, Holiday
from xunshi.deadlines.package_schedule import package_days, package_years

D = dt.date


def test_it_knows_the_package_years_after_migrating_and_not_2027(db):
    years = list(CalendarYear.objects.values_list("year", "source"))
    assert [y for y, _ in years] == package_years() == list(range(2004, 2027))
    assert {s for _, s in years} == {"package"}
    assert not CalendarYear.objects.filter(year=2027).exists()
    with pytest.raises(UnknownYear):
        is_workday(D(2027, 1, 4))


def test_it_stores_only_the_exceptions_to_the_week_with_chinese_names(db):
    rows = {h.date: (h.kind, h.name) for h in Holiday.objects.filter(calendar_year__year=2026)}
    assert rows[D(2026, 2, 14)] == (DayKind.WORKDAY, "春节")  # a Saturday
    assert rows[D(2026, 2, 16)] == (DayKind.HOLIDAY, "春节")  # a Monday
    assert rows[D(2026, 9, 25)] == (DayKind.HOLIDAY, "中秋节")
    assert rows[D(2026, 10, 1)] == (DayKind.HOLIDAY, "国庆节")
    assert D(2026, 10, 3) not in rows  # a Saturday inside the break: an ordinary weekend
    assert all((d.weekday() < 5) == (k == DayKind.HOLIDAY) for d, (k, _) in rows.items())
    assert Holiday.objects.count() == sum(len(package_days(y)) for y in package_years())
    names = set(Holiday.objects.values_list("name", flat=True))
    assert names <= {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} | {
        "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    }


def test_it_agrees_with_the_package_on_every_day_it_knows(db, django_assert_max_num_queries):
    cal = WorkCalendar()
    day, end = D(2004, 1, 1), D(2026, 12, 31)
    with django_assert_max_num_queries(2 * 23):
        while day <= end:
            assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
            day += dt.timedelta(days=1)


def test_it_counts_the_make_up_days_as_working_days(db):
    assert is_workday(D(2025, 9, 28))  # Sunday, 国庆 make-up
    assert is_workday(D(2025, 10, 11))  # Saturday, 国庆 make-up
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))  # Saturdays, 春节
    assert not is_workday(D(2025, 10, 6))  # Monday, 中秋
    assert not is_workday(D(2026, 2, 21))  # an ordinary Saturday
    assert is_workday(D(2026, 3, 2))  # an ordinary Monday


def test_it_skips_the_national_day_break_and_counts_the_make_up_saturday(db):
    # Friday before 国庆 2025: Sun 9-28 (make-up) is the 1st, 9-29/9-30 the 2nd/3rd, the
    # break 10-1…10-8 is skipped, 10-9/10-10 are 4/5, Saturday 10-11 (make-up) is the 6th.
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 26), 4) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 26), 6) == D(2025, 10, 11)
    assert add_working_days(D(2025, 9, 26), 15) == D(2025, 10, 23)
    assert add_working_days(D(2025, 9, 26), 15) == chinese_calendar.find_workday(15, D(2025, 9, 26))


def test_it_does_not_count_the_start_day(db):
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday → Monday


def test_it_skips_spring_festival_2026_and_counts_both_make_up_saturdays(db):
    # Thursday 2-12: Fri 2-13 is the 1st, Sat 2-14 (make-up) the 2nd, the break 2-15…2-23 is
    # skipped, 2-24…2-27 are 3–6, Sat 2-28 (make-up) the 7th, then 3-2…3-6 and 3-9…3-11.
    start = D(2026, 2, 12)
    assert add_working_days(start, 2) == D(2026, 2, 14)
    assert add_working_days(start, 3) == D(2026, 2, 24)
    assert add_working_days(start, 7) == D(2026, 2, 28)
    assert add_working_days(start, 15) == D(2026, 3, 11) == chinese_calendar.find_workday(15, start)


def test_it_crosses_into_the_next_year_when_it_is_known(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert add_working_days(D(2025, 12, 24), 15) == chinese_calendar.find_workday(
            15, D(2025, 12, 24)
        )


def test_it_refuses_to_guess_a_deadline_in_an_unknown_year(db):
    with pytest.raises(UnknownYear) as e:
        add_working_days(D(2026, 12, 20), 15)
    assert e.value.year == 2027
    assert e.value.messages == [
        "2027年的法定节假日和调休安排尚未录入，无法按工作日计算截止日期；"
        "请系统管理员在“工作日历”中录入该年安排。"
    ]
    # Within the known year it still answers.
    assert add_working_days(D(2026, 12, 10), 5) == D(2026, 12, 17)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 3, 31), 2, D(2026, 5, 31)),
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2025, 11, 15), 2, D(2026, 1, 15)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
    ],
)
def test_it_adds_calendar_months_clamped_to_the_month_end(start, n, expected):
    assert add_months(start, n) == expected
