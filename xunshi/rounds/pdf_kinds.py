"""The decision on the teams' composition and authorization as a PDF kind
(xunshi.lib.documentkinds), once the plan is applied: then the decision names the round's
teams as formed, which is what `plan_export_docx` downloads by GET (planning_views._export),
through the same access lookup and the same export action. Before that the page exports the
working copy as edited on screen, posted with its form, which a job does not keep."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.lib.documentkinds import DocumentKind

from .access import get_planning_job_for
from .documents import plan_export
from .models import PlanningJob
from .queries import round_teams_as_plan

__all__ = ["PDF_KINDS"]


def _find(user: Any, pk: int) -> PlanningJob:
    job = get_planning_job_for(user, pk)
    if job.applied_at is None:
        raise Http404("方案采用后才能生成决定的PDF。")
    return job


def _export(actor: Any, job: PlanningJob) -> tuple[bytes, str]:
    return plan_export(actor=actor, job=job, kind="docx", teams=round_teams_as_plan(job.round))


PDF_KINDS = (
    DocumentKind(
        name="rounds.decision",
        label=_("巡视组组成人员及授权的决定"),
        find=_find,
        export=_export,
        filed_under=lambda job: {"body": job.round.body},
        audience="team",
        page=lambda job: reverse("plan_job", args=[job.pk]),
    ),
)
