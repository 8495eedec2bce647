"""The Chinese refusals the inspection actions share: every problem of an input is collected
first and refused at once, so the user sees all of them together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone

from xunshi.lib.officedoc import cn_date

__all__ = ["not_after_today", "not_before", "refuse_unless"]


def refuse_unless(problems: Sequence[str]) -> None:
    """Refuse with every collected problem, if there is any."""
    if problems:
        raise ValidationError(list(problems))


def not_after_today(day: dt.date | None, label: str) -> list[str]:
    """A date that may not lie in the future."""
    if day is not None and day > timezone.localdate():
        return [f"{label}（{cn_date(day)}）不能晚于今天。"]
    return []


def not_before(day: dt.date | None, label: str, earlier: dt.date, earlier_label: str) -> list[str]:
    """A date that may not come before another one."""
    if day is not None and day < earlier:
        return [f"{label}（{cn_date(day)}）早于{earlier_label}（{cn_date(earlier)}）。"]
    return []
