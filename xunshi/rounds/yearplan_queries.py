"""The year's plan as it is carried out: planned against done, per round and sector.

`year_plan_execution(plan)` is the one read of it: the page's table and the dashboards' chart
take its rows. A planned target counts as arranged once an inspection of it is open (not
cancelled) and as done once its team has left the site (`DONE_STAGES`, as for coverage), in
the round the planned round is linked to or, while none is, in any round of the body that
year. Counted in SQL, one query a planned round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise

from xunshi.registry.models import Sector

from .models import DONE_STAGES, Inspection, Stage, YearPlan, YearPlanRound, YearPlanStatus

__all__ = [
    "ExecutionRow",
    "current_year_plan",
    "plan_round_matching",
    "plan_rounds_to_open",
    "year_plan_execution",
    "year_plan_versions",
]


@dataclass(frozen=True)
class ExecutionRow:
    position: int
    round_name: str
    round_id: int | None  # the round that carries it out, once linked
    sector: str
    sector_label: str | Promise
    planned: int
    arranged: int
    done: int

    @property
    def share(self) -> float:
        """The part of the planned targets done."""
        return self.done / self.planned if self.planned else 0.0


def _inspections_for(plan_round: YearPlanRound) -> QuerySet[Inspection]:
    if plan_round.round_id is not None:
        return Inspection.objects.filter(round_id=plan_round.round_id)
    plan = plan_round.plan
    return Inspection.objects.filter(round__body_id=plan.body_id, round__start__year=plan.year)


def year_plan_execution(plan: YearPlan) -> list[ExecutionRow]:
    """One row per planned round and sector: targets planned, arranged and done."""
    labels = dict(Sector.choices)
    rows = []
    for r in plan.rounds.order_by("position"):
        insp = (
            _inspections_for(r)
            .filter(target_id=OuterRef("orgunit_id"))
            .exclude(stage=Stage.CANCELLED)
        )
        counts = (
            YearPlanRound.targets.through.objects.filter(yearplanround=r)
            .values("orgunit__sector")
            .annotate(
                planned=Count("pk"),
                arranged=Count("pk", filter=Q(Exists(insp))),
                done=Count("pk", filter=Q(Exists(insp.filter(stage__in=DONE_STAGES)))),
            )
            .order_by("orgunit__sector")
        )
        rows += [
            ExecutionRow(
                position=r.position,
                round_name=r.name,
                round_id=r.round_id,
                sector=c["orgunit__sector"],
                sector_label=labels.get(c["orgunit__sector"], c["orgunit__sector"]),
                planned=c["planned"],
                arranged=c["arranged"],
                done=c["done"],
            )
            for c in counts
        ]
    return rows


def year_plan_versions(plan: YearPlan) -> QuerySet[YearPlan]:
    """Every version of the plan's year, newest first."""
    return YearPlan.objects.filter(body_id=plan.body_id, year=plan.year).order_by("-version")


def current_year_plan(body_id: int, year: int) -> YearPlan | None:
    """The approved version of the body's plan for the year, if there is one."""
    return YearPlan.objects.filter(
        body_id=body_id, year=year, status=YearPlanStatus.APPROVED
    ).first()


def plan_rounds_to_open(body_id: int | None) -> QuerySet[YearPlanRound]:
    """The planned rounds of the body's approved plans that no round carries out yet: what the
    new-round form offers to carry out."""
    return (
        YearPlanRound.objects.filter(
            plan__body_id=body_id, plan__status=YearPlanStatus.APPROVED, round__isnull=True
        )
        .select_related("plan")
        .order_by("plan__year", "position")
    )


def plan_round_matching(
    candidates: Iterable[YearPlanRound],
    *,
    start: dt.date | None,
    end: dt.date | None,
    theme: str,
) -> YearPlanRound | None:
    """The planned round a new round carries out: the one with the same dates, or else the one
    of the same year with the same theme; none when nothing or more than one matches."""
    rows = list(candidates)
    same_dates = [r for r in rows if start and r.start == start and r.end == end]
    if len(same_dates) == 1:
        return same_dates[0]
    theme = theme.strip()
    same_theme = [
        r for r in rows if theme and r.theme == theme and start and r.plan.year == start.year
    ]
    return same_theme[0] if len(same_theme) == 1 else None
