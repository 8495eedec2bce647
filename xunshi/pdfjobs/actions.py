"""The writes of a document's PDF: the request queued, the build's progress, the stored PDF
and the job's end.

The worker (tasks.run_pdf_job) builds the document with its kind's `export` as the requester,
which is the .docx download's own action: the same document, and the app's own export event
(`inspections.document.export`, `rectification.notice.export` …) recorded for the requester.
The PDF is stored through files (`attachment_store`: checked, sealed, `files.attachment.store`)
and downloaded through files (`attachment_download`: `files.attachment.download`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import User
from xunshi.audit.actions import record
from xunshi.files.actions import attachment_download, attachment_store
from xunshi.jobs.actions import job_create, job_fail, job_finish, job_progress
from xunshi.jobs.models import JobKind
from xunshi.lib.documentkinds import DocumentKind

from .models import PdfJob

__all__ = [
    "pdf_job_create",
    "pdf_job_download",
    "pdf_job_fail",
    "pdf_job_progress",
    "pdf_job_store",
]


def pdf_job_create(*, actor: User, kind: DocumentKind, document: Any) -> PdfJob:
    """Queue the PDF of a document the actor may download as .docx; audited."""
    with transaction.atomic():
        job = PdfJob.objects.create(
            job=job_create(actor=actor, kind=JobKind.PDF), kind=kind.name, object_id=document.pk
        )
        record(
            actor=actor,
            action="documents.pdf.create",
            obj=job,
            after={"document": kind.name, "object_id": document.pk},
        )
    return job


def pdf_job_progress(*, job: PdfJob, progress: float) -> None:
    """How far the build is (0 to 1); the job's heartbeat."""
    job_progress(job=job.job, progress=progress)


def pdf_job_store(*, job: PdfJob, kind: DocumentKind, document: Any, name: str, pdf: bytes) -> None:
    """Keep the built PDF for its requester (a checked, sealed file of the document's inspection
    or body) and end the job done, in one transaction."""
    with transaction.atomic():
        attachment = attachment_store(
            actor=job.job.created_by,
            upload=(name, pdf),
            audience=kind.audience,
            **kind.filed_under(document),
        )
        PdfJob.objects.filter(pk=job.pk).update(attachment=attachment)
        job_finish(actor=SYSTEM, job=job.job)
    job.attachment = attachment


def pdf_job_fail(*, job: PdfJob, message: str) -> None:
    """The build went wrong (or its requester lost the document): no PDF is kept."""
    job_fail(actor=SYSTEM, job=job.job, message=message)


def pdf_job_download(*, actor: User, job: PdfJob) -> bytes:
    """The stored PDF's bytes for its requester; the download is audited by files."""
    if job.attachment is None:
        raise ValueError("the job has no PDF")
    return attachment_download(actor=actor, attachment=job.attachment)
