"""Reporters' files: counted, sized, typed by content, refused when dangerous, then cleaned.

Both the original (the evidence) and the copy without metadata go into the envelope; neither
is written anywhere else.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from uploadscan import UploadRefused, check_upload, clean_name, size_text, strip_metadata

__all__ = ["Attachment", "attachments_read"]


@dataclass(frozen=True)
class Attachment:
    name: str
    kind: str
    original: bytes
    clean: bytes

    def as_envelope_item(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "original": base64.b64encode(self.original).decode("ascii"),
            "clean": base64.b64encode(self.clean).decode("ascii"),
        }


def attachments_read(files: list[UploadedFile]) -> tuple[list[Attachment], list[str]]:
    """The checked and cleaned attachments, or the reasons (in Chinese) they were refused."""
    limit, most = settings.PORTAL_MAX_FILE_BYTES, settings.PORTAL_MAX_FILES
    if len(files) > most:
        return [], [f"最多可上传{most}个附件，您选择了{len(files)}个，请减少后重新选择。"]
    kept: list[Attachment] = []
    errors: list[str] = []
    for upload in files:
        name = clean_name(upload.name or "")
        size = upload.size or 0
        if size > limit:
            errors.append(f"文件“{name}”大小为{size_text(size)}，超过{size_text(limit)}的上限。")
            continue
        upload.seek(0)
        data = upload.read(limit + 1)
        try:
            # Its message names the file already.
            detected = check_upload(name, data, max_bytes=limit)
        except UploadRefused as refused:
            errors.append(refused.message)
            continue
        try:
            clean = strip_metadata(detected.kind, data)
        except UploadRefused as refused:
            errors.append(f"文件“{name}”：{refused.message}")
            continue
        kept.append(Attachment(name=name, kind=detected.kind, original=data, clean=clean))
    return kept, errors
