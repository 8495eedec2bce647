"""The only code that writes deadline rule sets and calendar years; each write is audited.

A rule set is never edited: a new version is the active one copied with changes, and it
becomes the active one. A calendar year is entered once; the years the chinesecalendar
package supplied are read-only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from xunshi.accounts.actors import Actor, person
from xunshi.audit.actions import record

from .models import CalendarYear, DeadlineKey, DeadlineRule, DeadlineRuleSet, Holiday, Unit
from .rules import WARNING_KEYS, rules_of
from .schedule_text import parse_schedule

__all__ = ["calendar_year_enter", "ruleset_create_version"]

MIN_AMOUNT, MAX_AMOUNT = 1, 400
MIN_YEAR, MAX_YEAR = 2000, 2100


def _rules_snapshot(rules: dict[str, tuple[int, str]]) -> dict[str, Any]:
    return {k: {"amount": a, "unit": u} for k, (a, u) in sorted(rules.items())}


def _check_rules(rules: dict[str, tuple[int, str]]) -> list[str]:
    errors = []
    for key, (amount, unit) in rules.items():
        with translation.override("zh-hans"):  # the actions' messages are Chinese
            label = str(DeadlineKey(key).label)
        if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
            errors.append(f"“{label}”的期限须在{MIN_AMOUNT}至{MAX_AMOUNT}之间。")
        if unit not in Unit.values:
            errors.append(f"“{label}”的单位“{unit}”无效。")
        elif key in WARNING_KEYS and unit != Unit.CALENDAR_DAYS:
            errors.append(f"“{label}”按到期前的自然日计算，单位只能是“天”。")
    green = rules[DeadlineKey.WARNING_GREEN][0]
    yellow = rules[DeadlineKey.WARNING_YELLOW][0]
    if yellow >= green:
        errors.append(f"黄色预警（到期前{yellow}天）须晚于提醒（到期前{green}天）开始。")
    return errors


def ruleset_create_version(
    *, actor: Actor, changes: dict[str, tuple[int, str]], note: str, body_id: int | None = None
) -> DeadlineRuleSet:
    """Create and activate a new version for the body (for the deployment without one): the
    rules in force for it with the changes applied; the first own version of a body replaces
    the deployment's for that body only."""
    note = note.strip()
    unknown = [k for k in changes if k not in DeadlineKey.values]
    if unknown:
        raise ValidationError(f"没有期限规则“{'、'.join(unknown)}”。")
    if not note:
        raise ValidationError("请填写修订说明。")
    with transaction.atomic():
        current = (
            DeadlineRuleSet.objects.select_for_update().filter(active=True, body_id=body_id).first()
            if body_id is not None
            else None
        ) or DeadlineRuleSet.objects.select_for_update().get(active=True, body__isnull=True)
        old = {k: (r.amount, r.unit) for k, r in rules_of(current).items()}
        new = old | {k: (int(a), str(u)) for k, (a, u) in changes.items()}
        errors = _check_rules(new)
        if errors:
            raise ValidationError(errors)
        if new == old:
            raise ValidationError(f"与现行的第{current.version}版相同，无需新建版本。")
        own = DeadlineRuleSet.objects.filter(body_id=body_id)
        version = max(own.aggregate(m=Max("version"))["m"] or 0, current.version) + 1
        if current.body_id == body_id:
            current.active = False
            current.save(update_fields=["active"])
        rule_set = DeadlineRuleSet.objects.create(
            body_id=body_id,
            version=version,
            note=note[:500],
            created_by=_user(actor),
            active=True,
        )
        DeadlineRule.objects.bulk_create(
            [
                DeadlineRule(rule_set=rule_set, key=k, amount=a, unit=u)
                for k, (a, u) in sorted(new.items(), key=lambda kv: DeadlineKey.values.index(kv[0]))
            ]
        )
        record(
            actor=actor,
            action="deadlines.ruleset.create",
            obj=rule_set,
            before={"version": current.version, "rules": _rules_snapshot(old)},
            after={
                "body": body_id,
                "version": version,
                "note": rule_set.note,
                "rules": _rules_snapshot(new),
            },
        )
    return rule_set


def _user(actor: Actor) -> Any:
    # The audit's SYSTEM actor has no row; a person has.
    return person(actor)


def calendar_year_enter(*, actor: Actor, year: int, text: str) -> CalendarYear:
    """Enter a year's holidays and make-up working days from the State Council's schedule."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年份须在{MIN_YEAR}至{MAX_YEAR}之间。")
    existing = CalendarYear.objects.filter(year=year).select_related("entered_by").first()
    if existing is not None:
        raise ValidationError(_already(existing))
    days = parse_schedule(year, text)
    with transaction.atomic():
        cy = CalendarYear.objects.create(year=year, source="manual", entered_by=_user(actor))
        Holiday.objects.bulk_create(
            [Holiday(calendar_year=cy, date=d.date, kind=d.kind, name=d.name) for d in days]
        )
        record(
            actor=actor,
            action="deadlines.calendar.enter",
            obj=cy,
            after={
                "year": year,
                "source": cy.source,
                "days": [[d.date, d.kind, d.name] for d in days],
            },
        )
    return cy


def _already(cy: CalendarYear) -> str:
    if cy.source == "package":
        return f"{cy.year}年的安排来自chinesecalendar软件包，不能修改。"
    who = (cy.entered_by.full_name or cy.entered_by.username) if cy.entered_by else "系统"
    when = timezone.localtime(cy.entered_at)
    return f"{cy.year}年的安排已于{when:%Y-%m-%d}由{who}录入，不能重复录入。"
