"""The only code that writes the report's own text (ReportText): the overview (基本情况) and
the suggestions (意见建议), written by the team's leader after the team has left the site
and until the office has reviewed the report. The problems come from the working papers.

The audit event keeps the lengths, not the words: the report is case data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import Actor, is_system
from xunshi.audit.actions import record
from xunshi.rounds.access import is_team_leader
from xunshi.rounds.models import Inspection, Stage

from .models import ReportText

__all__ = ["REPORT_TEXT_STAGES", "report_text_save"]

# After leaving the site, until the office has taken the report up.
REPORT_TEXT_STAGES = frozenset({Stage.WITHDRAWN, Stage.REPORT_DRAFTED})
_LIMIT = 20000


def _lengths(report: ReportText | None) -> dict[str, int]:
    if report is None:
        return {"overview_chars": 0, "suggestions_chars": 0}
    return {"overview_chars": len(report.overview), "suggestions_chars": len(report.suggestions)}


def report_text_save(
    *, actor: Actor, inspection: Inspection, overview: str, suggestions: str
) -> ReportText:
    """Write the report's overview and suggestions (the team leader, while drafting)."""
    overview, suggestions = overview.strip(), suggestions.strip()
    problems = []
    if not is_system(actor) and not is_team_leader(actor, inspection):
        problems.append("巡视报告的基本情况和意见建议须由组长撰写。")
    if len(overview) > _LIMIT or len(suggestions) > _LIMIT:
        problems.append(f"基本情况和意见建议各不能超过{_LIMIT}字。")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.stage not in REPORT_TEXT_STAGES:
            here = Stage(locked.stage).label
            raise ValidationError(f"巡视当前处于“{here}”阶段，不能修改巡视报告。")
        report = ReportText.objects.filter(inspection=locked).first()
        before = _lengths(report)
        report, _created = ReportText.objects.update_or_create(
            inspection=locked, defaults={"overview": overview, "suggestions": suggestions}
        )
        record(
            actor=actor,
            action="inspections.report.save",
            obj=locked,
            before=before,
            after=_lengths(report),
        )
    return report
