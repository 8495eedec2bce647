"""The date rules of an inspection: one set, which the actions apply and the pages state
under each date field (the `*_HELP` texts and `site_day_help`).

1. Entering on site (进驻): not before the inspection's 进驻日期, or, when it has none, its
   round's start; not after today. (`entry_problems`, applied by the lifecycle's 进驻.)
2. A record of the work on site (a talk): not before that same day, not after today: a
   record tells what happened, so a day to come is refused. (`site_record_problems`)
3. A day that follows another (转交 after 收到, 移交 after 调阅, 归还 after 移交, 答复 after
   收到) not before it; every day recorded (收到, 调阅, 完成, 移交 …) not after today.
   (`xunshi.lib.refusals.not_before` and `not_after_today`, which the actions call.)
4. A second talk with the same person on the same day is recorded, with a warning: more
   often a double entry than a second talk. (`xunshi.fieldwork.queries.same_day_talks`)
5. The public portal (码上巡察) accepts a report from the first to the last day of the
   announced 受理时间, both included. The portal is a separate project that imports nothing
   of xunshi; `portal/reports/actions.py` applies this rule with the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xunshi.lib.officedoc import cn_date
from xunshi.lib.refusals import not_after_today, not_before

from .models import Inspection

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "PAST_DAY_HELP",
    "entry_day",
    "entry_problems",
    "following_day_help",
    "site_day_help",
    "site_record_problems",
]

PAST_DAY_HELP = _("不能晚于今天。")


def following_day_help(earlier: StrOrPromise) -> StrOrPromise:
    """The line under a date that follows another (rule 3), `earlier` naming that one."""
    return format_lazy(_("不能早于{earlier}，不能晚于今天。"), earlier=earlier)


def entry_day(inspection: Inspection) -> dt.date | None:
    """The first day the team may be on site: the inspection's 进驻日期, else the round's
    start; None when neither is set."""
    return inspection.start or inspection.round.start


def _entry_label(inspection: Inspection) -> str:
    word = inspection.round.body.work_word
    if inspection.start:
        return f"本次{word}进驻日期"
    return f"本轮{word}开始日期"


def entry_problems(inspection: Inspection, on: dt.date) -> list[str]:
    """Why the team may not enter on site on `on` (rule 1); empty when it may."""
    first = entry_day(inspection)
    problems = not_after_today(on, "进驻日期")
    if first is not None:
        problems += not_before(on, "进驻日期", first, _entry_label(inspection))
    return problems


def site_record_problems(inspection: Inspection, day: dt.date, label: str) -> list[str]:
    """Why a record of the work on site may not bear `day` (rule 2); empty when it may."""
    first = entry_day(inspection)
    problems = []
    if first is not None:
        word = inspection.round.body.work_word
        problems += not_before(day, label, first, f"本次{word}进驻日期")
    return problems + not_after_today(day, label)


def site_day_help(inspection: Inspection) -> str:
    """The line under a site record's date field: which days it accepts."""
    first = entry_day(inspection)
    if first is None or first > timezone.localdate():
        return str(PAST_DAY_HELP)
    return gettext("可填%(first)s（进驻日期）至今天。") % {"first": cn_date(first)}
