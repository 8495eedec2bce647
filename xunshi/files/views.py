"""The download of an attachment: access (files.access) → audited read (files.actions) → bytes.

The response is always a download (never shown inline), with the type found in the content,
``nosniff`` and no caching anywhere but the user's own browser memory.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import actions
from .access import get_attachment_for

_SAFE_ASCII = re.compile(r"^[A-Za-z0-9 ._()\-]+$")


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one per RFC 5987 (filename*)."""
    _, dot, ext = name.rpartition(".")
    fallback = name if _SAFE_ASCII.match(name) else "attachment" + (dot + ext if dot else "")
    if not _SAFE_ASCII.match(fallback):
        fallback = "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
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
    response = HttpResponse(data, content_type=attachment.mime)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser still render it, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
