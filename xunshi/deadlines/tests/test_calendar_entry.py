"""An admin enters a year the package does not know: good text, every kind of bad line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xunshi.audit.models import AuditEvent
from xunshi.deadlines.actions import calendar_year_enter
from xunshi.deadlines.calendar import add_working_days, is_workday
from xunshi.deadlines.models import CalendarYear, Holiday
from xunshi.deadlines.rules import due_date

D = dt.date

GOOD = """
2027-01-01 元旦 休
2027-02-06 春节调休 班
2027-02-10~2027-02-16 春节 休
2027-02-20 春节调休 班
2027-04-05 清明节 休
2027-05-01至2027-05-05 劳动节 休
2027-06-09 端午节 休
2027-09-15 中秋节 休
2027-10-01 ～ 2027-10-07　国庆节　休
2027-09-26 国庆节调休 上班
"""


def test_it_enters_a_year_and_counts_working_days_in_it(sam):
    cy = calendar_year_enter(actor=sam, year=2027, text=GOOD)
    assert (cy.year, cy.source, cy.entered_by) == (2027, "manual", sam)
    days = {h.date: (h.kind, h.name) for h in Holiday.objects.filter(calendar_year=cy)}
    # The weekend inside 春节 (Sat 2-13, Sun 2-14) is an ordinary weekend: not stored.
    assert [d for d in days if D(2027, 2, 10) <= d <= D(2027, 2, 16)] == [
        D(2027, 2, 10),
        D(2027, 2, 11),
        D(2027, 2, 12),
        D(2027, 2, 15),
        D(2027, 2, 16),
    ]
    assert days[D(2027, 2, 6)] == ("workday", "春节调休")
    assert days[D(2027, 10, 1)] == ("holiday", "国庆节")
    assert D(2027, 5, 1) not in days  # a Saturday
    assert len(days) == 1 + 1 + 5 + 1 + 1 + 3 + 1 + 1 + 5 + 1
    assert is_workday(D(2027, 2, 6)) and not is_workday(D(2027, 2, 10))
    assert not is_workday(D(2027, 2, 13))
    # A deadline that ran into the unknown year is now computed.
    assert add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)
    # Fri 2-5: Sat 2-6 (make-up) 1st, 2-8/2-9 2nd/3rd, 2-17…2-19 4–6, Sat 2-20 (make-up) 7th,
    # 2-22…2-26 8–12, 3-1…3-3 13–15.
    assert due_date("rectification_plan", D(2027, 2, 5)).date == D(2027, 3, 3)
    event = AuditEvent.objects.get(action="deadlines.calendar.enter")
    assert event.actor_username == "sam" and event.after["year"] == 2027
    assert ["2027-02-06", "workday", "春节调休"] in event.after["days"]


BAD = [
    ("2027-13-01 元旦 休", "第1行：日期“2027-13-01”无效。"),
    ("2027-02-30 春节 休", "第1行：日期“2027-02-30”无效。"),
    ("元旦 2027-01-01", "第1行：格式应为“日期 名称 休”或“起始日期~结束日期 名称 班”。"),
    ("2027-01-01 休", "第1行：格式应为“日期 名称 休”或“起始日期~结束日期 名称 班”。"),
    ("2027-01-01 元旦 放", "第1行：格式应为“日期 名称 休”或“起始日期~结束日期 名称 班”。"),
    ("2026-12-31 元旦 休", "第1行：日期“2026-12-31”不在2027年内。"),
    ("2027-12-31~2028-01-03 元旦 休", "第1行：日期“2028-01-03”不在2027年内。"),
    ("2027-01-02 元旦 休", "第1行：2027-01-02是星期六，本来就休息，无需录入。"),
    ("2027-01-02~2027-01-03 元旦 休", "第1行：该时段都是周末，本来就休息，无需录入。"),
    ("2027-01-04 调休 班", "第1行：2027-01-04是星期一，本来就上班，无需录入。"),
    ("2027-02-16~2027-02-10 春节 休", "第1行：结束日期“2027-02-10”早于起始日期“2027-02-16”。"),
    ("2027-02-01~2027-02-28 春节 休", "第1行：时段长达28天，超过15天，请核对日期。"),
    ("", "请至少录入一行安排，例如“2027-01-01 元旦 休”。"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_it_refuses_a_bad_line_and_writes_nothing(sam, text, message):
    holidays = Holiday.objects.count()
    with pytest.raises(ValidationError) as e:
        calendar_year_enter(actor=sam, year=2027, text=text)
    assert e.value.messages == [message]
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert Holiday.objects.count() == holidays
    assert not AuditEvent.objects.filter(action__startswith="deadlines.").exists()


def test_it_reports_every_bad_line_with_its_number(sam):
    text = "\n".join(
        [
            "2027-01-01 元旦 休",
            "2027-02-10~2027-02-16 春节 休",
            "2027-13-01 元旦 休",
            "",
            "2027-02-12 春节 休",
            "2027-02-14 春节调休 班",
            "2027-01-04 调休 班",
        ]
    )
    with pytest.raises(ValidationError) as e:
        calendar_year_enter(actor=sam, year=2027, text=text)
    assert e.value.messages == [
        "第3行：日期“2027-13-01”无效。",
        "第5行：与第2行的日期重叠（2027-02-12）。",
        "第6行：与第2行的日期重叠（2027-02-14）。",
        "第7行：2027-01-04是星期一，本来就上班，无需录入。",
    ]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_it_keeps_the_package_years_read_only(sam):
    with pytest.raises(ValidationError) as e:
        calendar_year_enter(actor=sam, year=2026, text="2026-01-05 元旦 休")
    assert e.value.messages == ["2026年的安排来自chinesecalendar软件包，不能修改。"]
    assert not is_workday(D(2026, 1, 1)) and is_workday(D(2026, 1, 5))


def test_it_refuses_a_year_entered_before(sam):
    calendar_year_enter(actor=sam, year=2027, text=GOOD)
    with pytest.raises(ValidationError) as e:
        calendar_year_enter(actor=sam, year=2027, text="2027-01-04 元旦 休")
    (message,) = e.value.messages
    assert message.startswith("2027年的安排已于") and message.endswith("由吴刚录入，不能重复录入。")
    assert is_workday(D(2027, 1, 4))


def test_it_refuses_a_year_out_of_range(sam):
    with pytest.raises(ValidationError, match="年份须在2000至2100之间"):
        calendar_year_enter(actor=sam, year=1999, text="1999-01-01 元旦 休")
