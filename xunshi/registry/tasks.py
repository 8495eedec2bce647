"""The background import of an uploaded workbook into the registry (django-tasks).

Phase 1 reads and checks every row of every sheet outside any transaction, so the progress it
reports (`import_job_progress`) is visible to the polling page at once. If anything is wrong
the job fails with the full list of errors and nothing is written. Phase 2
(`import_job_apply`) writes the whole file in one transaction through ``org_upsert`` /
``cadre_upsert``, the registry's only writers, with the job's creator as the actor of every
audit event, and ends the job in the same transaction. Progress cannot be shown inside that
transaction (on SQLite no other connection may write meanwhile), so ``done`` is set to
``total`` before it starts and the page says 正在写入….

Before it starts, every task reaps the jobs whose worker died (xunshi.jobs).
"""

from __future__ import annotations

import logging
import os

from django_tasks import task

from xunshi.accounts.actors import SYSTEM
from xunshi.jobs.actions import job_start, jobs_reap

from .excel_export import export_total, export_write
from .excel_import import CadrePlan, OrgPlan, check_cadres, check_orgs
from .excel_read import ImportFile, read_import_file
from .export_actions import (
    export_job_fail,
    export_job_finish,
    export_job_progress,
    export_jobs_expire,
    export_open,
)
from .import_actions import (
    ImportRowFailed,
    import_job_apply,
    import_job_fail,
    import_job_progress,
    import_path,
)
from .models import ExportJob, ImportJob, ImportKind

__all__ = ["EXPORT_FAILURE", "GENERIC_FAILURE", "run_export", "run_import"]

logger = logging.getLogger(__name__)

EXPORT_FAILURE = "导出时系统出现错误，请稍后重试；如仍不成功，请联系系统管理员。"
GENERIC_FAILURE = "导入时系统出现错误，数据未作任何改动。请稍后重试；如仍不成功，请联系系统管理员。"
# Progress is written this many times at most during validation.
_PROGRESS_STEPS = 50


class _Progress:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.done = 0
        self.saved = 0
        self.step = max(1, job.total // _PROGRESS_STEPS)

    def tick(self) -> None:
        self.done += 1
        if self.done - self.saved >= self.step:
            import_job_progress(job=self.job, done=self.done)
            self.saved = self.done


def _import(job: ImportJob) -> None:
    book: ImportFile = read_import_file(import_path(job.stored_name), job.kind)
    import_job_progress(job=job, done=0, total=book.total)
    plan: OrgPlan | CadrePlan | None = None
    if not book.errors:
        check = check_orgs if job.kind == ImportKind.ORGS else check_cadres
        plan = check(book, _Progress(job).tick, job.body)
    if plan is None:
        errors = book.errors
        import_job_fail(
            job=job, errors=errors.as_list(job.kind), summary={"error_count": errors.count}
        )
        return
    import_job_progress(job=job, done=book.total)
    try:
        import_job_apply(job=job, plan=plan)
    except ImportRowFailed as failed:
        import_job_fail(job=job, errors=[failed.error])


@task()
def run_import(job_id: int) -> None:
    """Check and import the job's file; every outcome is recorded on the job row."""
    jobs_reap()
    job = ImportJob.objects.select_related("job__created_by", "body").filter(pk=job_id).first()
    if job is None or not job_start(actor=SYSTEM, job=job.job):
        return
    try:
        _import(job)
    except Exception:
        logger.exception("import job %s failed", job_id)
        import_job_fail(
            job=job,
            errors=[{"sheet": "", "row": None, "column": "", "message": GENERIC_FAILURE}],
            message=GENERIC_FAILURE,
        )
    finally:
        import_path(job.stored_name).unlink(missing_ok=True)


class _Written:
    """Counts the rows written and reports them about a hundred times in all."""

    def __init__(self, job: ExportJob, total: int) -> None:
        self.job, self.total, self.done, self.saved = job, total, 0, 0
        self.step = max(500, total // 100)

    def tick(self) -> None:
        self.done += 1
        if self.done - self.saved >= self.step:
            export_job_progress(job=self.job, done=self.done)
            self.saved = self.done


@task()
def run_export(export_id: int) -> None:
    """Write the export's workbook to its file, row by row, with progress; every outcome is
    recorded on the job row."""
    jobs_reap()
    export_jobs_expire()
    job = ExportJob.objects.select_related("job__created_by").filter(pk=export_id).first()
    if job is None or not job_start(actor=SYSTEM, job=job.job):
        return
    try:
        user = job.job.created_by
        job.total = export_total(user=user, kind=job.kind)
        export_job_progress(job=job, done=0, total=job.total)
        written = _Written(job, job.total)
        with os.fdopen(export_open(job), "wb") as out:
            rows = export_write(user=user, kind=job.kind, out=out, tick=written.tick)
        export_job_finish(job=job, rows=rows)
    except Exception:
        logger.exception("export job %s failed", export_id)
        export_job_fail(job=job, message=EXPORT_FAILURE)
