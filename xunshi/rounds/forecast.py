"""The coverage forecast for the rest of a term: the term problem built from the registry.

Every in-scope organization not yet covered in the term goes into one of the remaining rounds
(``planner.term``), riskier ones earlier. The remaining rounds are the term's rounds that have
no inspection yet, then as many new rounds as the term has room for at ``rounds_per_year``.
A last pseudo-round, 超出本届, takes whatever cannot fit, so that the forecast names those
organizations instead of only saying that the plan is infeasible (see _overflow_rounds).

Risk (0–100) is a documented rule, not a model: 20 points a year since the last inspection,
at most 80 (never inspected: 80), plus 20 for a poverty county (贫困县).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from planner.term import TermPlan, TermProblem, TermRound, TermTarget, solve_term
from xunshi.audit.models import AuditEvent
from xunshi.registry.models import Sector, Term

from .models import DONE_STAGES, ForecastResult, Inspection, Round
from .queries import tagged, term_coverage, term_scope

__all__ = [
    "OVERFLOW",
    "Forecast",
    "ForecastParams",
    "forecast_from_json",
    "forecast_key",
    "forecast_term",
    "forecast_to_json",
    "risk_of",
    "stored_forecast",
]

OVERFLOW = "overflow"


@dataclass(frozen=True)
class ForecastParams:
    rounds_per_year: int = 2
    capacity: int = 39
    max_sectors_per_round: int | None = None
    year_minimum: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.rounds_per_year <= 6:
            raise ValidationError(_("每年轮次应在1到6之间。"))
        if not 1 <= self.capacity <= 5000:
            raise ValidationError(_("每轮对象数应在1到5000之间。"))
        if self.max_sectors_per_round is not None and self.max_sectors_per_round < 1:
            raise ValidationError(_("每轮板块数至少为1。"))
        if self.year_minimum < 0:
            raise ValidationError(_("每年最少巡视对象数不能为负。"))


@dataclass(frozen=True)
class ForecastRound:
    """One round of the forecast: the organizations it takes as the planner's targets (code as
    ``id``, sector, risk), riskiest first, never built as registry rows."""

    id: str
    label: str
    year: int
    orgs: Sequence[TermTarget]

    def by_sector(self, sectors: list[tuple[str, str]]) -> list[int]:
        """How many of each sector, in the order of `sectors`."""
        if isinstance(self.orgs, StoredTargets):
            n = self.orgs.sector_counts()
        else:
            n = Counter(o.sector for o in self.orgs)
        return [n[code] for code, _label in sectors]


class StoredTargets(Sequence[TermTarget]):
    """A kept forecast's targets as the three columns it stores (codes, sectors, risks), each
    built as a `TermTarget` only when read: a country's forecast holds about 100,000 of them,
    building them all took 0.35 s a page, and a page shows 50. Flat columns, not a list per
    target, also spare the JSON decoder 100,000 lists (and the collector their pauses)."""

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        self.codes: list[str] = columns["codes"]
        self.sectors: list[str] = columns["sectors"]
        self.risks: list[int] = columns["risks"]

    @classmethod
    def columns(cls, targets: Sequence[TermTarget]) -> dict[str, list[Any]]:
        """The columns `StoredTargets` is built from."""
        return {
            "codes": [t.id for t in targets],
            "sectors": [t.sector for t in targets],
            "risks": [t.risk for t in targets],
        }

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> TermTarget: ...

    @overload
    def __getitem__(self, index: slice) -> list[TermTarget]: ...

    def __getitem__(self, index: int | slice) -> TermTarget | list[TermTarget]:
        if isinstance(index, slice):
            columns = self.codes[index], self.sectors[index], self.risks[index]
            return [TermTarget(*row) for row in zip(*columns, strict=True)]
        return TermTarget(self.codes[index], self.sectors[index], self.risks[index])

    def sector_counts(self) -> Counter[str]:
        return Counter(self.sectors)


@dataclass(frozen=True)
class Forecast:
    plan: TermPlan
    rounds: list[ForecastRound]
    overflow: Sequence[TermTarget]
    sectors: list[tuple[str, str]]

    def round_of(self, rid: str) -> ForecastRound | None:
        """The round `rid` (超出本届 as OVERFLOW), or None."""
        if rid == OVERFLOW:
            return ForecastRound(OVERFLOW, _("本届排不下的单位"), 0, self.overflow)
        return next((r for r in self.rounds if r.id == rid), None)

    def chart(self) -> dict[str, Any]:
        """An ECharts option: targets per round, stacked by sector."""
        names = [r.label for r in self.rounds]
        series = [
            {
                "name": label,
                "type": "bar",
                "stack": "n",
                "data": [r.by_sector(self.sectors)[k] for r in self.rounds],
            }
            for k, (_code, label) in enumerate(self.sectors)
        ]
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 40, "right": 16, "top": 40, "bottom": 30},
            "xAxis": {"type": "category", "data": names},
            "yAxis": {"type": "value", "name": _("单位数")},
            "series": series,
        }


def risk_of(poor: bool, last_end: dt.date | None, today: dt.date) -> int:
    """20 a year since the last inspection, at most 80 (80 if never), +20 for a poverty county
    (tagged 贫困县)."""
    base = 80 if last_end is None else min(80, 20 * max(0, (today - last_end).days // 365))
    if poor:
        base += 20
    return min(100, base)


def _future_rounds(
    term: Term, params: ForecastParams, today: dt.date
) -> list[tuple[str, str, int]]:
    """(id, label, year) of the rounds still to come in the term, in time order: the term's
    rounds without any inspection yet, then new ones in the year slots not yet begun."""
    planned = [r for r in term.rounds.order_by("ordinal") if not r.inspections.exists()]
    out = [(f"R{r.ordinal}", r.name, (r.start or today).year, r.ordinal) for r in planned]
    taken = Counter(year for _i, _l, year, _o in out)
    last = term.rounds.order_by("-ordinal").first()
    ordinal = last.ordinal if last else 0
    for year in range(today.year, term.end.year + 1):
        # A year has rounds_per_year slots; this year's slots that have begun are gone.
        begun = math.ceil(today.month * params.rounds_per_year / 12) if year == today.year else 0
        for _slot in range(max(0, params.rounds_per_year - begun - taken[year])):
            ordinal += 1
            label = _("第%(n)d轮（%(y)d年，预测）") % {"n": ordinal, "y": year}
            out.append((f"R{ordinal}", label, year, ordinal))
    out.sort(key=lambda r: (r[2], r[3]))
    return [(i, label, year) for i, label, year, _o in out]


def _overflow_rounds(
    targets: tuple[TermTarget, ...], params: ForecastParams, year: int
) -> list[TermRound]:
    """The pseudo-rounds after the term that take what cannot fit.

    One round when sectors mix, which keeps the forecast exact. When sectors rotate, one per
    sector, since a single one would be held to the same sector limit; their positions then
    differ by sector, a small distortion of which organizations are left over (the rounds of
    the term are still filled in risk order)."""
    if params.max_sectors_per_round is None:
        return [TermRound(OVERFLOW, year, max(1, len(targets)))]
    sizes = Counter(t.sector for t in targets)
    return [
        TermRound(f"{OVERFLOW}:{sector}", year, n, (sector,))
        for sector, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def forecast_term(term: Term, params: ForecastParams, *, today: dt.date | None = None) -> Forecast:
    """Solve the term problem for the uncovered organizations of the term."""
    today = today or timezone.localdate()
    cov = term_coverage(term, today=today)
    rounds = _future_rounds(term, params, today)
    # Codes, sectors and tags only: a country's registry is too large to build as objects.
    targets = tuple(
        TermTarget(code, sector, risk_of(tagged(tags, "贫困县"), last_end, today))
        for code, sector, tags, last_end in cov.uncovered.facts()
    )
    orgs = {t.id: t for t in targets}
    years = sorted({y for _id, _l, y in rounds})
    problem = TermProblem(
        name=f"{term.name}全覆盖预测",
        rounds=(
            *(TermRound(i, y, params.capacity) for i, _l, y in rounds),
            *_overflow_rounds(targets, params, term.end.year + 1),
        ),
        year_minimum=tuple((str(y), params.year_minimum) for y in years if params.year_minimum),
        max_sectors_per_round=params.max_sectors_per_round,
        targets=targets,
    )
    plan = solve_term(problem, time_limit_s=20.0, seed=0)
    placed = dict(plan.rounds)
    labels = {i: label for i, label, _y in rounds}

    def riskiest_first(codes: tuple[str, ...] | list[str]) -> list[TermTarget]:
        return sorted((orgs[c] for c in codes), key=lambda t: (-t.risk, t.id))

    out_rounds = [
        ForecastRound(i, labels[i], y, riskiest_first(placed.get(i, ()))) for i, _l, y in rounds
    ]
    overflow = riskiest_first(
        [c for rid, codes in plan.rounds if rid.startswith(OVERFLOW) for c in codes]
    )
    used = {o.sector for r in out_rounds for o in r.orgs} | {o.sector for o in overflow}
    sectors = [(s, str(label)) for s, label in Sector.choices if s in used]
    return Forecast(plan, out_rounds, overflow, sectors)


# --- the kept forecasts ------------------------------------------------------------------------

# The layout of a kept forecast (`forecast_to_json`), part of its key: a forecast kept in an
# older layout is solved again rather than misread. 2: targets as columns.
FORECAST_FORMAT = 2

# The registry's changes that can move an organization in or out of the term's scope, or change
# its sector or tags (the audit trail's index on (action, id) finds the newest of each).
_REGISTRY_CHANGES = ("registry.org.create", "registry.org.update", "registry.import.finish")


def forecast_key(term: Term, params: ForecastParams, today: dt.date) -> str:
    """A digest of everything the forecast is solved from: the term, the parameters, the day
    (risks age with it), the language of the labels, and a version of the inputs in three
    aggregate queries, each an index's worth of rows, never the uncovered organizations
    themselves: the inspections of the body's organizations (how many, the newest, how many
    done, with an end, the latest end), the term's rounds (how many, the newest, their latest
    start, how many inspected) and the registry (how many in scope, the newest, its newest
    change in the audit trail, one index step per kind of change)."""
    done = Q(counts_for_coverage=True, stage__in=DONE_STAGES)
    inspections = Inspection.objects.filter(target__body_id=term.body_id).aggregate(
        n=Count("pk"),
        top=Max("pk"),
        done=Count("pk", filter=done),
        ended=Count("end", filter=done),
        last=Max("end", filter=done),
    )
    rounds = Round.objects.filter(term=term).aggregate(
        n=Count("pk", distinct=True),
        top=Max("pk"),
        start=Max("start"),
        inspected=Count("pk", filter=Q(inspections__isnull=False), distinct=True),
    )
    registry = term_scope(term).aggregate(n=Count("pk"), top=Max("pk"))
    # One backward step of the (action, id) index per action, whatever the trail's length.
    changed = [
        AuditEvent.objects.filter(action=action).order_by("-pk").values_list("pk").first()
        for action in _REGISTRY_CHANGES
    ]
    facts = [
        FORECAST_FORMAT,
        term.pk,
        term.end,
        params.rounds_per_year,
        params.capacity,
        params.max_sectors_per_round,
        params.year_minimum,
        today,
        get_language(),
        sorted(inspections.items()),
        sorted(rounds.items()),
        sorted(registry.items()),
        changed,
    ]
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def forecast_to_json(forecast: Forecast) -> dict[str, Any]:
    """The forecast as the JSON a `ForecastResult` keeps: the plan's figures, the rounds with
    their targets as columns of codes, sectors and risks (`StoredTargets`), riskiest first,
    what is left over and the sectors."""
    plan = forecast.plan
    return {
        "plan": {
            "status": plan.status,
            "objective": plan.objective,
            "bound": plan.bound,
            "seconds": plan.seconds,
            "solver": [list(p) for p in plan.solver],
            "explanation": list(plan.explanation),
        },
        "rounds": [[r.id, r.label, r.year, StoredTargets.columns(r.orgs)] for r in forecast.rounds],
        "overflow": StoredTargets.columns(forecast.overflow),
        "sectors": [list(s) for s in forecast.sectors],
    }


def forecast_from_json(data: dict[str, Any]) -> Forecast:
    """The forecast a `ForecastResult` keeps (`forecast_to_json`). The plan's rounds are not
    kept: the forecast's own rounds say the same."""
    p = data["plan"]
    rounds = [
        ForecastRound(i, label, year, StoredTargets(targets))
        for i, label, year, targets in data["rounds"]
    ]
    plan = TermPlan(
        status=p["status"],
        objective=p["objective"],
        bound=p["bound"],
        seconds=p["seconds"],
        rounds=(),
        solver=tuple((a, b) for a, b in p["solver"]),
        explanation=tuple(p["explanation"]),
    )
    overflow = StoredTargets(data["overflow"])
    return Forecast(plan, rounds, overflow, [(a, b) for a, b in data["sectors"]])


def stored_forecast(key: str) -> tuple[Forecast, dt.datetime] | None:
    """The forecast kept under `key` and when it was solved, or None."""
    row = ForecastResult.objects.filter(key=key).first()
    return (forecast_from_json(row.result), row.computed_at) if row else None
