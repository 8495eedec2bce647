"""The on-site dates of one team's villages in a county's village round (对村巡察, 一托N).

A team sent to N villages and communities (村、社区) visits them either one after another
(``"sequence"``) or k at a time (``"batch"``: the team splits and k villages share one on-site
period). Each village gets the same number of working days on site. ``village_schedule`` lays
the villages, in the order given, on the working days from the round's first to its last on-site
date and returns each village's first and last on-site day.

A working day is Monday to Friday unless it is a holiday, or a weekend day the State Council
made a make-up working day (调休上班). The caller passes both sets of dates (the office's
working-day calendar lives in ``xunshi.deadlines``; this module stays pure). A village's period
is counted in working days only: a period that starts on a Friday and lasts three days ends on
the Tuesday, and the weekend between is not on site.

When the villages do not fit between the two dates, ``village_schedule`` raises ``ValueError``
with a Chinese sentence naming the working days needed and the working days available, so the
office can move a date, shorten the stay or form bigger batches.

With ``group_by_township`` the villages of one township (乡镇、街道) are moved next to each
other, townships in the order their first village was given and villages within a township in
their given order, so a team finishes a township before moving to the next one; in batch mode
that also fills batches from as few townships as the order allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["MODES", "Village", "VillageVisit", "village_schedule", "working_days"]

Mode = Literal["sequence", "batch"]
MODES: dict[str, str] = {"sequence": "依次进驻", "batch": "分批进驻"}


@dataclass(frozen=True)
class Village:
    """A village or community: its code, its name and the key of its township."""

    id: str
    name: str
    township: str


@dataclass(frozen=True)
class VillageVisit:
    """A village's on-site period: first and last on-site working day, both included."""

    village: Village
    start: dt.date
    end: dt.date
    batch: int  # 1-based; in sequence mode each village is a batch of its own


def working_days(
    first: dt.date,
    last: dt.date,
    *,
    holidays: Collection[dt.date] = frozenset(),
    workdays: Collection[dt.date] = frozenset(),
) -> list[dt.date]:
    """The working days from `first` to `last`, both included: Monday–Friday but `holidays`,
    and the make-up `workdays` (调休上班) whatever the weekday."""
    both = set(holidays) & set(workdays)
    if both:
        raise ValueError(
            f"{_day(min(both))}既被列为节假日又被列为调休上班日，请核对工作日历后重试。"
        )
    out = []
    day = first
    while day <= last:
        if day in workdays or (day.weekday() < 5 and day not in holidays):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def village_schedule(
    villages: Sequence[Village],
    first: dt.date,
    last: dt.date,
    *,
    mode: Mode = "sequence",
    days_per_village: int,
    batch_size: int = 1,
    holidays: Collection[dt.date] = frozenset(),
    workdays: Collection[dt.date] = frozenset(),
    group_by_township: bool = False,
) -> tuple[VillageVisit, ...]:
    """Each village's on-site period, in visiting order, between `first` and `last` (the
    round's first and last on-site dates, both included).

    ``mode="sequence"``: one village after another, `days_per_village` working days each
    (`batch_size` must be 1). ``mode="batch"``: `batch_size` villages at once, each batch
    `days_per_village` working days, one batch after another; the last batch may be smaller.
    Raises ValueError, in Chinese, on bad input or when the villages do not fit.
    """
    if mode not in MODES:
        raise ValueError(
            f"进驻方式应为“sequence”（依次进驻）或“batch”（分批进驻），而不是“{mode}”。"
        )
    if isinstance(days_per_village, bool) or not isinstance(days_per_village, int):
        raise ValueError("每村进驻天数应为整数个工作日。")
    if days_per_village < 1:
        raise ValueError("每村进驻天数至少为1个工作日。")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError("每批村（社区）数应为不小于1的整数。")
    if mode == "sequence" and batch_size != 1:
        raise ValueError(
            f"依次进驻时每次只进驻1个村（社区），不能每批{batch_size}个；"
            "要同时进驻多个村，请选择分批进驻（batch）。"
        )
    if first > last:
        raise ValueError(f"进驻开始日期{_day(first)}晚于结束日期{_day(last)}。")
    seen: set[str] = set()
    for village in villages:
        if village.id in seen:
            raise ValueError(f"村（社区）{village.name}（{village.id}）在名单中出现了不止一次。")
        seen.add(village.id)
    days = working_days(first, last, holidays=holidays, workdays=workdays)
    if not villages:
        return ()
    order = _grouped(villages) if group_by_township else list(villages)
    batches = -(-len(order) // batch_size)
    needed = batches * days_per_village
    if needed > len(days):
        raise ValueError(
            _refusal(len(order), mode, batch_size, batches, days_per_village)
            + f"共需 {needed} 个工作日；{_day(first)}至{_day(last)}只有 "
            f"{len(days)} 个工作日，排不下。请推迟结束日期、缩短每村进驻天数"
            + ("或增加每批村数。" if mode == "batch" else "或改为分批进驻。")
        )
    out = []
    for i, village in enumerate(order):
        b = i // batch_size
        span = days[b * days_per_village : (b + 1) * days_per_village]
        out.append(VillageVisit(village, span[0], span[-1], b + 1))
    return tuple(out)


def _grouped(villages: Sequence[Village]) -> list[Village]:
    by_township: dict[str, list[Village]] = {}
    for village in villages:
        by_township.setdefault(village.township, []).append(village)
    return [village for group in by_township.values() for village in group]


def _refusal(n: int, mode: str, size: int, batches: int, days: int) -> str:
    if mode == "sequence":
        return f"{n} 个村（社区）依次进驻，每村 {days} 个工作日，"
    return f"{n} 个村（社区）分批进驻，每批至多 {size} 个、共 {batches} 批，每批 {days} 个工作日，"


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
