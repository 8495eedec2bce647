"""Read-side questions of the findings: the office's clue lists, an inspection's report
text, the day its report is dated and the day its feedback was given."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from xunshi.rounds.models import Inspection, Stage

from .models import Clue, ReportText

__all__ = [
    "clues_disposal_overdue",
    "clues_untransferred",
    "feedback_date",
    "report_date",
    "report_text_of",
]

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
