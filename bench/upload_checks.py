"""How long `uploadscan.check_upload` takes on large files of each kind it reads inside.

    PYTHONPATH=. .venv/bin/python bench/upload_checks.py [runs]          (default 3)

Each file is built in memory first (no sample is read from disk), close to the 20 MB upload
limit where the kind allows: a PDF of 2,000 pages with a picture each, a PDF 1.5 whose
100,000 objects are packed in object streams, a Word document of 150,000 paragraphs with
page fields, an Excel workbook of 200,000 rows, an OFD of 2,000 pages, an old Word file of
6 MB of UTF-16 text (what the test writer of compound files holds), and a ZIP of them all
but the largest. The median of `runs` runs is
printed per file, with the verdict. To compare with another checkout, put its root first
on PYTHONPATH (the generators here do not use the package).
"""

from __future__ import annotations

import io
import random
import statistics
import struct
import sys
import time
import zipfile
import zlib

import uploadscan
from uploadscan.tests.samples import cfb

LIMIT = 20 * 1024 * 1024
_rng = random.Random(12)  # noqa: S311  (sample text and pixels, not secrets)


def _words(n: int) -> str:
    return "".join(
        _rng.choice("巡视组工作底稿整改落实情况报告问题线索谈话记录0123456789") for _ in range(n)
    )


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_pages(pages: int = 2000) -> bytes:
    """Catalog, pages, then per page: the page, its content, its picture (random bytes)."""
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    for i in range(pages):
        content, picture = 4 + 3 * i, 5 + 3 * i
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /XObject << /Im0 %d 0 R >> >> >>" % (content, picture)
        )
        text = b"BT /F1 12 Tf 72 720 Td (page %d) Tj ET q 100 0 0 100 72 500 cm /Im0 Do Q" % i
        objects.append(_stream(zlib.compress(text), b" /Filter /FlateDecode"))
        pixels = _rng.randbytes(9000)
        objects.append(
            _stream(
                pixels,
                b" /Type /XObject /Subtype /Image /Width 60 /Height 50 /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8",
            )
        )
    return _pdf(objects)


def pdf_object_streams(count: int = 100_000, per_stream: int = 100) -> bytes:
    """PDF 1.5: a catalog and a page, then `count` small dictionaries packed in object
    streams of `per_stream`, and a cross-reference stream."""
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    for number, obj in enumerate(plain, start=1):
        rows.append(struct.pack(">BIH", 1, len(out), 0))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    number = len(plain) + 1
    packed_rows: list[bytes] = []
    for _ in range(0, count, per_stream):
        stream_number = number
        number += 1
        header, body = b"", b""
        for i in range(per_stream):
            header += b"%d %d " % (number + i, len(body))
            body += b"<< /Type /Annot /Subtype /Text /Contents (%s) /Rect [0 0 10 10] >>\n" % (
                _rng.randbytes(8).hex().encode()
            )
            packed_rows.append(struct.pack(">BIH", 2, stream_number, i))
        rows.append(struct.pack(">BIH", 1, len(out), 0))
        rows.extend(packed_rows)
        packed_rows = []
        out += b"%d 0 obj\n" % stream_number + _stream(
            zlib.compress(header + body),
            b" /Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (per_stream, len(header)),
        )
        out += b"\nendobj\n"
        number += per_stream
    xref_offset = len(out)
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))
    out += b"%d 0 obj\n" % number + _stream(
        zlib.compress(b"".join(rows)),
        b" /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % (number + 1),
    )
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


_DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    b'"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    b'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
    b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
    b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)


def docx_paragraphs(paragraphs: int = 150_000) -> bytes:
    body = []
    for i in range(paragraphs):
        field = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            if i % 50 == 0
            else ""
        )
        body.append(f"<w:p><w:r><w:t>{_words(40)}</w:t></w:r>{field}</w:p>")
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://'
        'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    return _zip(
        {
            "[Content_Types].xml": _DOCX_TYPES,
            "_rels/.rels": _RELS,
            "word/document.xml": document.encode(),
        }
    )


def xlsx_rows(rows: int = 200_000) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for i in range(rows):
        sheet.append([i, _words(6), _words(10), _rng.randint(0, 10**6), "县财政局"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ofd_pages(pages: int = 2000) -> bytes:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    members = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:Title>通知</ofd:Title></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ).encode(),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:Pages>'
            + "".join(
                f'<ofd:Page ID="{i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages)
            )
            + "</ofd:Pages></ofd:Document>"
        ).encode(),
    }
    for i in range(pages):
        lines = "".join(
            f'<ofd:TextObject ID="{i}{j}" Boundary="20 {j * 6} 170 6" Font="2" Size="4">'
            f'<ofd:TextCode X="0" Y="4">{_words(30)}</ofd:TextCode></ofd:TextObject>'
            for j in range(40)
        )
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content>'
            f'<ofd:Layer ID="1">{lines}</ofd:Layer></ofd:Content></ofd:Page>'
        ).encode()
    return _zip(members)


def doc_text(megabytes: int = 6) -> bytes:
    text = _words(megabytes * 1024 * 1024 // 2).encode("utf-16-le")
    return cfb({"WordDocument": b"\xec\xa5" + b"\x00" * 30 + text, "1Table": b"\x00" * 16})


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"uploadscan from {uploadscan.__file__}")
    files = {
        "2000 页.pdf": pdf_pages(),
        "对象流.pdf": pdf_object_streams(),
        "底稿.docx": docx_paragraphs(),
        "台账.xlsx": xlsx_rows(),
        "公文.ofd": ofd_pages(),
        "底稿.doc": doc_text(),
    }
    files["材料.zip"] = _zip(
        {n: d for n, d in files.items() if n not in ("底稿.doc", "2000 页.pdf")}
    )
    print("| file | size | median of", runs, "| verdict |")
    print("|---|---|---|---|")
    for name, data in files.items():
        times = []
        verdict = ""
        for _ in range(runs):
            started = time.perf_counter()
            try:
                verdict = uploadscan.check_upload(name, data, max_bytes=max(LIMIT, len(data))).kind
            except uploadscan.UploadRefused as refused:
                verdict = refused.message[:60]
            times.append(time.perf_counter() - started)
        size = f"{len(data) / 1024 / 1024:.1f} MB"
        print(f"| {name} | {size} | {statistics.median(times):.2f} s | {verdict} |")


if __name__ == "__main__":
    main()
