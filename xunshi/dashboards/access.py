"""Who reads the dashboards, and which inspections their figures count.

The office and the leading group of a body read the figures of their own body's work only
(`inspections_visible_to`, `rounds_visible_to`, `terms_visible_to`: the same scope as every
other page); another body's rounds are never counted, a body below is read on the oversight
pages as summaries. Every other role gets 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from xunshi.accounts.access import require
from xunshi.accounts.models import User
from xunshi.deadlines.rules import warning_thresholds
from xunshi.registry.access import terms_visible_to
from xunshi.registry.models import Term
from xunshi.rounds.access import inspections_visible_to, rounds_visible_to
from xunshi.rounds.models import Inspection, Round, Stage

__all__ = ["Scope", "dashboard_rounds", "dashboard_scope", "dashboard_years"]


@dataclass(frozen=True)
class Scope:
    """What the figures of one page count: the inspections (of the round, of the rounds that
    started in the year, or all), the round of the team workloads, the term of the coverage,
    the months of the ledger's course, and the day they are counted on."""

    inspections: QuerySet[Inspection]
    round: Round | None
    term: Term | None
    year: int | None
    months: list[dt.date]  # the first day of each month, oldest first
    today: dt.date
    thresholds: tuple[int, int]  # (green, yellow) days, warning_thresholds of the user's body
    # What two charts of one page share (the clue counts), counted once per scope.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def dashboard_rounds(user: User) -> QuerySet[Round]:
    """The rounds the user may choose on the dashboards (403 for a role without them)."""
    require(user, "dashboard.view")
    return rounds_visible_to(user).select_related("term")


def dashboard_years(user: User) -> list[int]:
    """The years in which the user's body started a round, newest first."""
    return sorted({d.year for d in dashboard_rounds(user).dates("start", "year")}, reverse=True)


def _months(year: int | None, today: dt.date) -> list[dt.date]:
    """The months of the year up to today's, or without a year the twelve up to today's."""
    if year is not None:
        last = 12 if year < today.year else today.month if year == today.year else 0
        return [dt.date(year, m, 1) for m in range(1, last + 1)]
    index = today.year * 12 + today.month - 1
    return [dt.date((i) // 12, i % 12 + 1, 1) for i in range(index - 11, index + 1)]


def dashboard_scope(user: User, *, round: Round | None, year: int | None, today: dt.date) -> Scope:
    """The scope of the user's dashboards under the filters (the round already found among
    `dashboard_rounds`); 403 for a role without the dashboards."""
    rounds = dashboard_rounds(user)
    inspections = inspections_visible_to(user).exclude(stage=Stage.CANCELLED)
    terms = terms_visible_to(user)
    if round is not None:
        inspections = inspections.filter(round=round)
    if year is not None:
        inspections = inspections.filter(round__start__year=year)
        rounds = rounds.filter(start__year=year)
        terms = terms.filter(start__year__lte=year, end__year__gte=year)
    term = round.term if round is not None else terms.first()
    return Scope(
        inspections=inspections,
        round=round if round is not None else rounds.first(),
        term=term,
        year=year,
        months=_months(year, today),
        today=today,
        thresholds=warning_thresholds(body_id=user.body_id),
    )
