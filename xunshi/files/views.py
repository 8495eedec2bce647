"""The download of an attachment: access (files.access) → audited read (files.actions) → bytes.

The response is the one download of every app (`xunshi.audit.downloads`), with the type found
in the content and, since someone uploaded the file, the sandbox policy.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_response

from . import actions
from .access import get_attachment_for


@require_GET
def attachment_download(request: SignedInRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for(request.user, pk)
    try:
        data = actions.attachment_download(actor=request.user, attachment=attachment)
    except actions.AttachmentDamaged as e:
        body = render_to_string(
            "error.html",
            {"title": _("附件无法下载"), "text": str(e), "status": 500},
            request=request,
        )
        return HttpResponse(body, status=500)
    return download_response(
        data, name=attachment.original_name, content_type=attachment.mime, sandbox=True
    )
