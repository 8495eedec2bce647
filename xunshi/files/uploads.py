"""An upload read into memory only after its declared size passed, then checked by content.

Shared by `forms.UploadField` and `actions.attachment_store`, which accept a Django
``UploadedFile``, a ``(name, bytes)`` pair (tests, imports, other apps' code) or a
`CheckedUpload` that a form already produced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from uploadscan import Detected, UploadRefused, check_upload, clean_name, size_text

__all__ = ["CheckedUpload", "Upload", "check", "read_upload"]


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    data: bytes
    detected: Detected


Upload = UploadedFile | tuple[str, bytes] | CheckedUpload


def read_upload(upload: UploadedFile) -> tuple[str, bytes]:
    """The name and bytes; an oversized upload is refused before it is read into memory."""
    name = clean_name(upload.name or "")
    limit = settings.XUNSHI_UPLOAD_MAX_BYTES
    declared = upload.size or 0
    if declared > limit:
        raise ValidationError(
            f"文件“{name}”大小为{size_text(declared)}，超过{size_text(limit)}的上限。",
            code="too_large",
        )
    upload.seek(0)
    # A client can lie about the size; read one byte past the limit to find out.
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(f"文件“{name}”超过{size_text(limit)}的上限。", code="too_large")
    return name, data


def check(upload: Upload) -> CheckedUpload:
    """The upload read and checked by `uploadscan.check_upload` against
    ``XUNSHI_UPLOAD_MAX_BYTES`` (again, if a form checked it); a refusal is a ValidationError."""
    if isinstance(upload, CheckedUpload):
        name, data = upload.name, upload.data
    elif isinstance(upload, tuple):
        name, data = clean_name(upload[0]), upload[1]
    else:
        name, data = read_upload(upload)
    try:
        detected = check_upload(name, data, max_bytes=settings.XUNSHI_UPLOAD_MAX_BYTES)
    except UploadRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from refused
    return CheckedUpload(name=name, data=data, detected=detected)
