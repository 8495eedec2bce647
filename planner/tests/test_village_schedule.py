"""The on-site dates of a team's villages: sequence and batches, weekends, holidays, 调休."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.village_schedule import Village, VillageVisit, village_schedule, working_days

D = dt.date


def villages(n: int, townships: str = "A") -> list[Village]:
    return [
        Village(f"41022510{i:04d}", f"第{i + 1}村", townships[i % len(townships)]) for i in range(n)
    ]


def dates(visits: tuple[VillageVisit, ...]) -> list[tuple[dt.date, dt.date]]:
    return [(v.start, v.end) for v in visits]


def test_it_visits_villages_one_after_another_on_working_days() -> None:
    # 2025-03-03 is a Monday.
    visits = village_schedule(villages(3), D(2025, 3, 3), D(2025, 3, 31), days_per_village=2)

    assert dates(visits) == [
        (D(2025, 3, 3), D(2025, 3, 4)),
        (D(2025, 3, 5), D(2025, 3, 6)),
        (D(2025, 3, 7), D(2025, 3, 10)),  # Friday, then Monday: the weekend is not on site
    ]
    assert [v.batch for v in visits] == [1, 2, 3]
    assert [v.village.name for v in visits] == ["第1村", "第2村", "第3村"]


def test_it_starts_on_the_first_working_day_when_the_first_date_is_a_weekend() -> None:
    visits = village_schedule(villages(1), D(2025, 3, 1), D(2025, 3, 31), days_per_village=3)

    assert dates(visits) == [(D(2025, 3, 3), D(2025, 3, 5))]


def test_it_skips_holidays_and_works_on_a_make_up_saturday() -> None:
    # 2025 National Day: 1–8 October off; Sunday 28 September and Saturday 11 October are
    # make-up working days (调休上班).
    holidays = {D(2025, 10, d) for d in range(1, 9)}
    workdays = {D(2025, 9, 28), D(2025, 10, 11)}

    visits = village_schedule(
        villages(4),
        D(2025, 9, 26),
        D(2025, 10, 31),
        days_per_village=2,
        holidays=holidays,
        workdays=workdays,
    )

    assert dates(visits) == [
        (D(2025, 9, 26), D(2025, 9, 28)),  # Friday, then the make-up Sunday
        (D(2025, 9, 29), D(2025, 9, 30)),
        (D(2025, 10, 9), D(2025, 10, 10)),  # after the holiday
        (D(2025, 10, 11), D(2025, 10, 13)),  # the make-up Saturday, then Monday
    ]


def test_it_visits_twenty_villages_three_at_a_time() -> None:
    visits = village_schedule(
        villages(20),
        D(2025, 3, 3),
        D(2025, 4, 30),
        mode="batch",
        batch_size=3,
        days_per_village=5,
    )

    assert len(visits) == 20
    assert [v.batch for v in visits] == [b for b in range(1, 8) for _ in range(3)][:20]
    # Seven batches of five working days: whole weeks from Monday 3 March.
    starts = sorted({v.start for v in visits})
    assert starts == [D(2025, 3, 3) + dt.timedelta(weeks=w) for w in range(7)]
    for v in visits:
        assert v.end == v.start + dt.timedelta(days=4)
        assert sum(1 for w in visits if w.start == v.start) == (2 if v.batch == 7 else 3)


def test_it_refuses_villages_that_do_not_fit_and_says_how_many_days_are_needed() -> None:
    with pytest.raises(ValueError) as refused:
        village_schedule(
            villages(20),
            D(2025, 3, 3),
            D(2025, 3, 28),
            mode="batch",
            batch_size=3,
            days_per_village=5,
        )

    assert str(refused.value) == (
        "20 个村（社区）分批进驻，每批至多 3 个、共 7 批，每批 5 个工作日，共需 35 个工作日；"
        "2025年3月3日至2025年3月28日只有 20 个工作日，排不下。"
        "请推迟结束日期、缩短每村进驻天数或增加每批村数。"
    )


def test_it_refuses_a_sequence_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match=r"共需 30 个工作日；.*只有 20 个工作日") as refused:
        village_schedule(villages(10), D(2025, 3, 3), D(2025, 3, 28), days_per_village=3)

    assert str(refused.value).startswith("10 个村（社区）依次进驻，每村 3 个工作日，")
    assert str(refused.value).endswith("或改为分批进驻。")


def test_it_counts_holidays_out_of_the_available_days_when_it_refuses() -> None:
    holidays = {D(2025, 3, 3) + dt.timedelta(days=d) for d in range(5)}

    with pytest.raises(ValueError, match=r"共需 20 个工作日；.*只有 15 个工作日"):
        village_schedule(
            villages(4), D(2025, 3, 3), D(2025, 3, 28), days_per_village=5, holidays=holidays
        )


def test_it_fits_exactly_when_the_days_just_suffice() -> None:
    visits = village_schedule(villages(4), D(2025, 3, 3), D(2025, 3, 28), days_per_village=5)

    assert visits[-1].end == D(2025, 3, 28)


def test_it_keeps_the_villages_of_a_township_together_when_asked() -> None:
    mixed = villages(6, townships="ABC")  # A B C A B C

    kept = village_schedule(mixed, D(2025, 3, 3), D(2025, 3, 31), days_per_village=1)
    grouped = village_schedule(
        mixed, D(2025, 3, 3), D(2025, 3, 31), days_per_village=1, group_by_township=True
    )

    assert [v.village.township for v in kept] == list("ABCABC")
    assert [v.village.township for v in grouped] == list("AABBCC")
    # Within a township the given order stands; the townships come in order of first appearance.
    assert [v.village.name for v in grouped] == [
        "第1村",
        "第4村",
        "第2村",
        "第5村",
        "第3村",
        "第6村",
    ]
    assert dates(grouped) == [(D(2025, 3, d), D(2025, 3, d)) for d in (3, 4, 5, 6, 7, 10)]


def test_it_groups_townships_into_batches() -> None:
    mixed = villages(6, townships="AB")  # A B A B A B

    visits = village_schedule(
        mixed,
        D(2025, 3, 3),
        D(2025, 3, 31),
        mode="batch",
        batch_size=3,
        days_per_village=2,
        group_by_township=True,
    )

    assert [(v.village.township, v.batch) for v in visits] == [
        ("A", 1),
        ("A", 1),
        ("A", 1),
        ("B", 2),
        ("B", 2),
        ("B", 2),
    ]
    assert {v.start for v in visits if v.batch == 2} == {D(2025, 3, 5)}


def test_it_returns_nothing_for_no_villages() -> None:
    assert village_schedule([], D(2025, 3, 3), D(2025, 3, 3), days_per_village=1) == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "parallel"}, "进驻方式应为“sequence”（依次进驻）或“batch”（分批进驻）"),
        ({"days_per_village": 0}, "每村进驻天数至少为1个工作日。"),
        ({"days_per_village": 1.5}, "每村进驻天数应为整数个工作日。"),
        ({"batch_size": 3}, "依次进驻时每次只进驻1个村（社区），不能每批3个"),
        ({"mode": "batch", "batch_size": 0}, "每批村（社区）数应为不小于1的整数。"),
        ({"last": D(2025, 3, 1)}, "进驻开始日期2025年3月3日晚于结束日期2025年3月1日。"),
        (
            {"holidays": {D(2025, 3, 8)}, "workdays": {D(2025, 3, 8)}},
            "2025年3月8日既被列为节假日又被列为调休上班日",
        ),
    ],
)
def test_it_refuses_bad_input_in_chinese(changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"days_per_village": 1, "last": D(2025, 3, 31), **changes}

    with pytest.raises(ValueError, match=message):
        village_schedule(villages(2), D(2025, 3, 3), **arguments)  # type: ignore[arg-type]


def test_it_refuses_a_village_listed_twice() -> None:
    twice = [*villages(2), villages(1)[0]]

    with pytest.raises(ValueError, match=r"村（社区）第1村（410225100000）在名单中出现了不止一次"):
        village_schedule(twice, D(2025, 3, 3), D(2025, 3, 31), days_per_village=1)


def test_working_days_follow_the_official_calendar() -> None:
    # Spring Festival 2025: 28 January – 4 February off, Sundays 26 January and Saturday
    # 8 February make-up working days.
    holidays = {D(2025, 1, 28) + dt.timedelta(days=d) for d in range(8)}
    workdays = {D(2025, 1, 26), D(2025, 2, 8)}

    days = working_days(D(2025, 1, 25), D(2025, 2, 9), holidays=holidays, workdays=workdays)

    assert days == [
        D(2025, 1, 26),
        D(2025, 1, 27),
        D(2025, 2, 5),
        D(2025, 2, 6),
        D(2025, 2, 7),
        D(2025, 2, 8),
    ]
