"""The background import of an uploaded workbook into the registry (django-tasks).

Phase 1 reads and checks every row of every sheet outside any transaction, so the progress it
writes to the ``ImportJob`` row is visible to the polling page at once. If anything is wrong
the job fails with the full list of errors and nothing is written. Phase 2 writes the whole
file in one transaction through ``org_upsert`` / ``cadre_upsert``, the registry's only
writers, with the job's creator as the actor of every audit event. Progress cannot be shown
inside that transaction (on SQLite no other connection may write meanwhile), so ``done`` is
set to ``total`` before it starts and the page says 正在写入….
"""

from __future__ import annotations

import logging
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
from django.utils import timezone
from django_tasks import task

from xunshi.audit.actions import record

from .actions import cadre_upsert, org_upsert
from .excel_import import CadrePlan, OrgPlan, check_cadres, check_orgs
from .excel_read import Errors, ImportFile, read_import_file
from .models import ImportJob, ImportKind, ImportStatus, InspectingBody

__all__ = ["import_job_create", "import_path", "run_import"]

logger = logging.getLogger(__name__)

GENERIC_FAILURE = "导入时系统出现错误，数据未作任何改动。请稍后重试；如仍不成功，请联系系统管理员。"
# Progress is written this many times at most during validation.
_PROGRESS_STEPS = 50


def import_path(stored_name: str) -> Path:
    """Where an uploaded file waits for its import (deleted when the job ends)."""
    return Path(settings.MEDIA_ROOT) / "imports" / stored_name


def import_job_create(
    *, actor: Any, kind: str, upload: UploadedFile, body: InspectingBody | None = None
) -> ImportJob:
    """Keep the uploaded file under a random name (0600) and queue a job for it."""
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
                kind=kind,
                body=body,
                original_name=Path(upload.name or "").name[:255],
                stored_name=stored_name,
                created_by=actor,
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


class _Progress:
    def __init__(self, job_id: int, total: int) -> None:
        self.job_id = job_id
        self.done = 0
        self.saved = 0
        self.step = max(1, total // _PROGRESS_STEPS)

    def tick(self) -> None:
        self.done += 1
        if self.done - self.saved >= self.step:
            ImportJob.objects.filter(pk=self.job_id).update(done=self.done)
            self.saved = self.done


class _RowFailed(Exception):
    def __init__(self, sheet: str, row: int, message: str) -> None:
        super().__init__(message)
        self.error = {"sheet": sheet, "row": row, "column": "", "message": message}


def _finish(
    job: ImportJob,
    status: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    summary: dict[str, int] | None = None,
) -> None:
    job.status = status
    job.errors = errors or []
    job.summary = summary or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "finished_at"])


@contextmanager
def _row(sheet: str, row: int) -> Iterator[None]:
    try:
        yield
    except ValidationError as e:
        raise _RowFailed(sheet, row, "；".join(e.messages)) from e


def _count(counts: dict[str, int], *, changed: bool, existed: bool) -> None:
    key = "unchanged" if not changed else "updated" if existed else "created"
    counts[key] += 1


def _write(job: ImportJob, plan: OrgPlan | CadrePlan) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    actor = job.created_by
    with transaction.atomic():
        if isinstance(plan, OrgPlan):
            body = job.body or InspectingBody.objects.order_by("pk").first()
            for row, org in plan.rows:
                with _row("单位", row):
                    if body is None:
                        raise ValidationError("尚未登记派出巡视的党组织，无法新增单位。")
                    _o, changed = org_upsert(actor=actor, body=body, data=org)
                _count(counts, changed=changed, existed=org.code in plan.existing)
        else:
            for row, cadre in plan.rows:
                with _row("干部", row):
                    _c, changed = cadre_upsert(actor=actor, data=cadre)
                _count(counts, changed=changed, existed=cadre.code in plan.existing)
    return counts


def _import(job: ImportJob) -> None:
    book: ImportFile = read_import_file(import_path(job.stored_name), job.kind)
    total = book.total
    ImportJob.objects.filter(pk=job.pk).update(total=total, done=0)
    progress = _Progress(job.pk, total)
    plan: OrgPlan | CadrePlan | None = None
    if not book.errors:
        check = check_orgs if job.kind == ImportKind.ORGS else check_cadres
        plan = check(book, progress.tick)
    if plan is None:
        _fail_with(job, book.errors)
        return
    ImportJob.objects.filter(pk=job.pk).update(done=total)
    try:
        counts = _write(job, plan)
    except _RowFailed as failed:
        _finish(job, ImportStatus.FAILED, errors=[failed.error])
        return
    _finish(job, ImportStatus.SUCCEEDED, summary=counts)


def _fail_with(job: ImportJob, errors: Errors) -> None:
    _finish(
        job,
        ImportStatus.FAILED,
        errors=errors.as_list(job.kind),
        summary={"error_count": errors.count},
    )


@task()
def run_import(job_id: int) -> None:
    """Check and import the job's file; every outcome is recorded on the job row."""
    job = ImportJob.objects.select_related("created_by", "body").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.PENDING:
        return
    job.status = ImportStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        _import(job)
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(
            job,
            ImportStatus.FAILED,
            errors=[{"sheet": "", "row": None, "column": "", "message": GENERIC_FAILURE}],
        )
    finally:
        import_path(job.stored_name).unlink(missing_ok=True)
