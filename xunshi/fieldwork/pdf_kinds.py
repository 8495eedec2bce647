"""The handover slip of a document request as a PDF kind (xunshi.lib.documentkinds): the same
access lookup and the same export action as its .docx download (views.docrequest_slip)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.lib.documentkinds import DocumentKind

from .access import get_docrequest_for
from .documents import docrequest_slip
from .models import DocumentRequest

__all__ = ["PDF_KINDS"]


def _find(user: Any, pk: int) -> DocumentRequest:
    return get_docrequest_for(user, pk)


def _export(actor: Any, req: DocumentRequest) -> tuple[bytes, str]:
    return docrequest_slip(actor=actor, request=req)


PDF_KINDS = (
    DocumentKind(
        name="fieldwork.slip",
        label=_("调阅资料交接单"),
        find=_find,
        export=_export,
        filed_under=lambda req: {"inspection": req.inspection},
        audience="team",
        page=lambda req: reverse("docrequest_list", args=[req.inspection_id]),
    ),
)
