"""A template version's preview as a PDF kind (xunshi.lib.documentkinds): the worker of
xunshi/pdfjobs converts the same preview the page gives as .docx (the version rendered with
the kind's sample), for the office alone.

A PDF job names its document by one number; a version of a body's template is named by its
kind and version, so the number is `version × 100 + the kind's place in TemplateKind`
(`preview_key`); the body is the office's own, as on the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.lib.documentkinds import DocumentKind
from xunshi.registry.models import InspectingBody

from .access import templates_body_for
from .models import DocumentTemplate, TemplateKind
from .queries import preview_docx

__all__ = ["PDF_KINDS", "Preview", "preview_key"]

_KINDS = [kind.value for kind in TemplateKind]


@dataclass(frozen=True)
class Preview:
    """One version of one of the body's templates, as the PDF job's document."""

    body: InspectingBody
    kind: str
    version: int

    @property
    def pk(self) -> int:
        return preview_key(self.kind, self.version)


def preview_key(kind: str, version: int) -> int:
    """The number a PDF job names the preview of a kind's version by."""
    return version * 100 + _KINDS.index(kind)


def _find(user: Any, pk: int) -> Preview:
    version, place = divmod(pk, 100)
    if version < 1 or place >= len(_KINDS):
        raise Http404
    kind = _KINDS[place]
    body = templates_body_for(user, kind)
    preview = Preview(body=body, kind=kind, version=version)
    try:
        preview_docx(body, kind, version)
    except DocumentTemplate.DoesNotExist as e:
        raise Http404 from e
    return preview


def _export(actor: Any, preview: Preview) -> tuple[bytes, str]:
    content = preview_docx(preview.body, preview.kind, preview.version)
    return content, f"preview-{preview.kind}-{preview.version}.docx"


PDF_KINDS = (
    DocumentKind(
        name="doctemplates.preview",
        label=_("公文模板预览"),
        find=_find,
        export=_export,
        filed_under=lambda preview: {"body": preview.body},
        audience="team",
        page=lambda preview: reverse("doctemplate_list") + f"#kind-{preview.kind}",
    ),
)
