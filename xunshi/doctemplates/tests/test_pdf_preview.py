"""A version's preview also as PDF: asked for on the templates page, built by the worker's
PDF job (LibreOffice), for the office alone."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from xunshi.doctemplates.actions import template_upload
from xunshi.doctemplates.pdf_kinds import preview_key
from xunshi.doctemplates.queries import shipped
from xunshi.pdfjobs.models import PdfJob

from .edits import edited

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is missing (apt-get install libreoffice-writer-nogui)",
)
KIND = "feedback"


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.XUNSHI_FILES_ROOT = tmp_path / "files"
    return tmp_path / "files"


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text() or "" for page in reader.pages).split())


def test_the_office_gets_a_versions_preview_as_pdf(world, login):
    alice = world.users["alice"]
    changed = edited(shipped(KIND), "切实履行", "认真履行")
    template_upload(actor=alice, body=world.body, kind=KIND, content=changed)
    client = login(alice)
    ask = reverse("pdf_request", args=["doctemplates.preview", preview_key(KIND, 2)])
    assert ask in client.get(reverse("doctemplate_list")).content.decode()
    assert client.post(ask).status_code == 302
    job = PdfJob.objects.select_related("job").get()
    pdf = client.get(reverse("pdf_download", args=[job.pk]))
    text = _pdf_text(pdf.content)
    # The sample, worded by version 2.
    assert "兰考县党委" in text and "认真履行整改主体责任" in text

    missing = reverse("pdf_request", args=["doctemplates.preview", preview_key(KIND, 9)])
    assert client.post(missing).status_code == 404
    for name in ("gina", "bob", "erin"):
        assert login(world.users[name]).post(ask).status_code == 403
    assert PdfJob.objects.count() == 1
