"""The Word documents that may also be had as PDF, each told by the app that writes it.

The PDF job (xunshi/pdfjobs) stands above the apps whose documents it converts, and asks none of
them: each app registers its kinds from its `AppConfig.ready`, with the same two functions its
.docx download uses — `find`, the access lookup of the download's view (404 outside the
user's scope, 403 without the function), and `export`, the app's export action, which builds
the document and records the export. The PDF is therefore the .docx of the same code path,
for the same readers, audited the same way. Registered here, at the bottom of the floor plan,
so that every app can register, rounds included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["DocumentKind", "document_kind", "document_kind_register", "document_kinds"]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of Word document, as its app describes it to the PDF job."""

    name: str  # "findings.report": in URLs, on the job row
    label: Any  # what the document is called (a lazy translation)
    find: Callable[[Any, int], Any]  # (user, pk) → the document's object; Http404/PermissionDenied
    export: Callable[[Any, Any], tuple[bytes, str]]  # (actor, object) → (.docx bytes, file name)
    filed_under: Callable[[Any], dict[str, Any]]  # object → {"inspection": …} or {"body": …}
    audience: str  # the stored PDF's audience in files: "team" or "rectification"
    page: Callable[[Any], str]  # object → the URL of the page the document is downloaded from


_REGISTERED: dict[str, DocumentKind] = {}


def document_kind_register(kind: DocumentKind) -> None:
    """Tell the PDF job about a kind of document (registering a name again replaces it)."""
    _REGISTERED[kind.name] = kind


def document_kind(name: str) -> DocumentKind | None:
    """The kind registered under that name, or None."""
    return _REGISTERED.get(name)


def document_kinds() -> tuple[DocumentKind, ...]:
    """Every registered kind."""
    return tuple(_REGISTERED.values())
