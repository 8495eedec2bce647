"""What the documents read of the templates: the version the next document of a kind is
made with, and the file of any version (the shipped one for version 1 without a row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xunshi.registry.models import InspectingBody

from .models import DocumentTemplate
from .wording import KINDS, render

__all__ = [
    "SHIPPED",
    "current_version",
    "preview_docx",
    "shipped",
    "template_bytes",
    "version_at",
    "versions_of",
]

SHIPPED = Path(__file__).resolve().parent / "shipped"


def shipped(kind: str) -> bytes:
    """Version 1 of a kind: the file shipped with Xunshi."""
    return (SHIPPED / f"{kind}.docx").read_bytes()


def current_version(body: InspectingBody, kind: str) -> int:
    """The version the body's next document of the kind is made with."""
    last = DocumentTemplate.objects.filter(body=body, kind=kind).order_by("-version").first()
    return last.version if last else 1


def version_at(body: InspectingBody, kind: str, at: dt.datetime | None) -> int:
    """The version the body's document of the kind issued at `at` was made with: the last one
    uploaded by then (versions are never changed, so this never moves afterwards); the current
    one for `at` None, a document not issued yet."""
    rows = DocumentTemplate.objects.filter(body=body, kind=kind)
    if at is not None:
        rows = rows.filter(created_at__lte=at)
    last = rows.order_by("-version").first()
    return last.version if last else 1


def template_bytes(body: InspectingBody, kind: str, version: int) -> bytes:
    """The file of one of the body's versions (1: the shipped one unless a row says
    otherwise)."""
    row = DocumentTemplate.objects.filter(body=body, kind=kind, version=version).first()
    if row is not None:
        return bytes(row.content)
    if version == 1:
        return shipped(kind)
    raise DocumentTemplate.DoesNotExist(f"{kind} v{version}")


def versions_of(body: InspectingBody, kind: str) -> list[DocumentTemplate]:
    """The body's uploaded versions of the kind, newest first, without their files."""
    rows = DocumentTemplate.objects.filter(body=body, kind=kind).select_related("created_by")
    return list(rows.defer("content").order_by("-version"))


def preview_docx(body: InspectingBody, kind: str, version: int) -> bytes:
    """A version rendered with the kind's sample: what its documents will look like."""
    return render(template_bytes(body, kind, version), KINDS[kind].sample)
