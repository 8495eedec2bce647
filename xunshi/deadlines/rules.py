"""Due dates and warning levels from the versioned deadline rules.

`due_date` returns a `Due`: the date, the rule it came from in words, and the rule set's
version. Callers store all three on their own rows (a rectification plan, a clue), so a new
version of the rules never moves a date that was already set; only dates computed after the
change follow the new rules. Warning thresholds are counted in calendar days before the due
date: red once overdue, yellow within the yellow threshold, green within the green one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .calendar import WorkCalendar, add_months
from .models import DeadlineKey, DeadlineRule, DeadlineRuleSet, Unit

__all__ = [
    "DEFAULTS",
    "DUE_KEYS",
    "WARNING_KEYS",
    "Due",
    "active_rule_set",
    "due_date",
    "rule_text",
    "rules_of",
    "warning_level",
    "warning_thresholds",
]

DEFAULTS: dict[str, tuple[int, str]] = {
    DeadlineKey.RECTIFICATION_PLAN: (15, Unit.WORKING_DAYS),
    DeadlineKey.RECTIFICATION_REPORT: (2, Unit.MONTHS),
    DeadlineKey.CLUE_FEEDBACK: (3, Unit.MONTHS),
    DeadlineKey.WARNING_GREEN: (20, Unit.CALENDAR_DAYS),
    DeadlineKey.WARNING_YELLOW: (10, Unit.CALENDAR_DAYS),
}
DUE_KEYS = (
    DeadlineKey.RECTIFICATION_PLAN,
    DeadlineKey.RECTIFICATION_REPORT,
    DeadlineKey.CLUE_FEEDBACK,
)
WARNING_KEYS = (DeadlineKey.WARNING_GREEN, DeadlineKey.WARNING_YELLOW)

# Stored on other apps' rows and shown in the audit trail: Chinese whatever the UI language.
_UNIT_TEXT = {Unit.WORKING_DAYS: "个工作日", Unit.CALENDAR_DAYS: "天", Unit.MONTHS: "个月"}


@dataclass(frozen=True)
class Due:
    key: str
    date: dt.date
    rule_text: str  # "15个工作日（期限规则第1版）"
    version: int


def active_rule_set(body_id: int | None = None) -> DeadlineRuleSet:
    """The rule set in force for a body: its own active version if its office issued one,
    otherwise the deployment's (exactly one of those is active)."""
    if body_id is not None:
        own = DeadlineRuleSet.objects.filter(active=True, body_id=body_id).first()
        if own is not None:
            return own
    return DeadlineRuleSet.objects.get(active=True, body__isnull=True)


def rules_of(rule_set: DeadlineRuleSet) -> dict[str, DeadlineRule]:
    """The rules of a set by key, in one query (or none when prefetched)."""
    return {r.key: r for r in rule_set.rules.all()}


def rule_text(amount: int, unit: str, version: int) -> str:
    """A rule in words with its version, e.g. "2个月（期限规则第1版）"."""
    return f"{amount}{_UNIT_TEXT[Unit(unit)]}（期限规则第{version}版）"


def due_date(
    key: str,
    start: dt.date,
    *,
    body_id: int | None = None,
    rule_set: DeadlineRuleSet | None = None,
) -> Due:
    """The due date of key counted from start under the rule set (by default the one in force
    for the body, `active_rule_set`).

    Raises UnknownYear when counting working days runs into a year not yet entered.
    """
    if key not in DUE_KEYS:
        raise ValueError(f"{key!r} is not a due-date rule")
    rule_set = rule_set or active_rule_set(body_id)
    rule = rules_of(rule_set)[key]
    if rule.unit == Unit.WORKING_DAYS:
        date = WorkCalendar().add_working_days(start, rule.amount)
    elif rule.unit == Unit.MONTHS:
        date = add_months(start, rule.amount)
    else:
        date = start + dt.timedelta(days=rule.amount)
    return Due(
        key=key,
        date=date,
        rule_text=rule_text(rule.amount, rule.unit, rule_set.version),
        version=rule_set.version,
    )


def warning_thresholds(
    *, body_id: int | None = None, rule_set: DeadlineRuleSet | None = None
) -> tuple[int, int]:
    """(green_days, yellow_days): how many calendar days before the due date each starts,
    under the rules in force for the body."""
    rules = rules_of(rule_set or active_rule_set(body_id))
    return rules[DeadlineKey.WARNING_GREEN].amount, rules[DeadlineKey.WARNING_YELLOW].amount


def warning_level(
    due: dt.date,
    today: dt.date,
    *,
    rule_set: DeadlineRuleSet | None = None,
    thresholds: tuple[int, int] | None = None,
) -> str:
    """ "red" when overdue, "yellow" / "green" within their thresholds, "" otherwise.

    A list page passes the `warning_thresholds()` it read once as thresholds.
    """
    if today > due:
        return "red"
    green, yellow = thresholds or warning_thresholds(rule_set=rule_set)
    left = (due - today).days
    if left <= yellow:
        return "yellow"
    if left <= green:
        return "green"
    return ""
