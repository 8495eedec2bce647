"""The round's own write of a planning run: the solver's plan, stored as the job ends done.

The task (tasks.py) calls it, and the actions of xunshi.jobs for the rest of the run (claim,
progress, stop, failure). The office's planning actions (`planning_job_create`,
`planning_job_stop`, `round_apply_plan`) are in actions.py, which queues the task and so
cannot be imported by it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xunshi.accounts.actors import SYSTEM
from xunshi.jobs.actions import job_finish

from .models import PlanningJob

__all__ = ["planning_job_solved"]


def planning_job_solved(*, job: PlanningJob, plan: dict[str, Any], message: str) -> bool:
    """Store the solver's plan and end the job done; False if it had ended already (reaped)."""
    with transaction.atomic():
        if not job_finish(actor=SYSTEM, job=job.job, message=message):
            return False
        job.plan = plan
        job.save(update_fields=["plan"])
    return True
