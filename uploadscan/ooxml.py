"""Identifying metadata out of Word, Excel and PowerPoint (Office Open XML) packages.

Only what identifies a person or a computer is touched, and every other part keeps its bytes,
so that the package still opens (mat2 left a docx that python-docx could not reopen):

- the core properties part (author, last modified by, dates, title, subject, keywords,
  description, revision, category …) becomes an empty ``coreProperties`` element;
- the extended properties part (company, manager, template, application and version, edit
  time, statistics) becomes an empty ``Properties`` element;
- the custom properties part (WPS writes its build number and an ``ICV`` identifier there)
  and the thumbnail (a picture of the first page, possibly of an older version) are removed
  with their relationship in ``_rels/.rels`` and their ``Override`` in
  ``[Content_Types].xml``;
- Excel's ``x15ac:absPath`` (the folder the workbook was saved in, ``C:\\Users\\<name>\\…``)
  is emptied in ``xl/workbook.xml``;
- JPEG and PNG pictures under ``…/media/`` lose their EXIF, XMP, ICC, text and comment
  segments without being re-encoded (`segments`);
- every member is written with the 1980-01-01 timestamp, without extra fields or comments.

What stays, and may still identify someone: names of comment and tracked-change authors
(``w:author``), ``word/people.xml``, revision session ids (rsid), ``customXml/`` items,
printer settings, and pictures in other formats.
"""

from __future__ import annotations

import io
import re
import zipfile

from .policy import XML_PART_MAX_BYTES
from .segments import PNG_SIGNATURE, strip_jpeg_segments, strip_png_chunks

__all__ = ["strip_ooxml"]

_CORE = (
    b"/package/2006/relationships/metadata/core-properties",
    b"/officeDocument/2006/relationships/metadata/core-properties",  # ISO/IEC 29500 strict
)
_EXTENDED = (b"/extended-properties",)
_DROPPED = (b"/custom-properties", b"/metadata/thumbnail")

_XML_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_EMPTY_CORE = _XML_HEAD + (
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms='
    b'"http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi='
    b'"http://www.w3.org/2001/XMLSchema-instance"/>'
)
_EXTENDED_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_EXTENDED_NS_STRICT = b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"
_VT_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*?(?:/>|>\s*</Relationship\s*>)", re.I)
_ATTRIBUTE = r"\b{}\s*=\s*(?:\"([^\"]*)\"|'([^']*)')"
_TYPE = re.compile(_ATTRIBUTE.format("Type").encode())
_TARGET = re.compile(_ATTRIBUTE.format("Target").encode())
_ABS_PATH = re.compile(rb"(<(?:[\w.-]+:)?absPath\b[^>]*?\burl\s*=\s*)(\"[^\"]*\"|'[^']*')")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def strip_ooxml(data: bytes) -> bytes:
    """The package without its identifying properties; raises ValueError or zipfile's errors
    when it cannot be read."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
        by_name = {i.filename: i for i in infos}
        by_lower = {name.lower(): name for name in by_name}
        rels = _read_small(package, by_name.get("_rels/.rels"))
        types = _read_small(package, by_name.get("[Content_Types].xml"))
        # The parts by their relationship from the package, and by their usual names.
        core, extended, dropped = set(), set(), set()
        for _, rel_type, part in _relationships(rels):
            name = by_lower.get(part.lower())
            if name is None:
                continue
            if rel_type.endswith(_CORE):
                core.add(name)
            elif rel_type.endswith(_EXTENDED):
                extended.add(name)
            elif rel_type.endswith(_DROPPED):
                dropped.add(name)
        for usual, found in (("docprops/core.xml", core), ("docprops/app.xml", extended)):
            if usual in by_lower:
                found.add(by_lower[usual])
        if "docprops/custom.xml" in by_lower:
            dropped.add(by_lower["docprops/custom.xml"])

        replaced = {name: _EMPTY_CORE for name in core}
        for name in extended - core:
            replaced[name] = _empty_extended(_read_small(package, by_name[name]))
        dropped -= core | extended
        if dropped:
            replaced["_rels/.rels"] = _without_relationships(rels, dropped)
            replaced["[Content_Types].xml"] = _without_overrides(types, dropped)
        if "xl/workbook.xml" in by_name:
            workbook = _read_small(package, by_name["xl/workbook.xml"], limit=64 * 1024 * 1024)
            replaced["xl/workbook.xml"] = _ABS_PATH.sub(rb'\1""', workbook)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as clean:
            for info in infos:
                if info.filename in dropped:
                    continue
                body = replaced.get(info.filename)
                if body is None:
                    body = package.read(info)
                    if "/media/" in info.filename.lower():
                        body = _strip_picture(body)
                member = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
                member.compress_type = (
                    zipfile.ZIP_STORED
                    if info.compress_type == zipfile.ZIP_STORED
                    else zipfile.ZIP_DEFLATED
                )
                clean.writestr(member, body)
    return out.getvalue()


def _read_small(
    package: zipfile.ZipFile, info: zipfile.ZipInfo | None, *, limit: int = XML_PART_MAX_BYTES
) -> bytes:
    if info is None:
        return b""
    if info.file_size > limit:
        raise ValueError(f"{info.filename} is larger than {limit} bytes")
    return package.read(info)


def _relationships(rels: bytes) -> list[tuple[bytes, bytes, str]]:
    """(element, type in lower case, target part name) of each relationship of the package."""
    found = []
    for m in _RELATIONSHIP.finditer(rels):
        element = m.group(0)
        rel_type, target = _TYPE.search(element), _TARGET.search(element)
        if rel_type and target:
            part = (target.group(1) or target.group(2) or b"").decode("utf-8", "replace")
            found.append(
                (element, (rel_type.group(1) or rel_type.group(2) or b"").lower(), part.lstrip("/"))
            )
    return found


def _without_relationships(rels: bytes, parts: set[str]) -> bytes:
    """rels without the relationships to parts; ValueError if one cannot be taken out."""
    lowered = {p.lower() for p in parts}
    for element, _, part in _relationships(rels):
        if part.lower() in lowered:
            rels = rels.replace(element, b"")
    if any(part.lower() in lowered for _, _, part in _relationships(rels)):
        raise ValueError("a relationship to a removed part is still there")
    return rels


def _without_overrides(types: bytes, parts: set[str]) -> bytes:
    for part in parts:
        name = re.escape(("/" + part).encode())
        pattern = rb"<Override\b[^>]*?\bPartName\s*=\s*[\"']" + name + rb"[\"'][^>]*?/>"
        types = re.sub(pattern, b"", types, flags=re.I)
    return types


def _empty_extended(original: bytes) -> bytes:
    namespace = _EXTENDED_NS_STRICT if _EXTENDED_NS_STRICT in original else _EXTENDED_NS
    return _XML_HEAD + b'<Properties xmlns="' + namespace + b'" xmlns:vt="' + _VT_NS + b'"/>'


def _strip_picture(body: bytes) -> bytes:
    if body.startswith(b"\xff\xd8\xff"):
        return strip_jpeg_segments(body)
    if body.startswith(PNG_SIGNATURE):
        return strip_png_chunks(body)
    return body
