"""UploadField: the helper other apps' forms use for evidence and attachments."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from xunshi.files.forms import UploadField
from xunshi.files.uploads import CheckedUpload

from . import samples


class EvidenceForm(forms.Form):
    file = UploadField()


def test_it_cleans_to_the_checked_upload():
    form = EvidenceForm(files={"file": SimpleUploadedFile("整改材料.pdf", samples.pdf())})
    assert form.is_valid(), form.errors
    upload = form.cleaned_data["file"]
    assert isinstance(upload, CheckedUpload)
    assert (upload.name, upload.detected.kind) == ("整改材料.pdf", "pdf")
    assert upload.data == samples.pdf()


def test_it_shows_the_refusal_under_the_field():
    form = EvidenceForm(files={"file": SimpleUploadedFile("报告.docm", samples.docm())})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "文件“报告.docm”含有宏代码，出于安全原因不予接收，请另存为不含宏的文档后再上传。"
    ]


def test_it_names_an_empty_file():
    form = EvidenceForm(files={"file": SimpleUploadedFile("空.pdf", b"")})
    assert form.errors["file"] == ["文件“空.pdf”是空文件，请检查后重新上传。"]


class _NeverRead(SimpleUploadedFile):
    def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an oversized upload must not be read")


def test_it_refuses_an_oversized_upload_before_reading_it(settings):
    upload = _NeverRead("大.pdf", b"%PDF-")
    upload.size = 25 * 1024 * 1024 + 300 * 1024
    form = EvidenceForm(files={"file": upload})
    assert form.errors["file"] == ["文件“大.pdf”大小为25.3 MB，超过20 MB的上限。"]


def test_it_does_not_trust_a_declared_size(settings):
    settings.XUNSHI_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("大.txt", b"a" * 500)
    upload.size = 10
    form = EvidenceForm(files={"file": upload})
    assert form.errors["file"] == ["文件“大.txt”超过100 字节的上限。"]


def test_the_file_picker_offers_the_accepted_extensions():
    html = str(EvidenceForm()["file"])
    assert 'accept=".pdf,.jpg,.jpeg' in html
    assert "multiple" not in html
