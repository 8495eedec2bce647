"""What each filing (报备) tells the body above: the summary it keeps, built from the records
as they stand when the stage changes.

Only counts, dates, names of units, teams and team leaders, and public titles go into a
summary. Never the text of a talk, petition, document request, working paper, clue, problem
or report, nor anything about a petitioner: the body above reads the summaries, not the
case records, and a summary is kept as it was filed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from xunshi.deadlines.rules import warning_thresholds
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.rectification.models import OPEN_STATUSES, ItemStatus
from xunshi.rounds.models import Inspection, InspectionKind, Round, Stage, TeamRole

__all__ = [
    "disclosure_summary",
    "feedback_summary",
    "plan_summary",
    "rectification_summary",
    "report_summary",
]


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _unit(insp: Inspection) -> dict[str, Any]:
    return {"target": insp.target.name, "team": insp.team.name}


def plan_summary(rnd: Round) -> dict[str, Any]:
    """The round and its teams as planned: per team its name, leader, size and targets."""
    teams = []
    targets = 0
    for team in rnd.teams.order_by("number").prefetch_related(
        "memberships__cadre", "inspections__target"
    ):
        leader = next(
            (m.cadre.name for m in team.memberships.all() if m.role == TeamRole.LEADER), ""
        )
        names = [
            i.target.name
            for i in sorted(team.inspections.all(), key=lambda i: (i.batch, i.pk))
            if i.stage != Stage.CANCELLED
        ]
        targets += len(names)
        teams.append(
            {
                "name": team.name,
                "leader": leader,
                "members": len(team.memberships.all()),
                "targets": names,
            }
        )
    return {
        "round": rnd.name,
        "term": rnd.term.name,
        "kind": str(InspectionKind(rnd.kind).label) if rnd.kind in InspectionKind.values else "",
        "theme": rnd.theme,
        "start": _day(rnd.start),
        "end": _day(rnd.end),
        "team_count": len(teams),
        "target_count": targets,
        "teams": teams,
    }


def _root_names(category_ids: set[int]) -> dict[int, str]:
    """Each category's top-level category (一级分类) by name."""
    taxonomies = TaxonomyItem.objects.filter(pk__in=category_ids).values("taxonomy_id")
    items = {
        i.pk: i
        for i in TaxonomyItem.objects.filter(taxonomy_id__in=taxonomies).only(
            "pk", "name", "parent_id"
        )
    }
    out = {}
    for pk in category_ids:
        item = items[pk]
        while item.parent_id is not None and item.parent_id in items:
            item = items[item.parent_id]
        out[pk] = item.name
    return out


def report_summary(insp: Inspection) -> dict[str, Any]:
    """The report as reviewed by the office: problems counted by top-level category, and how
    many clues were found (counts only)."""
    by_category = dict(
        insp.problems.order_by()
        .values("paper__category_id")
        .annotate(n=Count("pk"))
        .values_list("paper__category_id", "n")
    )
    names = _root_names(set(by_category))
    counted: dict[str, int] = {}
    for pk, n in by_category.items():
        counted[names[pk]] = counted.get(names[pk], 0) + n
    return {
        **_unit(insp),
        "problems": sum(by_category.values()),
        "categories": [
            {"name": name, "problems": n}
            for name, n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "clues": insp.clues.count(),
    }


def feedback_summary(insp: Inspection, on: dt.date) -> dict[str, Any]:
    """The day of the feedback and how many problems were fed back."""
    return {**_unit(insp), "feedback_on": _day(on), "problems": insp.problems.count()}


def rectification_summary(insp: Inspection, on: dt.date) -> dict[str, Any]:
    """The ledger's figures on the day the unit reported its rectification: items, closed,
    open, and the open ones warned red (overdue) or yellow."""
    _green, yellow = warning_thresholds(body_id=insp.round.body_id)
    open_ = Q(status__in=OPEN_STATUSES, deadline__isnull=False)
    figures = insp.rectification_items.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
        red=Count("pk", filter=open_ & Q(deadline__lt=on)),
        yellow=Count(
            "pk", filter=open_ & Q(deadline__gte=on, deadline__lte=on + dt.timedelta(yellow))
        ),
    )
    return {
        **_unit(insp),
        "reported_on": _day(on),
        "items": figures["total"],
        "closed": figures["closed"],
        "open": figures["total"] - figures["closed"],
        "red": figures["red"],
        "yellow": figures["yellow"],
    }


def disclosure_summary(insp: Inspection, on: dt.date) -> dict[str, Any]:
    """The public disclosure's title (as the portal shows it) and its date."""
    return {
        **_unit(insp),
        "title": f"{insp.round.name}{insp.target.name}整改情况公开",
        "published_on": _day(on),
    }
