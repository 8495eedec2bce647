"""Who may ask for a document as PDF, and follow and download it: exactly those who may
download its .docx (the kind's own `find`, the lookup of the .docx view: 404 outside one's
scope, 403 without the function), and a PDF only by the one who asked for it, while he or she
may still download the .docx. A PDF is made for its requester as the .docx would be (a team
member's report counts no 高密 clue), so nobody else reads it, through this app or files."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.models import User
from xunshi.files.owners import RecordFiles
from xunshi.lib.documentkinds import DocumentKind, document_kind

from .models import PdfJob

__all__ = ["PDF_FILES", "get_document_for", "get_pdf_job_for"]


def get_document_for(user: User, kind_name: str, pk: int) -> tuple[DocumentKind, Any]:
    """The kind and its document if the user may download its .docx (404 for an unknown kind;
    otherwise the kind's own 404 or 403)."""
    kind = document_kind(kind_name)
    if kind is None:
        raise Http404("没有这种文书。")
    return kind, kind.find(user, pk)


def get_pdf_job_for(user: User, pk: int) -> tuple[PdfJob, DocumentKind, Any]:
    """A PDF job of the user's own, with its kind and document, while the user may still
    download the document's .docx (404 for anyone else's job)."""
    job = (
        PdfJob.objects.select_related("job__created_by", "attachment")
        .filter(pk=pk, job__created_by=user)
        .first()
    )
    if job is None:
        raise Http404("没有找到该PDF。")
    kind, document = get_document_for(user, job.kind, job.object_id)
    return job, kind, document


def _held() -> QuerySet[Any]:
    return PdfJob.objects.filter(attachment__isnull=False).values("attachment_id")


def _readable(user: User) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False):
        return PdfJob.objects.none().values("attachment_id")
    return PdfJob.objects.filter(job__created_by=user, attachment__isnull=False).values(
        "attachment_id"
    )


PDF_FILES = RecordFiles("pdfjobs.pdf", _held, _readable)
