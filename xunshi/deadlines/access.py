"""Who sees and changes the deadline rules and the working-day calendar.

Both are global (no object scope): the office, the leading group and the system admin read
them; only the office issues a new version of the rules, only the system admin enters a year.
"""

from __future__ import annotations

from django.db.models import QuerySet

from xunshi.accounts.access import require
from xunshi.accounts.models import User

from .models import CalendarYear, DeadlineRuleSet, Holiday

__all__ = ["calendar_years_for", "holidays_for", "rule_sets_for"]


def rule_sets_for(user: User, *, write: bool = False) -> QuerySet[DeadlineRuleSet]:
    """Every version of the rules; 403 without deadline.view (deadline.manage on a write)."""
    require(user, "deadline.view")
    if write:
        require(user, "deadline.manage")
    return DeadlineRuleSet.objects.all()


def calendar_years_for(user: User, *, write: bool = False) -> QuerySet[CalendarYear]:
    """The known years; 403 without deadline.view (calendar.manage on a write)."""
    require(user, "deadline.view")
    if write:
        require(user, "calendar.manage")
    return CalendarYear.objects.all()


def holidays_for(user: User, year: int) -> QuerySet[Holiday]:
    """The holidays and make-up working days of a year; 403 without deadline.view."""
    require(user, "deadline.view")
    return Holiday.objects.filter(calendar_year__year=year)
