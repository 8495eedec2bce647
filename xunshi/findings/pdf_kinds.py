"""The report stage's three documents as PDF kinds (xunshi.lib.documentkinds): the same access
lookups and the same export action as their .docx downloads (report_views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.lib.documentkinds import DocumentKind
from xunshi.rounds.models import Inspection

from .access import get_feedback_inspection_for, get_report_inspection_for
from .documents import document_export

__all__ = ["PDF_KINDS"]


def _export(kind: str) -> Any:
    def export(actor: Any, inspection: Inspection) -> tuple[bytes, str]:
        return document_export(actor=actor, inspection=inspection, kind=kind)

    return export


def _filed(inspection: Inspection) -> dict[str, Any]:
    return {"inspection": inspection}


PDF_KINDS = (
    DocumentKind(
        name="findings.report",
        label=_("巡视情况报告"),
        find=get_report_inspection_for,
        export=_export("report"),
        filed_under=_filed,
        audience="team",
        page=lambda inspection: reverse("report_page", args=[inspection.pk]),
    ),
    DocumentKind(
        name="findings.feedback",
        label=_("反馈意见"),
        find=get_feedback_inspection_for,
        export=_export("feedback"),
        filed_under=_filed,
        audience="rectification",
        page=lambda inspection: reverse("ledger", args=[inspection.pk]),
    ),
    DocumentKind(
        name="findings.notice",
        label=_("整改通知书"),
        find=get_feedback_inspection_for,
        export=_export("notice"),
        filed_under=_filed,
        audience="rectification",
        page=lambda inspection: reverse("ledger", args=[inspection.pk]),
    ),
)
