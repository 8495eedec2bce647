"""`UploadField`: the form field other apps use for evidence and attachments.

It refuses an oversized upload before reading it, checks the content with
`uploadscan.check_upload`, and cleans to a `CheckedUpload` (name, bytes and the `Detected` kind)
that `actions.attachment_store` accepts as its ``upload``. One file per field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from uploadscan import ACCEPTED_TEXT, KINDS

from .uploads import CheckedUpload, check

__all__ = ["ACCEPT", "UploadField"]

# For the file picker only; the server never trusts the name.
ACCEPT = ",".join(ext for kind in KINDS.values() for ext in kind.extensions)


class UploadField(forms.FileField):
    widget = forms.ClearableFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("附件"))
        kwargs.setdefault("help_text", f"接收{ACCEPTED_TEXT}；不接收含宏、脚本或嵌入对象的文件。")
        # Our own Chinese sentence names the empty file; Django's would not.
        kwargs["allow_empty_file"] = True
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data: Any, initial: Any = None) -> CheckedUpload | None:
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return None
        return check(upload)
