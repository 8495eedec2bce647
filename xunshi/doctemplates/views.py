"""The office's page of its documents' templates: each kind's versions, the upload of a
changed .docx (checked, refused with the reason), a preview of any version rendered with
the sample, and the way back to an earlier version. Each POST reads form → access → action
→ redirect back to the page with the action's refusal as a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.officedoc import DOCX_CONTENT_TYPE

from .access import templates_body_for
from .actions import template_restore, template_upload
from .models import DocumentTemplate, TemplateKind
from .pdf_kinds import preview_key
from .queries import current_version, preview_docx, template_bytes, versions_of
from .wording import KINDS

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


@require_safe
def doctemplate_list(request: SignedInRequest) -> HttpResponse:
    body = templates_body_for(request.user)
    kinds: list[dict[str, Any]] = []
    for kind in TemplateKind:
        kinds.append(
            {
                "kind": kind,
                "current": current_version(body, kind),
                # Each version with the number its PDF preview is asked by (pdf_kinds).
                "versions": [(t, preview_key(kind, t.version)) for t in versions_of(body, kind)],
                "first_pdf": preview_key(kind, 1),
                "placeholders": KINDS[kind].placeholders.items(),
            }
        )
    return render(request, "doctemplates/list.html", {"kinds": kinds, "body": body})


@require_POST
def doctemplate_upload(request: SignedInRequest, kind: str) -> HttpResponse:
    body = templates_body_for(request.user, kind)
    upload = request.FILES.get("file")
    if upload is None or not (upload.name or "").lower().endswith(".docx"):
        messages.error(request, _("请选择要上传的Word模板（.docx）。"))
    elif (upload.size or 0) > MAX_TEMPLATE_BYTES:
        messages.error(request, _("模板文件不能超过5MB。"))
    else:
        try:
            template = template_upload(
                actor=request.user,
                body=body,
                kind=kind,
                content=upload.read(),
                note=request.POST.get("note", "")[:200],
            )
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已启用模板第%(version)s版；此前生成的公文不变。")
                % {"version": template.version},
            )
    return redirect("doctemplate_list")


@require_POST
def doctemplate_restore(request: SignedInRequest, kind: str, version: int) -> HttpResponse:
    body = templates_body_for(request.user, kind)
    try:
        template = template_restore(actor=request.user, body=body, kind=kind, version=version)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已恢复第%(old)s版的模板，作为第%(version)s版启用。")
            % {"old": version, "version": template.version},
        )
    return redirect("doctemplate_list")


@require_safe
def doctemplate_preview(request: SignedInRequest, kind: str, version: int) -> HttpResponse:
    body = templates_body_for(request.user, kind)
    try:
        content = template_bytes(body, kind, version)
    except DocumentTemplate.DoesNotExist as e:
        raise Http404 from e
    # ?template=1: the file itself, to edit in Word; otherwise rendered with the sample.
    raw = request.GET.get("template") == "1"
    body_bytes = content if raw else preview_docx(body, kind, version)
    response = HttpResponse(body_bytes, content_type=DOCX_CONTENT_TYPE)
    name = f"{'template' if raw else 'preview'}-{kind}-{version}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
