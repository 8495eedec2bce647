"""The background build of a document's PDF (django-tasks).

The worker looks the document up again as its requester (who may have lost it since asking:
then the job fails and nothing is built), builds the .docx with the kind's `export` (the
download's own action, which records the export), converts it with LibreOffice headless
(`xunshi.lib.pdfconvert`: a profile of the worker's own under XUNSHI_PDF_WORK, killed after
XUNSHI_PDF_TIMEOUT seconds) and stores the PDF. Each step is reported as progress, which the
job's page polls. Before it starts, every task reaps the jobs whose worker died (xunshi.jobs).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_tasks import task

from xunshi.accounts.actors import SYSTEM
from xunshi.jobs.actions import job_start, jobs_reap
from xunshi.lib.documentkinds import document_kind
from xunshi.lib.pdfconvert import ConversionFailed, docx_to_pdf

from .actions import pdf_job_fail, pdf_job_progress, pdf_job_store
from .models import PdfJob

__all__ = ["BUILD_FAILURE", "GONE", "run_pdf_job"]

logger = logging.getLogger(__name__)

BUILD_FAILURE = "生成PDF时系统出现错误，请稍后重试；如仍不成功，请联系系统管理员。"
GONE = "您已无权下载该文书（或文书已不存在），未生成PDF。"


def _build(job: PdfJob) -> None:
    user = job.job.created_by
    kind = document_kind(job.kind)
    try:
        if kind is None:
            raise Http404
        document = kind.find(user, job.object_id)
    except (Http404, PermissionDenied):
        pdf_job_fail(job=job, message=GONE)
        return
    pdf_job_progress(job=job, progress=0.1)
    content, name = kind.export(user, document)
    pdf_job_progress(job=job, progress=0.3)
    try:
        pdf = docx_to_pdf(
            content,
            work=settings.XUNSHI_PDF_WORK,
            command=settings.XUNSHI_SOFFICE,
            timeout=settings.XUNSHI_PDF_TIMEOUT,
        )
    except ConversionFailed as failed:
        pdf_job_fail(job=job, message=str(failed))
        return
    pdf_job_progress(job=job, progress=0.9)
    stem = name.removesuffix(".docx")
    try:
        pdf_job_store(job=job, kind=kind, document=document, name=f"{stem}.pdf", pdf=pdf)
    except ValidationError as refused:
        pdf_job_fail(job=job, message="；".join(refused.messages))


@task()
def run_pdf_job(job_id: int) -> None:
    """Build, convert and store the job's PDF; every outcome is recorded on the job row."""
    jobs_reap()
    job = PdfJob.objects.select_related("job__created_by").filter(pk=job_id).first()
    if job is None or not job_start(actor=SYSTEM, job=job.job):
        return
    try:
        _build(job)
    except Exception:
        logger.exception("pdf job %s failed", job_id)
        pdf_job_fail(job=job, message=BUILD_FAILURE)
