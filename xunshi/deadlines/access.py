"""Who sees and changes the deadline rules and the working-day calendar.

The calendar is the deployment's; the rules are the deployment's until a body's office issues
its own version, which then holds for that body's work only. The office, the leading group and
the system admin read them; only the office issues a new version of the rules (for its own
body), only the system admin enters a year.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xunshi.accounts.access import require
from xunshi.accounts.models import User

from .models import CalendarYear, DeadlineRuleSet, Holiday

__all__ = ["calendar_years_for", "holidays_for", "rule_sets_for"]


def rule_sets_for(user: User, *, write: bool = False) -> QuerySet[DeadlineRuleSet]:
    """The versions of the rules the user's body may read: the deployment's and the body's own;
    403 without deadline.view (deadline.manage on a write). The one in force is
    `rules.active_rule_set(user.body_id)`."""
    require(user, "deadline.view")
    if write:
        require(user, "deadline.manage")
    own = Q(body_id=user.body_id) if user.body_id else Q(pk__in=[])
    return DeadlineRuleSet.objects.filter(own | Q(body__isnull=True))


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
