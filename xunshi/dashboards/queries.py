"""The figures of the dashboards: one table per chart, counted in SQL over the scope.

Each function takes a `Scope` (access.py) and returns `Figures`: the title, the header and the
rows of the table printed beside the chart. The chart is drawn from those rows (charts.py) and
the Excel download writes the same rows, so the chart, the table and the workbook cannot
disagree. Every count is one aggregate query (or two), whatever the number of rows counted.

What is counted, and from which date:
- coverage: the term's in-scope organizations (`term_coverage`), by sector; not narrowed by
  the round, since coverage is the term's;
- problems: the report's problems of the inspections in scope, by the first level of their
  working paper's classification, and by the sector of the inspected organization;
- the ledger: an item opens on the day of its inspection's feedback (the start of the
  rectification plan's due, else the day the team left) and closes on its 销号 day; the
  colour of the items still open at each month's end (today for the running month) is
  `warning_level`'s, from each item's current deadline. Items carried into a look-back are
  counted once, as their original;
- clues: the transferred clues, by recipient, reported back on time, late, or not yet; those
  not reported back by the time since their transfer;
- petitions: by channel and by category;
- team workloads: the round's teams, their targets, talks, petitions and working papers;
- the year's plan: the approved plan of the chosen year against its execution
  (`year_plan_execution`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from xunshi.fieldwork.models import (
    Petition,
    PetitionCategory,
    PetitionChannel,
    Talk,
    TaxonomyItem,
    WorkingPaper,
)
from xunshi.findings.models import Clue, ClueRecipient, DueKey, Problem
from xunshi.rectification.models import RectificationItem
from xunshi.registry.models import Sector
from xunshi.rounds.models import Inspection, Team, TeamMembership, TeamRole
from xunshi.rounds.queries import term_coverage
from xunshi.rounds.yearplan_queries import current_year_plan, year_plan_execution

from .access import Scope

__all__ = ["FIGURES", "Counted", "Figures", "counted_figures", "figures_of"]


@dataclass(frozen=True)
class Figures:
    """A chart's table: what the page prints, the chart draws and the workbook holds."""

    key: str
    title: str
    head: list[str]
    rows: list[list[Any]]
    note: str = ""
    # Which columns the chart draws (indexes into head, after the first, the category).
    series: list[int] = field(default_factory=list)


def _percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


# --- coverage ---------------------------------------------------------------------------------


def coverage(scope: Scope) -> Figures:
    head = [_("板块"), _("单位数"), _("已覆盖"), _("未覆盖"), _("覆盖率（%）")]
    rows: list[list[Any]] = []
    note = _("尚未设立届次。")
    if scope.term is not None:
        cov = term_coverage(scope.term, today=scope.today)
        rows = [
            [str(s.label), s.total, s.covered, s.total - s.covered, _percent(s.covered, s.total)]
            for s in cov.sectors
        ]
        note = _("%(term)s纳入巡视范围的单位，按板块统计；不随轮次筛选。") % {
            "term": scope.term.name
        }
    return Figures("coverage", _("全覆盖情况"), head, rows, note, series=[2, 3])


# --- problems ---------------------------------------------------------------------------------


def _problems(scope: Scope) -> QuerySet[Problem]:
    return Problem.objects.filter(inspection__in=scope.inspections).order_by()


def _problem_counts(scope: Scope) -> list[tuple[int, str, int]]:
    """The scope's problems counted by (classification item, sector of the inspected
    organization): one pass over the problems, read by both problem charts."""
    if "problems" not in scope.memo:
        scope.memo["problems"] = list(
            _problems(scope)
            .values_list("paper__category", "inspection__target__sector")
            .annotate(n=Count("pk"))
        )
    return list(scope.memo["problems"])


def problems_by_taxonomy(scope: Scope) -> Figures:
    per_item: Counter[int] = Counter()
    for category, _sector, n in _problem_counts(scope):
        per_item[category] += n
    # The items of the taxonomies involved (a few hundred at most), to climb to each first level.
    taxonomies = TaxonomyItem.objects.filter(pk__in=list(per_item)).values("taxonomy")
    items = {
        i["pk"]: i
        for i in TaxonomyItem.objects.filter(taxonomy__in=taxonomies).values(
            "pk", "parent_id", "code", "name", "position", "taxonomy__name"
        )
    }

    def first_level(pk: int) -> int:
        while items[pk]["parent_id"] is not None:
            pk = items[pk]["parent_id"]
        return pk

    counts: Counter[int] = Counter()
    for pk, n in per_item.items():
        counts[first_level(pk)] += n
    order = sorted(
        counts, key=lambda pk: (-counts[pk], items[pk]["taxonomy__name"], items[pk]["position"])
    )
    rows = [[items[pk]["name"], items[pk]["taxonomy__name"], counts[pk]] for pk in order]
    head = [_("一级分类"), _("分类体系"), _("问题（个）")]
    note = _("巡视报告所列问题，按问题底稿的问题分类归入其一级分类。")
    return Figures("problems_taxonomy", _("发现问题分类"), head, rows, note, series=[2])


def problems_by_sector(scope: Scope) -> Figures:
    targets = dict(
        scope.inspections.order_by()
        .values("target__sector")
        .annotate(n=Count("pk"))
        .values_list("target__sector", "n")
    )
    problems: Counter[str] = Counter()
    for _category, sector, n in _problem_counts(scope):
        problems[sector] += n
    rows = [
        [str(label), targets.get(value, 0), problems.get(value, 0)]
        for value, label in Sector.choices
        if targets.get(value) or problems.get(value)
    ]
    head = [_("板块"), _("巡视对象（个）"), _("问题（个）")]
    note = _("按被巡视单位所属板块统计。")
    return Figures("problems_sector", _("发现问题板块分布"), head, rows, note, series=[1, 2])


# --- the ledger over time ---------------------------------------------------------------------


def _month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def ledger_items(scope: Scope) -> QuerySet[RectificationItem]:
    """The ledger items of the scope, each with the day it opened (`opened_on`)."""
    # A join on the one rectification-plan due of the inspection (unique per key), not a
    # subquery: the month counts refer to opened_on dozens of times.
    plan_due = FilteredRelation(
        "inspection__dues", condition=Q(inspection__dues__key=DueKey.RECTIFICATION_PLAN)
    )
    return (
        RectificationItem.objects.filter(
            inspection__in=scope.inspections, carried_from__isnull=True
        )
        .annotate(plan_due=plan_due)
        .annotate(opened_on=Coalesce(F("plan_due__start"), F("inspection__end")))
        .order_by()
    )


# The days a ledger item is counted by (`opened_on` is `ledger_items`' annotation).
_DATES = ("opened_on", "closed_on", "deadline")


def _ledger_dates(scope: Scope) -> list[tuple[dt.date | None, dt.date | None, dt.date | None, int]]:
    """The scope's ledger items counted by (opened_on, closed_on, deadline): one GROUP BY in
    SQL, as many rows as distinct triples of days (a few per inspection), never one per item;
    the items closed before the first month (and opened before it) count in no month."""
    if not scope.months:
        return []
    return list(
        ledger_items(scope)
        .filter(
            Q(closed_on__isnull=True)
            | Q(closed_on__gte=scope.months[0])
            | Q(opened_on__gte=scope.months[0])
        )
        .values_list(*_DATES)
        .annotate(n=Count("pk"))
        .order_by()
    )


def rectification_by_month(scope: Scope) -> Figures:
    green, yellow = scope.thresholds
    groups = _ledger_dates(scope)
    rows = []
    for first in scope.months:
        last = min(_month_end(first), scope.today)
        amber_until = last + dt.timedelta(days=yellow)
        green_until = last + dt.timedelta(days=green)
        opened = closed = still_open = red = amber = fresh = 0
        for opened_on, closed_on, deadline, n in groups:
            if opened_on is not None and first <= opened_on <= last:
                opened += n
            if closed_on is not None and first <= closed_on <= last:
                closed += n
            if opened_on is None or opened_on > last or (closed_on and closed_on <= last):
                continue
            still_open += n
            # warning_level on `last`: red past the deadline, yellow within `yellow` days of
            # it, green within `green` days, none before.
            if deadline is None:
                continue
            if deadline < last:
                red += n
            elif deadline <= amber_until:
                amber += n
            elif deadline <= green_until:
                fresh += n
        rows.append(
            [
                _("%(y)s年%(m)s月") % {"y": first.year, "m": first.month},
                opened,
                closed,
                still_open,
                red,
                amber,
                fresh,
                still_open - red - amber - fresh,
            ]
        )
    head = [
        _("月份"),
        _("新增整改事项"),
        _("销号"),
        _("月末未销号"),
        _("其中红灯"),
        _("其中黄灯"),
        _("其中绿灯"),
        _("其中未到预警期"),
    ]
    note = _(
        "整改事项自反馈之日起计入，销号之日起不再计入；月末（本月为今天）未销号事项的红黄绿灯按其整改时限计算。"
    )
    return Figures("rectification", _("整改完成情况"), head, rows, note, series=[1, 2, 4, 5, 6, 7])


# --- clues ------------------------------------------------------------------------------------

# (label, fewest days, most days) since the transfer of a clue not yet reported back.
AGES: list[tuple[Any, int, int | None]] = [
    (gettext_lazy("3个月以内"), 0, 90),
    (gettext_lazy("3至6个月"), 91, 180),
    (gettext_lazy("6个月至1年"), 181, 365),
    (gettext_lazy("1年以上"), 366, None),
]


def _clue_counts(scope: Scope) -> dict[str, dict[str, int]]:
    """The transferred clues' counts by recipient: one query, read by both clue charts."""
    if "clues" not in scope.memo:
        scope.memo["clues"] = _count_clues(scope)
    return dict(scope.memo["clues"])


def _count_clues(scope: Scope) -> dict[str, dict[str, int]]:
    today = scope.today
    unreported = Q(disposal_reported_on__isnull=True)
    counts: dict[str, Any] = {
        "transferred": Count("pk"),
        "on_time": Count("pk", filter=Q(disposal_reported_on__lte=F("disposal_due"))),
        "late": Count("pk", filter=Q(disposal_reported_on__gt=F("disposal_due"))),
        "open": Count("pk", filter=unreported & ~Q(disposal_due__lt=today)),
        "overdue": Count("pk", filter=unreported & Q(disposal_due__lt=today)),
    }
    for i, (_label, fewest, most) in enumerate(AGES):
        age = Q(transferred_on__lte=today - dt.timedelta(days=fewest))
        if most is not None:
            age &= Q(transferred_on__gte=today - dt.timedelta(days=most))
        counts[f"age{i}"] = Count("pk", filter=unreported & age)
    rows = (
        Clue.objects.filter(inspection__in=scope.inspections, transferred_on__isnull=False)
        .order_by()
        .values("recipient")
        .annotate(**counts)
    )
    return {r["recipient"]: r for r in rows}


def clue_disposal(scope: Scope) -> Figures:
    got = _clue_counts(scope)
    keys = ["transferred", "on_time", "late", "open", "overdue"]
    rows = [
        [str(label)] + [got[value][k] for k in keys]
        for value, label in ClueRecipient.choices
        if value in got
    ]
    head = [
        _("移交单位"),
        _("已移交（件）"),
        _("按期反馈"),
        _("逾期反馈"),
        _("未反馈（未逾期）"),
        _("未反馈（已逾期）"),
    ]
    note = _("已移交的问题线索，按处置反馈期限统计截至今天的反馈情况。")
    return Figures("clue_disposal", _("问题线索处置情况"), head, rows, note, series=[2, 3, 4, 5])


def clue_ageing(scope: Scope) -> Figures:
    got = _clue_counts(scope)
    rows = [
        [str(label), got[value]["open"] + got[value]["overdue"]]
        + [got[value][f"age{i}"] for i in range(len(AGES))]
        for value, label in ClueRecipient.choices
        if value in got
    ]
    head = [_("移交单位"), _("未反馈（件）")] + [_("移交%(age)s") % {"age": a[0]} for a in AGES]
    note = _("尚未反馈处置情况的问题线索，按移交至今的时间分段。")
    return Figures("clue_ageing", _("未反馈线索账龄"), head, rows, note, series=[2, 3, 4, 5])


# --- petitions --------------------------------------------------------------------------------


def _petitions(scope: Scope, by: str) -> dict[str, int]:
    """The scope's petitions counted by `by` ("channel" or "category"), from one query by
    both, read by both petition charts."""
    if "petitions" not in scope.memo:
        scope.memo["petitions"] = list(
            Petition.objects.filter(inspection__in=scope.inspections)
            .order_by()
            .values_list("channel", "category")
            .annotate(n=Count("pk"))
        )
    out: Counter[str] = Counter()
    for channel, category, n in scope.memo["petitions"]:
        out[channel if by == "channel" else category] += n
    return dict(out)


def petitions_by_channel(scope: Scope) -> Figures:
    got = _petitions(scope, "channel")
    rows = [[str(label), got.get(value, 0)] for value, label in PetitionChannel.choices]
    head = [_("来源渠道"), _("信访件（件）")]
    return Figures("petitions_channel", _("信访件来源渠道"), head, rows, series=[1])


def petitions_by_category(scope: Scope) -> Figures:
    got = _petitions(scope, "category")
    rows = [[str(label), got.get(value, 0)] for value, label in PetitionCategory.choices]
    rows.append([_("未分类"), got.get("", 0)])
    head = [_("反映问题类别"), _("信访件（件）")]
    note = _("网络举报转来的信访件在巡视组分类前计为“未分类”。")
    return Figures("petitions_category", _("信访件反映问题类别"), head, rows, note, series=[1])


# --- team workloads ---------------------------------------------------------------------------


def _per_team(model: Any, inspections: QuerySet[Inspection]) -> Coalesce:
    rows = (
        model.objects.filter(inspection__in=inspections, inspection__team=OuterRef("pk"))
        .order_by()
        .values("inspection__team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def team_workloads(scope: Scope) -> Figures:
    head = [
        _("组别"),
        _("组长"),
        _("对象（个）"),
        _("个别谈话（人次）"),
        _("信访件（件）"),
        _("问题底稿（份）"),
    ]
    if scope.round is None:
        return Figures("workloads", _("各组工作量"), head, [], _("尚无轮次。"))
    mine = scope.inspections.filter(round=scope.round)
    targets = (
        mine.filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    leader = TeamMembership.objects.filter(team=OuterRef("pk"), role=TeamRole.LEADER).values(
        "cadre__name"
    )[:1]
    teams = (
        Team.objects.filter(round=scope.round)
        .annotate(
            targets=Coalesce(Subquery(targets, output_field=IntegerField()), 0),
            talks=_per_team(Talk, mine),
            petitions=_per_team(Petition, mine),
            papers=_per_team(WorkingPaper, mine),
            leader=Subquery(leader),
        )
        .order_by("number")
    )
    rows = [[t.name, t.leader or "—", t.targets, t.talks, t.petitions, t.papers] for t in teams]
    note = _("%(round)s各组的对象数和现场工作记录数。") % {"round": scope.round.name}
    return Figures("workloads", _("各组工作量"), head, rows, note, series=[2, 3, 4, 5])


# --- the year's plan ---------------------------------------------------------------------------


def year_plan(scope: Scope) -> Figures:
    """The approved year plan of the body for the chosen year (this year by default): per
    planned round and sector, the organizations planned, arranged and inspected."""
    head = [_("轮次与板块"), _("计划（个）"), _("已安排"), _("已完成"), _("完成率（%）")]
    year = scope.year or scope.today.year
    plan = current_year_plan(scope.term.body_id, year) if scope.term is not None else None
    if plan is None:
        note = _("%(year)s年没有经领导小组批准的年度计划。") % {"year": year}
        return Figures("year_plan", _("年度计划执行情况"), head, [], note)
    rows: list[list[Any]] = [
        [
            f"{r.round_name}·{r.sector_label}",
            r.planned,
            r.arranged,
            r.done,
            _percent(r.done, r.planned),
        ]
        for r in year_plan_execution(plan)
    ]
    note = _("%(year)s年度计划第%(version)s版：已安排指已组建巡视组的对象，已完成指已撤离。") % {
        "year": year,
        "version": plan.version,
    }
    return Figures("year_plan", _("年度计划执行情况"), head, rows, note, series=[1, 2, 3])


FIGURES: dict[str, Callable[[Scope], Figures]] = {
    "coverage": coverage,
    "problems_taxonomy": problems_by_taxonomy,
    "problems_sector": problems_by_sector,
    "rectification": rectification_by_month,
    "clue_disposal": clue_disposal,
    "clue_ageing": clue_ageing,
    "petitions_channel": petitions_by_channel,
    "petitions_category": petitions_by_category,
    "workloads": team_workloads,
    "year_plan": year_plan,
}


def figures_of(key: str, scope: Scope) -> Figures | None:
    """The figures of one chart, None for a key there is no chart of."""
    make = FIGURES.get(key)
    return make(scope) if make else None


@dataclass(frozen=True)
class Counted:
    """Every chart's figures of a page, and when they were counted."""

    figures: list[Figures]
    at: dt.datetime


def counted_figures(scope: Scope, *, reader: str) -> Counted:
    """Every chart's figures, kept in the cache for XUNSHI_DASHBOARD_CACHE_SECONDS under the
    reader (the body and role whose scope this is), the filters, the day and the language;
    counted afresh when the cache has none (always with DummyCache)."""
    key = ":".join(
        [
            "dashboards",
            reader,
            str(scope.round.pk if scope.round else ""),
            str(scope.year or ""),
            scope.today.isoformat(),
            str(get_language()),
        ]
    )
    got = cache.get(key)
    if isinstance(got, Counted):
        return got
    counted = Counted([make(scope) for make in FIGURES.values()], timezone.now())
    cache.set(key, counted, settings.XUNSHI_DASHBOARD_CACHE_SECONDS)
    return counted
