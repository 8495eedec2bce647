"""A template edited as the office edits it in Word: a sentence changed in the .docx."""

from __future__ import annotations

import io
import zipfile


def edited(content: bytes, old: str, new: str) -> bytes:
    """The .docx with `old` replaced by `new` in its text (word/document.xml)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                assert old in text, old
                data = text.replace(old, new).encode()
            target.writestr(item, data)
    return out.getvalue()
