"""A document as PDF: asked for next to its .docx, built by the task worker, followed on its
page (polled by htmx) and downloaded there. Who may: see access.py."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_response
from xunshi.files.actions import AttachmentDamaged
from xunshi.jobs.models import JobStatus
from xunshi.lib.documentkinds import DocumentKind

from .access import get_document_for, get_pdf_job_for
from .actions import pdf_job_create, pdf_job_download
from .models import PdfJob
from .tasks import run_pdf_job

PDF_CONTENT_TYPE = "application/pdf"


@require_POST
def pdf_request(request: SignedInRequest, kind: str, pk: int) -> HttpResponse:
    """Queue the PDF of a document the user may download as .docx, then show its progress."""
    found, document = get_document_for(request.user, kind, pk)
    job = pdf_job_create(actor=request.user, kind=found, document=document)
    run_pdf_job.enqueue(job.pk)
    return redirect("pdf_job", pk=job.pk)


def _state(job: PdfJob, kind: DocumentKind, document: Any) -> dict[str, Any]:
    return {"job": job, "kind": kind, "document": document, "back": kind.page(document)}


@require_safe
def pdf_job(request: SignedInRequest, pk: int) -> HttpResponse:
    return render(request, "pdfjobs/job.html", _state(*get_pdf_job_for(request.user, pk)))


@require_safe
def pdf_job_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    return render(request, "pdfjobs/job_progress.html", _state(*get_pdf_job_for(request.user, pk)))


@require_safe
def pdf_download(request: SignedInRequest, pk: int) -> HttpResponse:
    job, _kind, _document = get_pdf_job_for(request.user, pk)
    if job.status != JobStatus.DONE or job.attachment is None:
        raise Http404(_("PDF尚未生成或生成未成功，请重新生成。"))
    try:
        content = pdf_job_download(actor=request.user, job=job)
    except AttachmentDamaged as damaged:
        body = render_to_string(
            "error.html",
            {"title": _("PDF无法下载"), "text": str(damaged), "status": 500},
            request=request,
        )
        return HttpResponse(body, status=500)
    return download_response(
        content, name=job.attachment.original_name, content_type=PDF_CONTENT_TYPE
    )
