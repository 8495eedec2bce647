"""What a job's worker asks of its job while it runs."""

from __future__ import annotations

import datetime as dt

from .models import Heartbeat, Job, JobStatus

__all__ = ["heartbeat_at", "job_should_stop"]


def job_should_stop(job: Job) -> bool:
    """Whether the worker should stop: the job was asked to, has ended (reaped) or is gone."""
    return not Job.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, stop_requested_at__isnull=True
    ).exists()


def heartbeat_at(name: str) -> dt.datetime | None:
    """When the process called `name` (the task worker: ``worker``) last beat, or None."""
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
