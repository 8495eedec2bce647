"""The report page (报告与反馈) and the three Word documents of the report stage.

The page and the internal report (report.docx) are for the office, the leading group and
the inspection's team (`get_report_inspection_for`). The feedback and the rectification
notice exist once the feedback has been given, and reach one more reader: the liaison of
the inspected organization, for its own inspection only. Anyone else gets 404 for them, as
for anything outside one's scope. Every download is recorded (inspections.document.export).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import User
from xunshi.audit.downloads import download_response
from xunshi.rounds.access import is_team_leader
from xunshi.rounds.models import Inspection
from xunshi.rounds.tabs import inspection_context

from .access import get_feedback_inspection_for, get_report_inspection_for
from .documents import DOCX_CONTENT_TYPE, document_export
from .queries import feedback_date, report_text_of
from .report_actions import REPORT_TEXT_STAGES
from .report_actions import report_text_save as save_action


class ReportTextForm(forms.Form):
    overview = forms.CharField(
        label=gettext_lazy("基本情况"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    suggestions = forms.CharField(
        label=gettext_lazy("意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


def _page(
    request: SignedInRequest, inspection: Inspection, form: ReportTextForm | None = None
) -> HttpResponse:
    user = request.user
    report = report_text_of(inspection)
    may_write = is_team_leader(user, inspection) and inspection.stage in REPORT_TEXT_STAGES
    if form is None and may_write:
        initial = {"overview": report.overview, "suggestions": report.suggestions} if report else {}
        form = ReportTextForm(initial=initial)
    return render(
        request,
        "findings/report_page.html",
        {
            **inspection_context(user, inspection, "report"),
            "report": report,
            "form": form,
            "feedback_on": feedback_date(inspection),
            "problem_count": inspection.problems.count(),
        },
    )


@require_safe
def report_page(request: SignedInRequest, pk: int) -> HttpResponse:
    return _page(request, get_report_inspection_for(request.user, pk))


@require_POST
def report_text_save(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_report_inspection_for(request.user, pk)
    require(request.user, "onsite.edit")  # the team writes; the office and leading group read
    form = ReportTextForm(request.POST)
    if form.is_valid():
        try:
            save_action(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("巡视报告已保存。"))
            return redirect("report_page", pk=inspection.pk)
    return _page(request, inspection, form)


# --- documents --------------------------------------------------------------------------------


def _download(user: User, inspection: Inspection, kind: str) -> HttpResponse:
    content, filename = document_export(actor=user, inspection=inspection, kind=kind)
    return download_response(content, name=filename, content_type=DOCX_CONTENT_TYPE)


@require_safe
def report_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    return _download(request.user, get_report_inspection_for(request.user, pk), "report")


@require_safe
def feedback_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    return _download(request.user, get_feedback_inspection_for(request.user, pk), "feedback")


@require_safe
def notice_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    return _download(request.user, get_feedback_inspection_for(request.user, pk), "notice")
