"""Excel import and export of the registry: templates, upload, the job page, the export.

Importing is for the office (capability import.run). Exporting is for those who see the whole
registry: the office and the leading group.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_record, download_response

from .access import get_import_job_for
from .excel import KINDS, XLSX_CONTENT_TYPE, write_workbook
from .excel_export import export_workbook
from .excel_read import upload_problem
from .import_actions import import_job_create
from .models import ImportJob, ImportKind
from .queries import recent_import_jobs
from .tasks import run_import


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404("没有这种导入类型。")
    return kind


def _file_kind(kind: str) -> str:
    """The kind's Chinese name for a file name: the workbooks are Chinese in every language."""
    with override(None):
        return str(ImportKind(kind).label)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return download_response(content, name=filename, content_type=XLSX_CONTENT_TYPE)


@require_safe
def import_list(request: SignedInRequest) -> HttpResponse:
    require(request.user, "import.run")
    return render(
        request,
        "registry/import_list.html",
        {
            "jobs": recent_import_jobs(request.user.body, 20) if request.user.body else [],
            "kinds": ImportKind.choices,
            "body": request.user.body,
            "max_bytes": settings.XUNSHI_IMPORT_MAX_BYTES,
        },
    )


@require_safe
def import_template(request: SignedInRequest, kind: str) -> HttpResponse:
    require(request.user, "import.run")
    out = io.BytesIO()
    write_workbook(_kind(kind), out)
    name = f"{_file_kind(kind)}导入模板.xlsx"
    # The blank template comes from no export action, so its download is recorded here.
    download_record(
        actor=request.user,
        action="registry.template.download",
        object_type="registry.orgunit" if kind == ImportKind.ORGS else "registry.cadre",
        object_id=kind,
        object_repr=name,
        after={"kind": kind},
    )
    return _xlsx(out.getvalue(), name)


@require_POST
def import_upload(request: SignedInRequest) -> HttpResponse:
    require(request.user, "import.run")
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in KINDS or upload is None:
        messages.error(request, _("请选择要导入的Excel文件。"))
        return redirect("import_list")
    problem = upload_problem(upload)
    if problem:
        messages.error(request, problem)
        return redirect("import_list")
    body = request.user.body
    if body is None:
        messages.error(request, _("您的账号未关联派出巡视的党组织，不能导入。"))
        return redirect("import_list")
    job = import_job_create(actor=request.user, kind=kind, upload=upload, body=body)
    run_import.enqueue(job.pk)
    return redirect("import_job", pk=job.pk)


def _result(job: ImportJob) -> dict[str, Any]:
    count = job.summary.get("error_count", len(job.errors)) if job.errors else 0
    return {"job": job, "error_count": count, "errors_cut": count > len(job.errors)}


@require_safe
def import_job(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_import_job_for(request.user, pk)
    return render(request, "registry/import_job.html", _result(job))


@require_safe
def import_job_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_import_job_for(request.user, pk)
    return render(request, "registry/import_job_progress.html", _result(job))


@require_safe
def export(request: SignedInRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    require(request.user, "registry.export")
    content = export_workbook(actor=request.user, kind=kind)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(content, f"{_file_kind(kind)}-{stamp}.xlsx")
