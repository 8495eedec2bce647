"""Read-side questions of the findings: the clue lists with their filters (the office's and
an inspection's), an inspection's problems, its report text, the day its report is dated
and the day its feedback was given."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xunshi.rounds.list_filters import Filters
from xunshi.rounds.models import Inspection, Stage

from .models import Clue, Problem, ReportText

__all__ = [
    "CLUE_STATUSES",
    "clue_colour",
    "clue_inspections",
    "clues_disposal_overdue",
    "clues_filtered",
    "clues_untransferred",
    "feedback_date",
    "problems_filtered",
    "report_date",
    "report_text_of",
]

# A clue's status on the lists: not yet transferred, awaiting the disposal, disposal reported.
CLUE_STATUSES = {
    "untransferred": Q(transferred_on__isnull=True),
    "awaiting": Q(transferred_on__isnull=False, disposal_reported_on__isnull=True),
    "reported": Q(disposal_reported_on__isnull=False),
}

_RELATED = ("inspection__target", "inspection__team", "inspection__round")


def clues_disposal_overdue(body_id: int | None, today: dt.date) -> QuerySet[Clue]:
    """The transferred clues of the body's inspections whose disposal feedback was due before
    `today`, oldest due first."""
    return (
        Clue.objects.filter(
            inspection__round__body_id=body_id,
            transferred_on__isnull=False,
            disposal_reported_on__isnull=True,
            disposal_due__lt=today,
        )
        .select_related(*_RELATED)
        .order_by("disposal_due", "pk")
    )


def clues_untransferred(body_id: int | None) -> QuerySet[Clue]:
    """The clues of the body's inspections not yet transferred, oldest first."""
    return (
        Clue.objects.filter(transferred_on__isnull=True, inspection__round__body_id=body_id)
        .select_related(*_RELATED)
        .order_by("created_at", "pk")
    )


def clue_colour(colour: str, today: dt.date, thresholds: tuple[int, int]) -> Q:
    """The clues whose disposal feedback is due and not reported, of that warning colour on
    `today` (as `warning_level` gives it): red once overdue, yellow and green before."""
    green, yellow = thresholds
    open_ = Q(disposal_due__isnull=False, disposal_reported_on__isnull=True)
    edge = today + dt.timedelta(yellow)
    if colour == "red":
        return open_ & Q(disposal_due__lt=today)
    if colour == "yellow":
        return open_ & Q(disposal_due__gte=today, disposal_due__lte=edge)
    if colour == "green":
        return open_ & Q(disposal_due__gt=edge, disposal_due__lte=today + dt.timedelta(green))
    raise ValueError(f"unknown warning colour {colour!r}")


def clues_filtered(
    clues: QuerySet[Clue], filters: Filters, *, today: dt.date, thresholds: tuple[int, int]
) -> QuerySet[Clue]:
    """The clues that pass the filters: of a round, a stage, a unit; a colour of the disposal
    warning, overdue, a status (`CLUE_STATUSES`), registered in the dates."""
    if filters.round_id:
        clues = clues.filter(inspection__round_id=filters.round_id)
    if filters.stage:
        clues = clues.filter(inspection__stage=filters.stage)
    if filters.unit_id:
        clues = clues.filter(inspection__target_id=filters.unit_id)
    if filters.colour:
        clues = clues.filter(clue_colour(filters.colour, today, thresholds))
    if filters.overdue:
        clues = clues.filter(clue_colour("red", today, thresholds))
    if filters.status:
        clues = clues.filter(CLUE_STATUSES[filters.status])
    if filters.start:
        clues = clues.filter(created_at__date__gte=filters.start)
    if filters.end:
        clues = clues.filter(created_at__date__lte=filters.end)
    return clues


def clue_inspections(body_id: int | None) -> QuerySet[Inspection]:
    """The body's inspections that have a clue: the rounds and units the office's clue list
    offers as filters."""
    # EXISTS per inspection, not a join with every clue made DISTINCT.
    has_clue = Exists(Clue.objects.filter(inspection=OuterRef("pk")))
    return Inspection.objects.filter(has_clue, round__body_id=body_id)


def problems_filtered(inspection: Inspection, filters: Filters) -> QuerySet[Problem]:
    """The inspection's problems in the taxonomy's order, made in the dates."""
    problems = inspection.problems.select_related("paper__category__taxonomy")
    if filters.start:
        problems = problems.filter(created_at__date__gte=filters.start)
    if filters.end:
        problems = problems.filter(created_at__date__lte=filters.end)
    return problems.order_by(
        "paper__category__taxonomy__code",
        "paper__category__position",
        "paper__category__code",
        "seq",
    )


def report_text_of(inspection: Inspection) -> ReportText | None:
    """The report's text as the team last saved it, if it has written any."""
    return ReportText.objects.filter(inspection=inspection).first()


def feedback_date(inspection: Inspection) -> dt.date | None:
    """The day the feedback was given (the last move into feedback_given), None before it."""
    changes = inspection.stage_changes.filter(to_stage=Stage.FEEDBACK_GIVEN)
    change = changes.order_by("-on", "-id").first()
    return change.on if change else None


def report_date(inspection: Inspection) -> dt.date | None:
    """The day the report bears: the last day the leader sent it up (the move into
    report_drafted) once sent; while drafting (or sent back), the day its text was last
    saved; None before any text."""
    if inspection.stage != Stage.WITHDRAWN:
        changes = inspection.stage_changes.filter(to_stage=Stage.REPORT_DRAFTED)
        change = changes.order_by("-on", "-id").first()
        if change is not None:
            return change.on
    text = report_text_of(inspection)
    return timezone.localdate(text.updated_at) if text else None
