"""The writes of a registry export (单位名录, 干部库): the job queued, its progress, its file
and its end, and each download of the file, audited.

The file is written by the task worker (tasks.run_export) under MEDIA_ROOT/exports with a
random name, 0600, and is read only by the one who asked for it (`get_export_job_for`); files
older than `KEEP_FOR` are removed when the next export starts, the job's row stays.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import User
from xunshi.audit.actions import record
from xunshi.jobs.actions import job_create, job_fail, job_finish, job_progress
from xunshi.jobs.models import JobKind, JobStatus

from .models import ExportJob

__all__ = [
    "KEEP_FOR",
    "export_job_create",
    "export_job_download",
    "export_job_fail",
    "export_job_finish",
    "export_job_progress",
    "export_jobs_expire",
    "export_open",
    "export_path",
]

# How long a finished export's file waits for its download.
KEEP_FOR = 24


def export_path(stored_name: str) -> Path:
    """Where an export's file is kept until it expires."""
    return Path(settings.MEDIA_ROOT) / "exports" / stored_name


def export_open(job: ExportJob) -> int:
    """A new file for the job's workbook, readable by this process's user only: its fd."""
    path = export_path(job.stored_name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, 0o600)


def export_job_create(*, actor: User, kind: str) -> ExportJob:
    """Queue an export of the kind of everything actor may see; audited."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            job=job_create(actor=actor, kind=JobKind.EXPORT),
            kind=kind,
            stored_name=secrets.token_hex(16) + ".xlsx",
        )
        record(actor=actor, action="registry.export.start", obj=job, after={"kind": kind})
    return job


def export_job_progress(*, job: ExportJob, done: int, total: int | None = None) -> None:
    """Rows written so far (and the total, once known); the job's heartbeat."""
    fields = {"done": done} if total is None else {"done": done, "total": total}
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    job_progress(job=job.job, progress=done / total if total else 0.0)


def export_job_finish(*, job: ExportJob, rows: int) -> None:
    """The file is written: its size and rows kept, the job done."""
    size = export_path(job.stored_name).stat().st_size
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(rows=rows, size=size, done=job.total)
        job_finish(actor=SYSTEM, job=job.job)


def export_job_fail(*, job: ExportJob, message: str) -> None:
    """The export went wrong: no file is kept."""
    export_path(job.stored_name).unlink(missing_ok=True)
    job_fail(actor=SYSTEM, job=job.job, message=message)


def export_job_download(*, actor: User, job: ExportJob) -> Path:
    """The finished export's file for its requester; the download is audited."""
    path = export_path(job.stored_name)
    with transaction.atomic():
        record(
            actor=actor,
            action="registry.export",
            object_type="registry.orgunit" if job.kind == "orgs" else "registry.cadre",
            object_id=job.kind,
            after={"kind": job.kind, "rows": job.rows},
        )
    return path


def export_jobs_expire() -> int:
    """Remove the files of exports finished more than KEEP_FOR hours ago; how many."""
    cutoff = timezone.now() - dt.timedelta(hours=KEEP_FOR)
    old = ExportJob.objects.filter(
        job__status=JobStatus.DONE, job__finished_at__lt=cutoff
    ).values_list("stored_name", flat=True)
    removed = 0
    for name in old:
        path = export_path(name)
        if path.exists():
            path.unlink()
            removed += 1
    return removed
