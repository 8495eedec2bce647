"""What an uploaded file really is, whether it may be kept, and a copy of it without
metadata: shared by the internal app (``xunshi.files``) and the public portal.

Pure functions of bytes, no database and no settings: the caller passes its limits in. It
imports no Django and nothing of ``xunshi``, ``config`` or ``portal``: every refusal is an
`UploadRefused` with a Chinese sentence the user reads (``message``) and a ``code``, which the
caller turns into its own error (the internal app's forms raise a ``ValidationError``).

**Checking.** `check_upload(name, data, max_bytes=…)` returns the `Detected` kind of an
accepted file or raises an `UploadRefused` whose message is one Chinese sentence naming the
file. The order of the checks is: size; type from the first bytes (``filetype``, and our own
look into ZIP and OLE containers); the dangers of that type (macros, embedded objects, DDE
fields and links and external templates in Office files, scripts and actions in PDFs and OFD
files, archive bombs and nested archives in ZIPs, markup and scripts posing as text); last,
the name's extension must fit the content. A PDF renamed to ``.jpg`` is refused with a
message that says it is a PDF: the name is what the reader sees and what a desktop opens the
download with, so it must not lie.

Nothing is extracted to disk. ZIP sizes come from the central directory; where a member's
content is read, its decompression is streamed with a limit, so a lying directory cannot
make us inflate more than `MAX_UNPACKED_BYTES`. Member names written in GBK (Chinese
Windows) are decoded as such. Modules: `check` (kinds, names, text, images), `office` (ZIP,
OOXML, OFD, OLE), `pdf` (pypdf), `policy` (limits, refused types, `Refused`,
`UploadRefused`).

**Removing metadata.** `strip_metadata(kind, data)` returns a copy of an accepted file
without what identifies its author or device: pictures are encoded again without EXIF, XMP,
ICC or text; Office packages lose their document properties, thumbnail and the metadata of
their pictures; OFD files the author, software and dates of their DocInfo; PDFs are
rewritten without /Info and XMP. Old Office files, text and ZIP archives come back
unchanged. Modules: `metadata`, `ooxml`, `ofd`, `segments`. Pillow and pypdf are imported
only when a picture or a PDF is checked or cleaned.
"""

from __future__ import annotations

from .check import (
    ACCEPTED_TEXT,
    KINDS,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    Detected,
    check_upload,
    clean_name,
    size_text,
)
from .metadata import MAX_IMAGE_PIXELS, UNCHANGED_KINDS, strip_metadata
from .policy import UploadRefused

__all__ = [
    "ACCEPTED_TEXT",
    "KINDS",
    "MAX_IMAGE_PIXELS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "UNCHANGED_KINDS",
    "Detected",
    "UploadRefused",
    "check_upload",
    "clean_name",
    "size_text",
    "strip_metadata",
]
