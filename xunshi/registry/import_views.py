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
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_file_response, download_record, download_response
from xunshi.jobs.models import JobStatus

from .access import get_export_job_for, get_import_job_for
from .excel import KINDS, XLSX_CONTENT_TYPE, write_workbook
from .excel_read import upload_problem
from .export_actions import export_job_create, export_job_download, export_path
from .import_actions import import_job_create
from .models import ExportJob, ImportJob, ImportKind
from .queries import recent_export_jobs, recent_import_jobs
from .tasks import run_export, run_import


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


@require_http_methods(["GET", "HEAD", "POST"])
def export(request: SignedInRequest, kind: str) -> HttpResponse:
    """GET: the kind's export page with the user's recent exports; POST: a new export, which
    the task worker writes (a national registry takes tens of seconds)."""
    kind = _kind(kind)
    require(request.user, "registry.export")
    if request.method == "POST":
        job = export_job_create(actor=request.user, kind=kind)
        run_export.enqueue(job.pk)
        return redirect("export_job", pk=job.pk)
    return render(
        request,
        "registry/export.html",
        {
            "kind": kind,
            "kind_name": ImportKind(kind).label,
            "jobs": recent_export_jobs(request.user, kind, 10),
        },
    )


def _export_state(job: ExportJob) -> dict[str, Any]:
    expired = job.status == JobStatus.DONE and not export_path(job.stored_name).exists()
    return {"job": job, "expired": expired}


@require_safe
def export_job(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_export_job_for(request.user, pk)
    return render(request, "registry/export_job.html", _export_state(job))


@require_safe
def export_job_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_export_job_for(request.user, pk)
    return render(request, "registry/export_job_progress.html", _export_state(job))


@require_safe
def export_download(request: SignedInRequest, pk: int) -> HttpResponseBase:
    job = get_export_job_for(request.user, pk)
    if job.status != JobStatus.DONE or not export_path(job.stored_name).exists():
        raise Http404(_("导出文件不存在或已过期，请重新导出。"))
    path = export_job_download(actor=request.user, job=job)
    stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d")
    return download_file_response(
        path, name=f"{_file_kind(job.kind)}-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
