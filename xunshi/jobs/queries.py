"""What a job's worker asks of its job while it runs."""

from __future__ import annotations

from .models import Job, JobStatus

__all__ = ["job_should_stop"]


def job_should_stop(job: Job) -> bool:
    """Whether the worker should stop: the job was asked to, has ended (reaped) or is gone."""
    return not Job.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, stop_requested_at__isnull=True
    ).exists()
