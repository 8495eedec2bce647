"""The only writers of jobs: a job is queued by the domain action that creates its row, then
claimed, advanced, finished, failed or stopped by its task, and reaped when its worker died.

Every change of status is one audit event on the job, named after its kind
(`registry.import.run`, `rounds.planning.stop`, `rounds.planning.reap`). Progress reports are
not audited: they are bookkeeping (a planning run reports twice a second) and an event for
each would bury the trail; they carry the worker's heartbeat instead.

A running job whose heartbeat is older than `STALE_AFTER` has lost its worker (killed, or the
machine restarted): `jobs_reap` fails it. The worker reaps before every task it starts, and
`manage.py jobs_reap` does it on demand; a page that shows a job never writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from xunshi.accounts.actors import SYSTEM, Actor
from xunshi.accounts.models import User
from xunshi.audit.actions import record, snapshot

from .models import Job, JobKind, JobStatus

__all__ = [
    "INTERRUPTED",
    "STALE_AFTER",
    "job_create",
    "job_fail",
    "job_finish",
    "job_progress",
    "job_start",
    "job_stop",
    "jobs_reap",
]

# Far beyond the longest silence of a live worker: a planning run reports every half second,
# an import at least every fiftieth of its rows and once more before its write.
STALE_AFTER = dt.timedelta(minutes=5)
# The message of a reaped job, stored in the office's language whoever reads it.
INTERRUPTED: dict[str, Promise] = {
    JobKind.IMPORT: gettext_lazy(
        "导入进程已中断（可能因服务重启），数据未作任何改动。请重新上传。"
    ),
    JobKind.PLANNING: gettext_lazy("求解进程已中断（可能因服务重启），请重新计算。"),
    JobKind.EXPORT: gettext_lazy("导出进程已中断（可能因服务重启），请重新导出。"),
    JobKind.PDF: gettext_lazy("PDF生成进程已中断（可能因服务重启），请重新生成。"),
}


def job_create(*, actor: User, kind: str) -> Job:
    """A queued job of this kind, for the domain action that creates its row and records the
    event of both in one transaction."""
    return Job.objects.create(kind=kind, created_by=actor)


def job_start(*, actor: Actor, job: Job, message: str = "") -> bool:
    """Claim a queued job for the worker; False if it was stopped before it started or is
    claimed already (a task run twice)."""
    with transaction.atomic():
        now = timezone.now()
        claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0.0,
            message=message,
        )
        if claimed:
            job.refresh_from_db()
            record(
                actor=actor,
                action=f"{job.kind}.run",
                obj=job,
                before={"status": JobStatus.QUEUED},
                after=snapshot(job, ["status", "started_at"]),
            )
    return bool(claimed)


def job_progress(*, job: Job, progress: float) -> None:
    """Report how far a running job is (0 to 1); this is also the worker's heartbeat."""
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        progress=min(1.0, max(0.0, progress)), heartbeat_at=timezone.now()
    )


def job_finish(*, actor: Actor, job: Job, status: str = JobStatus.DONE, message: str = "") -> bool:
    """End a running job done, or stopped as it was asked; False if it had ended already."""
    if status not in (JobStatus.DONE, JobStatus.STOPPED):
        raise ValueError(f"a job finishes done or stopped, not {status}")
    fields: dict[str, Any] = {"status": status, "message": message}
    if status == JobStatus.DONE:
        fields["progress"] = 1.0
    return _end(actor, job, "finish", fields)


def job_fail(*, actor: Actor, job: Job, message: str) -> bool:
    """End a running job that went wrong; False if it had ended already."""
    return _end(actor, job, "fail", {"status": JobStatus.FAILED, "message": message})


def _end(actor: Actor, job: Job, verb: str, fields: dict[str, Any]) -> bool:
    with transaction.atomic():
        ended = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            finished_at=timezone.now(), **fields
        )
        if ended:
            job.refresh_from_db()
            record(
                actor=actor,
                action=f"{job.kind}.{verb}",
                obj=job,
                before={"status": JobStatus.RUNNING},
                after=snapshot(job, ["status", "finished_at", "message"]),
            )
    return bool(ended)


def job_stop(*, actor: Actor, job: Job, message: str) -> bool:
    """Stop a queued job at once (with this message) or ask a running one to stop at its next
    report; False if it has ended or was asked already."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        before = snapshot(locked, ["status", "stop_requested_at"])
        now = timezone.now()
        if locked.status == JobStatus.QUEUED:
            locked.status, locked.finished_at, locked.message = JobStatus.STOPPED, now, message
            locked.save(update_fields=["status", "finished_at", "message"])
        elif locked.status == JobStatus.RUNNING and locked.stop_requested_at is None:
            locked.stop_requested_at = now
            locked.save(update_fields=["stop_requested_at"])
        else:
            return False
        record(
            actor=actor,
            action=f"{locked.kind}.stop",
            obj=locked,
            before=before,
            after=snapshot(locked, ["status", "stop_requested_at"]),
        )
    job.refresh_from_db()
    return True


def _silent_since(job: Job) -> dt.datetime:
    return job.heartbeat_at or job.started_at or job.created_at


def jobs_reap() -> int:
    """Fail every running job whose worker has been silent for STALE_AFTER; how many."""
    cutoff = timezone.now() - STALE_AFTER
    stale = (
        Job.objects.filter(status=JobStatus.RUNNING)
        .alias(silent_since=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(silent_since__lt=cutoff)
        .values_list("pk", flat=True)
    )
    reaped = 0
    for pk in list(stale):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            # Its worker may have reported or finished it since (an import ends in the same
            # transaction as its write, which holds this row's lock).
            if job.status != JobStatus.RUNNING or _silent_since(job) >= cutoff:
                continue
            before = snapshot(job, ["status", "started_at", "heartbeat_at"])
            job.status, job.finished_at = JobStatus.FAILED, timezone.now()
            with translation.override(settings.LANGUAGE_CODE):
                job.message = str(INTERRUPTED[job.kind])
            job.save(update_fields=["status", "finished_at", "message"])
            record(
                actor=SYSTEM,
                action=f"{job.kind}.reap",
                obj=job,
                before=before,
                after=snapshot(job, ["status", "finished_at", "message"]),
            )
            reaped += 1
    return reaped
