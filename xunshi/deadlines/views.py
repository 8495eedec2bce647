"""The deadline rules (current version, history, new version) and the working-day calendar.

Every view reads as form → access (deadlines.access) → action (deadlines.actions) → render.
A refused write re-renders its page with the action's Chinese messages and the posted form,
so that a pasted schedule is not lost; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can
from xunshi.accounts.actors import SignedInRequest

from . import actions
from .access import calendar_years_for, holidays_for, rule_sets_for
from .calendar import WorkCalendar
from .forms import CalendarYearForm, RuleSetForm
from .models import CalendarYear, DayKind, DeadlineKey, DeadlineRuleSet, Unit
from .rules import WARNING_KEYS, active_rule_set, rules_of

# --- rules ------------------------------------------------------------------------------------


def _version_rows(sets: list[DeadlineRuleSet]) -> list[dict[str, Any]]:
    """Each version with its rules in key order, a rule marked when it changed from the
    version before."""
    rows = []
    previous: dict[str, tuple[int, str]] = {}
    for rs in sorted(sets, key=lambda s: s.version):
        rules = rules_of(rs)
        cells = []
        for key in DeadlineKey.values:
            rule = rules.get(key)
            value = (rule.amount, rule.unit) if rule else None
            cells.append({"rule": rule, "changed": bool(previous) and previous.get(key) != value})
        previous = {k: (r.amount, r.unit) for k, r in rules.items()}
        rows.append({"set": rs, "cells": cells})
    return rows[::-1]


def _rules_page(
    request: SignedInRequest, form: RuleSetForm | None, status: int = 200
) -> HttpResponse:
    sets = list(rule_sets_for(request.user).select_related("created_by").prefetch_related("rules"))
    in_force = active_rule_set(request.user.body_id)
    active = next(s for s in sets if s.pk == in_force.pk)
    rules = rules_of(active)
    current = [
        {
            "key": key,
            "rule": rules[key],
            "warning": key in WARNING_KEYS,
        }
        for key in DeadlineKey
    ]
    return render(
        request,
        "deadlines/rules.html",
        {
            "active": active,
            "current": current,
            "history": _version_rows(sets),
            "keys": DeadlineKey.choices,
            "form": form,
            "working_days": Unit.WORKING_DAYS,
        },
        status=status,
    )


@require_safe
def deadline_rules(request: SignedInRequest) -> HttpResponse:
    rule_sets_for(request.user)
    form = None
    if can(request.user, "deadline.manage"):
        rule_sets_for(request.user, write=True)
        form = RuleSetForm(rules=rules_of(active_rule_set(request.user.body_id)))
    return _rules_page(request, form)


@require_POST
def deadline_rules_new(request: SignedInRequest) -> HttpResponse:
    rule_sets_for(request.user, write=True)
    active = active_rule_set(request.user.body_id)
    form = RuleSetForm(request.POST, rules=rules_of(active))
    if not form.is_valid():
        messages.error(request, _("请检查填写的期限和单位。"))
        return _rules_page(request, form)
    try:
        rule_set = actions.ruleset_create_version(
            actor=request.user,
            changes=form.changes(),
            note=form.cleaned_data["note"],
            body_id=request.user.body_id,
        )
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return _rules_page(request, form)
    messages.success(
        request,
        _("已启用期限规则第%(version)s版；此前已确定的截止日期不变。")
        % {"version": rule_set.version},
    )
    return redirect("deadline_rules")


# --- calendar ---------------------------------------------------------------------------------


def _selected_year(request: SignedInRequest, known: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit():
        return int(raw)
    this_year = timezone.localdate().year
    if this_year in known:
        return this_year
    return known[-1] if known else None


def _year_days(request: SignedInRequest, year: int) -> dict[str, Any]:
    days = list(holidays_for(request.user, year))
    cal = WorkCalendar()
    start = dt.date(year, 1, 1)
    total = (dt.date(year + 1, 1, 1) - start).days
    working = sum(cal.is_workday(start + dt.timedelta(days=i)) for i in range(total))
    return {
        "days": [{"day": d, "workday": d.kind == DayKind.WORKDAY} for d in days],
        "holiday_count": sum(d.kind == DayKind.HOLIDAY for d in days),
        "workday_count": sum(d.kind == DayKind.WORKDAY for d in days),
        "working_days": working,
    }


def _calendar_page(
    request: SignedInRequest, form: CalendarYearForm | None, year: int | None = None
) -> HttpResponse:
    years = list(calendar_years_for(request.user).select_related("entered_by"))
    known = [cy.year for cy in years]
    selected = year if year is not None else _selected_year(request, known)
    this_year = timezone.localdate().year
    missing = [y for y in (this_year, this_year + 1) if y not in known]
    context: dict[str, Any] = {
        "years": years,
        "selected": selected,
        "selected_known": selected in known,
        "selected_year": next((cy for cy in years if cy.year == selected), None),
        "missing": missing,
        "form": form,
    }
    if selected is not None and selected in known:
        context |= _year_days(request, selected)
    return render(request, "deadlines/calendar.html", context)


def _entry_form(years: list[CalendarYear]) -> CalendarYearForm:
    known = {cy.year for cy in years}
    this_year = timezone.localdate().year
    next_year = next(y for y in range(this_year, this_year + 200) if y not in known)
    return CalendarYearForm(initial={"year": next_year})


@require_safe
def calendar_years(request: SignedInRequest) -> HttpResponse:
    years = list(calendar_years_for(request.user))
    form = _entry_form(years) if can(request.user, "calendar.manage") else None
    return _calendar_page(request, form)


@require_POST
def calendar_year_enter(request: SignedInRequest) -> HttpResponse:
    calendar_years_for(request.user, write=True)
    form = CalendarYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写年份和安排。"))
        return _calendar_page(request, form)
    year = form.cleaned_data["year"]
    try:
        actions.calendar_year_enter(actor=request.user, year=year, text=form.cleaned_data["text"])
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return _calendar_page(request, form)
    messages.success(request, _("已录入%(year)s年的节假日和调休安排。") % {"year": year})
    return redirect(reverse("calendar_years") + f"?year={year}")
