"""The ledger's two documents as PDF kinds (xunshi.lib.documentkinds): the same access lookups
and the same export actions as their .docx downloads (views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.lib.documentkinds import DocumentKind
from xunshi.rounds.models import Inspection

from .access import get_ledger_inspection_for, get_notice_for
from .documents import notice_export, report_export
from .models import SupervisionNotice

__all__ = ["PDF_KINDS"]


def _report(actor: Any, inspection: Inspection) -> tuple[bytes, str]:
    return report_export(actor=actor, inspection=inspection)


def _notice(actor: Any, notice: SupervisionNotice) -> tuple[bytes, str]:
    return notice_export(actor=actor, notice=notice)


def _ledger(user: Any, pk: int) -> Inspection:
    return get_ledger_inspection_for(user, pk)


PDF_KINDS = (
    DocumentKind(
        name="rectification.report",
        label=_("整改情况报告"),
        find=_ledger,
        export=_report,
        filed_under=lambda inspection: {"inspection": inspection},
        audience="rectification",
        page=lambda inspection: reverse("ledger", args=[inspection.pk]),
    ),
    DocumentKind(
        name="rectification.notice",
        label=_("督办函"),
        find=get_notice_for,
        export=_notice,
        filed_under=lambda notice: {"inspection": notice.inspection},
        audience="rectification",
        page=lambda notice: reverse("ledger", args=[notice.inspection_id]),
    ),
)
