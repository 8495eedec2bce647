"""The writes of an Excel import into the registry: the uploaded file queued as a job, its
progress, and its end, the checked rows written in one transaction or the errors kept.

The task (tasks.py) reads and checks the file and calls these; the job's status is the
background job's (xunshi.jobs), changed through its actions with the system as the actor,
while every row written has the uploader as the actor of its audit event.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import User
from xunshi.audit.actions import record
from xunshi.jobs.actions import job_create, job_fail, job_finish, job_progress
from xunshi.jobs.models import Job, JobKind, JobStatus

from .actions import cadre_upsert, org_upsert
from .excel_import import CadrePlan, OrgPlan
from .models import ImportJob, InspectingBody

__all__ = [
    "ImportRowFailed",
    "import_job_apply",
    "import_job_create",
    "import_job_fail",
    "import_job_progress",
    "import_path",
]


def import_path(stored_name: str) -> Path:
    """Where an uploaded file waits for its import (deleted when the job ends)."""
    return Path(settings.MEDIA_ROOT) / "imports" / stored_name


def import_job_create(
    *, actor: User, kind: str, upload: UploadedFile, body: InspectingBody
) -> ImportJob:
    """Keep the uploaded file under a random name (0600) and queue a job that imports it into
    the body's registry or cadre pool."""
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + ".xlsx"
    path = directory / stored_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        with transaction.atomic():
            job = ImportJob.objects.create(
                job=job_create(actor=actor, kind=JobKind.IMPORT),
                kind=kind,
                body=body,
                original_name=Path(upload.name or "").name[:255],
                stored_name=stored_name,
            )
            record(
                actor=actor,
                action="registry.import.start",
                obj=job,
                object_repr=job.original_name,
                after={"kind": kind, "size": upload.size},
            )
        return job
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def import_job_progress(*, job: ImportJob, done: int, total: int | None = None) -> None:
    """Report the rows checked so far (and the file's row count once it is known)."""
    job.done = done
    fields = ["done"]
    if total is not None:
        job.total = total
        fields.append("total")
    job.save(update_fields=fields)
    job_progress(job=job.job, progress=done / job.total if job.total else 0.0)


def import_job_fail(
    *,
    job: ImportJob,
    errors: list[dict[str, Any]],
    summary: dict[str, int] | None = None,
    message: str = "",
) -> None:
    """End the import with the errors found, nothing written (unless it had ended already)."""
    with transaction.atomic():
        if not job_fail(actor=SYSTEM, job=job.job, message=message):
            return
        job.errors, job.summary = errors, summary or {}
        job.save(update_fields=["errors", "summary"])


class ImportRowFailed(Exception):
    """A checked row that the registry's actions still refused; nothing was written."""

    def __init__(self, sheet: str, row: int, message: str) -> None:
        super().__init__(message)
        self.error = {"sheet": sheet, "row": row, "column": "", "message": message}


@contextmanager
def _row(sheet: str, row: int) -> Iterator[None]:
    try:
        yield
    except ValidationError as e:
        raise ImportRowFailed(sheet, row, "；".join(e.messages)) from e


def _count(counts: dict[str, int], *, changed: bool, existed: bool) -> None:
    key = "unchanged" if not changed else "updated" if existed else "created"
    counts[key] += 1


def import_job_apply(*, job: ImportJob, plan: OrgPlan | CadrePlan) -> None:
    """Write the checked rows through org_upsert / cadre_upsert and end the job done with the
    counts, all in one transaction; ImportRowFailed (nothing written) if a row is refused."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    actor = job.created_by
    with transaction.atomic():
        # Held to the end, so that the reaper waits for this write (no heartbeat inside it)
        # and then finds the job done, instead of failing it meanwhile.
        if Job.objects.select_for_update().get(pk=job.job_id).status != JobStatus.RUNNING:
            return  # reaped before its write began: the data stays as it is
        if isinstance(plan, OrgPlan):
            for row, org in plan.rows:
                with _row("单位", row):
                    _o, changed = org_upsert(actor=actor, body=job.body, data=org)
                _count(counts, changed=changed, existed=org.code in plan.existing)
        else:
            for row, cadre in plan.rows:
                with _row("干部", row):
                    _c, changed = cadre_upsert(actor=actor, body=job.body, data=cadre)
                _count(counts, changed=changed, existed=cadre.code in plan.existing)
        job.summary = counts
        job.save(update_fields=["summary"])
        job_finish(actor=SYSTEM, job=job.job)
