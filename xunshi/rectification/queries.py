"""Read-side questions about the ledger: the feedback date, the items with their progress,
the deadline warnings of its items, the warned items across all ledgers for the supervision
page (督办), the published disclosure and the teams that may look back (回头看).

A warning is computed from an open item's deadline and the active deadline rules, never
stored: green from `warning_thresholds()`'s green days before the deadline, yellow from its
yellow days, red once overdue. A closed (销号) item or one without a deadline has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast, overload

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from xunshi.deadlines.rules import warning_level, warning_thresholds
from xunshi.registry.models import OrgUnit
from xunshi.rounds.list_filters import Filters
from xunshi.rounds.models import Inspection, Stage, Team

from .models import OPEN_STATUSES, Disclosure, ItemStatus, ProgressReport, RectificationItem

__all__ = [
    "LEVEL_TEXT",
    "LeaderGroup",
    "SupervisedUnits",
    "UnitGroup",
    "Warned",
    "is_later_round",
    "item_page_number",
    "item_warnings",
    "later_teams",
    "ledger_items",
    "ledger_list",
    "ledger_rows",
    "level_filter",
    "published_disclosure",
    "supervision_groups",
    "supervision_items",
    "supervision_units",
    "teams_of_other_rounds",
    "village_items",
    "village_ledgers",
    "village_page_items",
    "village_townships",
    "warned_items",
]

# The words the documents print; the pages translate them.
LEVEL_TEXT = {"red": "已逾期", "yellow": "临近时限", "green": "即将到期"}


# --- the list of ledgers (/rectification/) ------------------------------------------------------


def _items_where(q: Q) -> Exists:
    return Exists(RectificationItem.objects.filter(q, inspection=OuterRef("pk")))


def ledger_list(
    inspections: QuerySet[Inspection],
    filters: Filters,
    *,
    today: dt.date,
    thresholds: tuple[int, int],
) -> QuerySet[Inspection]:
    """The ledgers (inspections) of the list that pass the filters, newest round first: of a
    round, a stage, a unit; with an item of a warning colour, of a status ("open" or an
    `ItemStatus`), with a deadline in the dates, overdue (a red item). Ids only: the page's
    rows are counted by `ledger_rows`."""
    qs = inspections
    if filters.round_id:
        qs = qs.filter(round_id=filters.round_id)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.unit_id:
        qs = qs.filter(target_id=filters.unit_id)
    if filters.colour:
        qs = qs.filter(_items_where(level_filter(filters.colour, today, thresholds)))
    if filters.overdue:
        qs = qs.filter(_items_where(level_filter("red", today, thresholds)))
    if filters.status == "open":
        qs = qs.filter(_items_where(Q(status__in=OPEN_STATUSES)))
    elif filters.status:
        qs = qs.filter(_items_where(Q(status=filters.status)))
    if filters.start or filters.end:
        due = Q(deadline__isnull=False)
        if filters.start:
            due &= Q(deadline__gte=filters.start)
        if filters.end:
            due &= Q(deadline__lte=filters.end)
        qs = qs.filter(_items_where(due))
    return qs.order_by("-round__start", "round_id", "team__number", "pk")


def ledger_rows(ids: list[int], *, today: dt.date, thresholds: tuple[int, int]) -> list[Any]:
    """The ledgers of one page (or of an export), in the given order, each with its items
    counted in one GROUP BY: total, closed, and the open ones red, yellow and green (the
    annotations `total`, `closed`, `red`, `yellow`, `green` of each `Inspection`)."""
    counted = {
        i.pk: i
        for i in Inspection.objects.filter(pk__in=ids)
        .select_related("round", "team", "target")
        .annotate(
            total=Count("rectification_items"),
            closed=Count(
                "rectification_items", filter=Q(rectification_items__status=ItemStatus.CLOSED)
            ),
            **{
                colour: Count(
                    "rectification_items",
                    filter=_prefixed(level_filter(colour, today, thresholds)),
                )
                for colour in ("red", "yellow", "green")
            },
        )
    }
    return [counted[pk] for pk in ids]


def _prefixed(q: Q) -> Q:
    """An item filter as a filter of the inspection's items (``rectification_items__…``)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child))
        else:
            key, value = cast(tuple[str, Any], child)
            out.children.append((f"rectification_items__{key}", value))
    return out


def ledger_items(inspection: Inspection) -> QuerySet[RectificationItem]:
    """The inspection's items in order, each with its progress reports and their files (the
    reports are read for the items of a page when the page is sliced, in two queries)."""
    progress = (
        ProgressReport.objects.select_related("reported_by")
        .prefetch_related("attachments")
        .order_by("reported_on", "id")
    )
    return (
        inspection.rectification_items.select_related(
            "closed_by", "carried_from__inspection__round"
        )
        .prefetch_related(Prefetch("progress", queryset=progress))
        .order_by("seq")
    )


def item_page_number(item: RectificationItem, per_page: int) -> int:
    """The number of the ledger's page that shows the item (its items in order of `seq`)."""
    before = RectificationItem.objects.filter(
        inspection_id=item.inspection_id, seq__lt=item.seq
    ).count()
    return before // per_page + 1


def published_disclosure(inspection: Inspection) -> Disclosure | None:
    """The disclosure published for the inspection, if any."""
    return Disclosure.objects.filter(inspection=inspection).first()


def is_later_round(team: Team, parent: Inspection) -> bool:
    """Whether the team belongs to a round after the parent inspection's."""
    mine, theirs = team.round, parent.round
    if mine.pk == theirs.pk:
        return False
    if mine.start and theirs.start:
        return mine.start > theirs.start
    return (mine.term.start, mine.ordinal) > (theirs.term.start, theirs.ordinal)


def teams_of_other_rounds(inspection: Inspection) -> QuerySet[Team]:
    """The teams of every round of the inspection's body but the inspection's own."""
    return Team.objects.filter(round__body_id=inspection.round.body_id).exclude(
        round_id=inspection.round_id
    )


def later_teams(inspection: Inspection) -> QuerySet[Team]:
    """The teams of the rounds after the inspection's (`is_later_round`, in SQL): those that
    may look back at it, with their rounds for the labels."""
    theirs = inspection.round
    by_term = Q(round__term__start__gt=theirs.term.start) | Q(
        round__term__start=theirs.term.start, round__ordinal__gt=theirs.ordinal
    )
    later = by_term
    if theirs.start:
        later = Q(round__start__gt=theirs.start) | (Q(round__start__isnull=True) & by_term)
    return (
        teams_of_other_rounds(inspection)
        .filter(later)
        .select_related("round")
        .order_by("round__start", "round_id", "number")
    )


def item_warnings(
    items: Iterable[RectificationItem], today: dt.date, thresholds: tuple[int, int] | None = None
) -> dict[int, str]:
    """Item id → "red" | "yellow" | "green" | "" for the given items on `today`."""
    thresholds = thresholds or warning_thresholds()
    out = {}
    for item in items:
        level = ""
        if item.status in OPEN_STATUSES and item.deadline:
            level = warning_level(item.deadline, today, thresholds=thresholds)
        out[item.pk] = level
    return out


@dataclass(frozen=True)
class Warned:
    item: RectificationItem
    level: str
    days_left: int  # negative once overdue

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def tag_text(self) -> str:
        """逾期N天 or 剩余N天, as the supervision page and its export print the warning."""
        if self.level == "red":
            return _("逾期%(n)s天") % {"n": self.days_overdue}
        return _("剩余%(n)s天") % {"n": self.days_left}

    @property
    def status_text(self) -> str:
        """The item's status as the page shows it: `get_status_display` builds a dict of the
        lazily translated choices at every call, 0.07 ms an item on a page of 160."""
        return str(_STATUS_TEXT.get(self.item.status, self.item.status))


_STATUS_TEXT = dict(ItemStatus.choices)


def _open_items() -> QuerySet[RectificationItem]:
    return (
        RectificationItem.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False)
        .exclude(inspection__stage=Stage.CANCELLED)
        .select_related("inspection__target", "inspection__round", "inspection__team")
        .order_by("deadline", "inspection_id", "seq")
    )


def warned_items(
    today: dt.date, *, inspections: QuerySet[Inspection] | None = None
) -> list[Warned]:
    """The open items that are red (overdue) or yellow on `today`, most urgent first; of the
    given inspections only, when some are given."""
    thresholds = warning_thresholds()
    warned = level_filter("red", today, thresholds) | level_filter("yellow", today, thresholds)
    qs = _open_items().filter(warned)
    if inspections is not None:
        qs = qs.filter(inspection__in=inspections)
    out = []
    for item in qs:
        assert item.deadline is not None
        level = warning_level(item.deadline, today, thresholds=thresholds)
        if level in ("red", "yellow"):
            out.append(Warned(item=item, level=level, days_left=(item.deadline - today).days))
    out.sort(key=lambda w: (w.level != "red", w.item.deadline, w.item.seq))
    return out


@dataclass
class LeaderGroup:
    leader: str
    rows: list[Warned]


@dataclass
class UnitGroup:
    inspection: Inspection
    leaders: list[LeaderGroup]
    red: int
    yellow: int


def _supervised(filters: Filters, today: dt.date, thresholds: tuple[int, int]) -> Q:
    """The items the supervision page shows under the filters: red or yellow (or the colour
    asked for), of a status, with a deadline in the dates."""
    if filters.overdue:
        q = level_filter("red", today, thresholds)
    elif filters.colour:
        q = level_filter(filters.colour, today, thresholds)
    else:
        q = level_filter("red", today, thresholds) | level_filter("yellow", today, thresholds)
    if filters.status:
        q &= Q(status=filters.status)
    if filters.start:
        q &= Q(deadline__gte=filters.start)
    if filters.end:
        q &= Q(deadline__lte=filters.end)
    return q


def _supervised_units(inspections: QuerySet[Inspection], filters: Filters) -> QuerySet[Inspection]:
    qs = inspections.exclude(stage=Stage.CANCELLED)
    if filters.round_id:
        qs = qs.filter(round_id=filters.round_id)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.unit_id:
        qs = qs.filter(target_id=filters.unit_id)
    return qs


def supervision_units(
    inspections: QuerySet[Inspection],
    filters: Filters,
    *,
    today: dt.date,
    thresholds: tuple[int, int],
) -> SupervisedUnits:
    """The units (inspections) with warned items under the filters, the most red items first,
    each counted in SQL (`red`, `yellow`): the supervision page's rows, paged by unit."""
    shown = _supervised(filters, today, thresholds)
    qs = _supervised_units(inspections, filters).filter(_items_where(shown))
    # The warned units' ids first (a province has about 1,500 of 20,000 ledgers): as a
    # subquery, the planner took them for nearly all and joined every ledger to its unit and
    # round before keeping them. Each unit's counts then read only its warned open items (the
    # partial index by ledger and deadline), not every item of every ledger joined and grouped.
    warned = list(qs.order_by().values_list("pk", flat=True))
    counted = (
        Inspection.objects.filter(pk__in=warned)
        .annotate(
            red=_items_counted(shown & level_filter("red", today, thresholds)),
            yellow=_items_counted(shown & level_filter("yellow", today, thresholds)),
        )
        .order_by("-red", "-yellow", "target__name", "pk")
        .values_list("pk", "red", "yellow")
    )
    return SupervisedUnits(list(counted))


def _items_counted(q: Q) -> Coalesce:
    """How many of the inspection's items pass `q`, as a column of an inspection query."""
    counted = (
        RectificationItem.objects.filter(q, inspection=OuterRef("pk"))
        .order_by()
        .values("inspection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SupervisedUnits(Sequence[Inspection]):
    """The units of `supervision_units` in order, their counts read once for all of them (the
    page's heading sums them, its paginator counts them), the inspections loaded a slice at a
    time (a page shows twenty of a province's 1,500), each with its `red` and `yellow`."""

    def __init__(self, rows: list[tuple[int, int, int]]) -> None:
        self.rows = rows  # (inspection id, red, yellow)

    @property
    def totals(self) -> tuple[int, int]:
        """The red and yellow items of every unit: the page's heading."""
        return sum(r for _, r, _ in self.rows), sum(y for _, _, y in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Inspection: ...

    @overload
    def __getitem__(self, index: slice) -> list[Inspection]: ...

    def __getitem__(self, index: int | slice) -> Inspection | list[Inspection]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        part = self.rows[index]
        loaded = Inspection.objects.select_related("round", "team", "target").in_bulk(
            [pk for pk, _, _ in part]
        )
        out = []
        for pk, red, yellow in part:
            unit = loaded[pk]
            unit.red, unit.yellow = red, yellow  # type: ignore[attr-defined]
            out.append(unit)
        return out

    def __iter__(self) -> Iterator[Inspection]:
        for start in range(0, len(self.rows), 500):
            yield from self[start : start + 500]


def supervision_items(
    units: list[Inspection],
    filters: Filters,
    *,
    today: dt.date,
    thresholds: tuple[int, int],
) -> list[UnitGroup]:
    """The warned items of the given units (a page of `supervision_units`), by unit in the
    given order and by responsible leader, most urgent first; each unit with its 督办函
    (one query for the page, not one per unit)."""
    prefetch_related_objects(units, "supervision_notices")
    items = (
        RectificationItem.objects.filter(inspection__in=units)
        .filter(_supervised(filters, today, thresholds))
        .order_by("deadline", "seq")
    )
    by_unit: dict[int, list[Warned]] = {u.pk: [] for u in units}
    for item in items:
        assert item.deadline is not None
        level = warning_level(item.deadline, today, thresholds=thresholds)
        by_unit[item.inspection_id].append(
            Warned(item=item, level=level, days_left=(item.deadline - today).days)
        )
    out = []
    for unit in units:
        rows = by_unit[unit.pk]
        rows.sort(key=lambda w: (w.level != "red", w.item.deadline, w.item.seq))
        for w in rows:
            w.item.inspection = unit  # the unit is loaded already, with its round and team
        leaders: dict[str, list[Warned]] = {}
        for w in rows:
            leaders.setdefault(w.item.responsible_leader or "", []).append(w)
        out.append(
            UnitGroup(
                inspection=unit,
                leaders=[LeaderGroup(leader, ws) for leader, ws in sorted(leaders.items())],
                red=sum(w.level == "red" for w in rows),
                yellow=sum(w.level == "yellow" for w in rows),
            )
        )
    return out


def supervision_groups(warned: list[Warned]) -> list[UnitGroup]:
    """The warned items by unit (each inspection of a target) and responsible leader, the
    units with the most red items first."""
    units: dict[int, dict[str, list[Warned]]] = {}
    inspections: dict[int, Inspection] = {}
    for w in warned:
        insp = w.item.inspection
        inspections[insp.pk] = insp
        units.setdefault(insp.pk, {}).setdefault(w.item.responsible_leader or "", []).append(w)
    out = []
    for pk, by_leader in units.items():
        rows = [w for ws in by_leader.values() for w in ws]
        out.append(
            UnitGroup(
                inspection=inspections[pk],
                leaders=[LeaderGroup(leader, ws) for leader, ws in sorted(by_leader.items())],
                red=sum(w.level == "red" for w in rows),
                yellow=sum(w.level == "yellow" for w in rows),
            )
        )
    out.sort(key=lambda u: (-u.red, -u.yellow, u.inspection.target.name))
    return out


# --- the village ledger (村级整改台账) ------------------------------------------------------------


def village_ledgers(inspections: QuerySet[Inspection]) -> dict[int, int | None]:
    """The inspections (the user's village ledgers: a county's few hundred or few thousand),
    each with its village's township, in one query. The village ledger reads its townships,
    its count and its page through them, a list the planner weighs by the index, rather than
    nesting the access query, with its unions and joins, in each of them."""
    return dict(inspections.order_by().values_list("pk", "target__parent_id"))


def village_townships(ledgers: dict[int, int | None]) -> list[OrgUnit]:
    """The townships whose villages have one of the ledgers, by code."""
    parents = {pk for pk in ledgers.values() if pk is not None}
    return list(OrgUnit.objects.filter(pk__in=parents).order_by("code"))


def level_filter(level: str, today: dt.date, thresholds: tuple[int, int]) -> Q:
    """The open items of that warning level on `today`, as a filter (`warning_level` in SQL):
    red once overdue, yellow within the yellow days, green within the green days."""
    green, yellow = thresholds
    open_ = Q(status__in=OPEN_STATUSES, deadline__isnull=False)
    edge = today + dt.timedelta(yellow)
    if level == "red":
        return open_ & Q(deadline__lt=today)
    if level == "yellow":
        return open_ & Q(deadline__gte=today, deadline__lte=edge)
    if level == "green":
        return open_ & Q(deadline__gt=edge, deadline__lte=today + dt.timedelta(green))
    raise ValueError(f"unknown warning level {level!r}")


def village_items(
    ledgers: dict[int, int | None],
    *,
    today: dt.date,
    thresholds: tuple[int, int],
    township: OrgUnit | None = None,
    status: str = "",
    level: str = "",
) -> QuerySet[RectificationItem]:
    """The items of the village ledgers (`village_ledgers`), one row each, by township,
    village and number; of one township, by status ("open" or an `ItemStatus`) or by warning
    level (under `thresholds`) when asked. Counted and paged by the caller in SQL, by id
    (sorting ids, not whole rows), and the page's items loaded by `village_page_items`."""
    items = RectificationItem.objects.filter(inspection_id__in=list(ledgers))
    if township is not None:
        items = items.filter(inspection__target__parent=township)
    if status == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif status:
        items = items.filter(status=status)
    if level:
        items = items.filter(level_filter(level, today, thresholds))
    return items.order_by(
        "inspection__target__parent__code", "inspection__target__code", "inspection_id", "seq"
    )


def village_page_items(ids: list[int]) -> list[RectificationItem]:
    """The items of one page of the village ledger, in the page's order, each with its
    village, township and round."""
    items = RectificationItem.objects.select_related(
        "inspection__target__parent", "inspection__round"
    ).in_bulk(ids)
    return [items[pk] for pk in ids]
