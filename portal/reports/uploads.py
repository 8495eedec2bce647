"""Uploads are read into memory only, never spooled to a temporary file in plain text.

Django's default handlers write a file over 2.5 MB to the temporary directory; a reporter's
attachment must exist only inside its envelope. This handler keeps at most one byte past the
size limit of each of the first PORTAL_MAX_FILES files and only counts the rest, so that the
form can say "too large" or "too many" without holding an unbounded body in memory.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

__all__ = ["BoundedMemoryUploadHandler"]


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Every file in memory, cut one byte past PORTAL_MAX_FILE_BYTES; ``size`` stays true."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        self.buffer = BytesIO()
        self.received = 0
        self.keep = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.buffer = BytesIO()
        self.received = 0
        self.keep = self.files_seen <= settings.PORTAL_MAX_FILES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        room = settings.PORTAL_MAX_FILE_BYTES + 1 - self.buffer.tell()
        if self.keep and room > 0:
            self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
