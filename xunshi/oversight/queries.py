"""Read-side questions of oversight about one lower body and about filings: its terms, its
rounds with their stages and latest plan filing, a page of filings, the points addressed to a
body, and whether a round's plan is due. The figures per body are in `figures.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet

from xunshi.registry.models import InspectingBody, Term
from xunshi.rounds.models import Inspection, Round, Stage

from .models import Filing, FilingKind, OversightPoint

__all__ = [
    "RoundRow",
    "body_round_choices",
    "body_rounds",
    "body_terms",
    "filings_page",
    "plan_filing",
    "points_for",
    "round_started",
]

S = Stage


def body_terms(body: InspectingBody) -> list[Term]:
    """The body's terms, newest first."""
    return list(Term.objects.filter(body=body).order_by("-start"))


@dataclass
class RoundRow:
    round: Round
    stages: list[tuple[str, int]]  # (stage label, count), in the order of the stage line
    plan: Filing | None


def body_rounds(
    body: InspectingBody, page: str | int | None, per_page: int = 30
) -> tuple[Page[Round], list[RoundRow]]:
    """One page of the body's rounds, newest first, and for each its inspections counted by
    stage and its latest plan filing."""
    rounds = (
        Round.objects.filter(body=body).select_related("term").order_by("-term__start", "-ordinal")
    )
    paged = Paginator(rounds, per_page).get_page(page)
    ids = [r.pk for r in paged.object_list]
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Inspection.objects.filter(round_id__in=ids)
        .order_by()
        .values("round_id", "stage")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        counts.setdefault(r["round_id"], {})[r["stage"]] = r["n"]
    plans = _latest_plans(ids)
    out = []
    for rnd in paged.object_list:
        mine = counts.get(rnd.pk, {})
        stages = [(str(Stage(s).label), mine[s]) for s in Stage if mine.get(s)]
        out.append(RoundRow(round=rnd, stages=stages, plan=plans.get(rnd.pk)))
    return paged, out


def _latest_plans(round_ids: list[int]) -> dict[int, Filing]:
    newer = Filing.objects.filter(
        round_id=OuterRef("round_id"), kind=FilingKind.PLAN, version__gt=OuterRef("version")
    )
    latest = Filing.objects.filter(round_id__in=round_ids, kind=FilingKind.PLAN).exclude(
        Exists(newer)
    )
    return {f.round_id: f for f in latest}


def body_round_choices(body: InspectingBody) -> QuerySet[Round]:
    """The body's rounds, newest first, for a point's choice of round."""
    return Round.objects.filter(body=body).order_by("-term__start", "-ordinal")


def round_started(rnd: Round) -> bool:
    """Whether a team of the round was authorized (its plan is due to be filed by then)."""
    return rnd.inspections.exclude(stage__in=[S.PLANNED, S.CANCELLED]).exists()


def plan_filing(rnd: Round) -> Filing | None:
    """The round's latest plan filing, if its plan was filed."""
    return (
        Filing.objects.filter(round=rnd, kind=FilingKind.PLAN)
        .select_related("to_body", "reviewed_by")
        .order_by("-version")
        .first()
    )


def filings_page(
    filings: QuerySet[Filing], page: str | int | None, per_page: int = 30
) -> Page[Any]:
    """One page of filings, newest first, with their round, inspection target and bodies."""
    rows = filings.select_related("from_body", "to_body", "round", "inspection__target").order_by(
        "-filed_at", "-pk"
    )
    return Paginator(rows, per_page).get_page(page)


def points_for(points: QuerySet[OversightPoint], body: InspectingBody) -> list[OversightPoint]:
    """The points addressed to the body, the latest first (at most 100)."""
    return list(
        points.filter(to_body=body)
        .select_related("from_body", "round", "created_by")
        .order_by("-created_at", "-pk")[:100]
    )
