"""The one response of every file download, and the audit event of a download no export records.

Each download view gets its bytes from an action that checks nothing the view has not checked
and records the download in the audit trail, in its own transaction (`files.attachment.
download`, `rectification.report.export`, `inspections.document.export`, `rounds.plan.export`,
...): that action knows what went out (rows, problems, the SHA-256), so the event is written
there, once. `download_response` writes nothing; it only turns bytes into a download that a
browser saves under its Chinese name and keeps nowhere:

- ``Content-Disposition: attachment`` with the name per RFC 6266/5987 (``filename*``) and an
  ASCII fallback for the clients that do not read it;
- ``Cache-Control: private, no-store``: no proxy and no disk cache keeps a copy;
- ``X-Content-Type-Options: nosniff`` and the type the caller found, never one guessed;
- ``Content-Length``;
- with ``sandbox``, for files someone uploaded, a policy under which a browser that renders
  the file after all runs nothing and loads nothing.

A download whose bytes come from no recording action (the blank import templates) calls
`download_record` first, so that it too leaves exactly one event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.http import FileResponse, HttpResponse

from xunshi.accounts.actors import Actor
from xunshi.lib.sheets import XLSX, Table, workbook_bytes

from .actions import record
from .models import AuditEvent

__all__ = [
    "content_disposition",
    "download_file_response",
    "download_record",
    "download_response",
    "table_download",
]

_SAFE_ASCII = re.compile(r"^[A-Za-z0-9 ._()\-]+$")


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one per RFC 5987 (filename*)."""
    _, dot, ext = name.rpartition(".")
    fallback = name if _SAFE_ASCII.match(name) else "attachment" + (dot + ext if dot else "")
    if not _SAFE_ASCII.match(fallback):
        fallback = "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(name, safe='')}"


def download_response(
    content: bytes, *, name: str, content_type: str, sandbox: bool = False
) -> HttpResponse:
    """The bytes as a download named `name`, not cached, not sniffed (see the module's notes)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_file_response(path: Path, *, name: str, content_type: str) -> FileResponse:
    """A file on disk as a download with the headers of `download_response`, streamed in
    blocks (a large export is never held in memory)."""
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Content-Length"] = str(path.stat().st_size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str = "",
    object_repr: str = "",
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record a download whose bytes no export action recorded (a blank template)."""
    with transaction.atomic():
        return record(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            after=after,
        )


def table_download(
    *,
    actor: Actor,
    name: str,
    tables: list[Table],
    object_type: str,
    filters: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A list or a chart's table as an Excel download, recorded as `<object_type>.export` with
    the number of rows and the filters that chose them (never a row's content).

    The caller passes only rows the user may see (the list's own scoped query), so the export
    and the page agree row for row; every cell goes through `xunshi/lib/sheets.py`, which writes
    no formula.
    """
    counted: list[int] = [0] * len(tables)

    def _count(index: int, rows: Any) -> Any:
        for row in rows:
            counted[index] += 1
            yield row

    content = workbook_bytes(
        Table(t.title, t.head, _count(i, t.rows), t.widths) for i, t in enumerate(tables)
    )
    download_record(
        actor=actor,
        action=f"{object_type}.export",
        object_type=object_type,
        object_repr=name,
        after={"rows": sum(counted), "filters": dict(filters or {})},
    )
    return download_response(content, name=name, content_type=XLSX)
