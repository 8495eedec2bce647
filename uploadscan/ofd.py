"""Identifying metadata out of OFD files (GB/T 33190), the format of electronic official
documents: a ZIP whose entry ``OFD.xml`` holds the document's ``DocInfo``.

Like `uploadscan.ooxml`, only what identifies a person or a computer is touched and every
other member keeps its bytes:

- in ``OFD.xml``, the ``Author``, ``Creator`` (the software), ``CreatorVersion``,
  ``CreationDate``, ``ModDate`` and ``CustomDatas`` (where suites write the user, the
  terminal or the unit) elements of ``DocInfo`` are removed; ``DocID``, ``Title``,
  ``Subject``, ``Abstract``, ``Keywords``, ``DocUsage`` and ``Cover`` stay, being about the
  document rather than about who made it;
- JPEG and PNG pictures lose their EXIF, XMP, ICC, text and comment segments without being
  re-encoded (`segments`);
- every member is written with the 1980-01-01 timestamp, without extra fields or comments.

An electronic seal or signature (``Signs/``) that covers ``OFD.xml`` no longer verifies on the
clean copy: the original, kept as evidence, is the one to verify.
"""

from __future__ import annotations

import io
import re
import zipfile

from .policy import XML_PART_MAX_BYTES
from .segments import PNG_SIGNATURE, strip_jpeg_segments, strip_png_chunks

__all__ = ["strip_ofd"]

_IDENTIFYING = ("Author", "Creator", "CreatorVersion", "CreationDate", "ModDate", "CustomDatas")
_ELEMENT = r"<(?:[\w.-]+:)?{0}\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?{0}\s*>)"
_REMOVED = [re.compile(_ELEMENT.format(name).encode(), re.S) for name in _IDENTIFYING]
_EPOCH = (1980, 1, 1, 0, 0, 0)


def strip_ofd(data: bytes) -> bytes:
    """The OFD without its identifying DocInfo entries; raises ValueError or zipfile's errors
    when it cannot be read."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as clean:
            for info in package.infolist():
                if info.filename == "OFD.xml":
                    if info.file_size > XML_PART_MAX_BYTES:
                        raise ValueError("OFD.xml is too large")
                    body = _without_identifying(package.read(info))
                else:
                    body = package.read(info)
                    if body.startswith(b"\xff\xd8\xff"):
                        body = strip_jpeg_segments(body)
                    elif body.startswith(PNG_SIGNATURE):
                        body = strip_png_chunks(body)
                member = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
                member.compress_type = (
                    zipfile.ZIP_STORED
                    if info.compress_type == zipfile.ZIP_STORED
                    else zipfile.ZIP_DEFLATED
                )
                clean.writestr(member, body)
    return out.getvalue()


def _without_identifying(entry: bytes) -> bytes:
    for pattern in _REMOVED:
        entry = pattern.sub(b"", entry)
    return entry
