"""How long LibreOffice takes to turn one of our Word documents into PDF, as the PDF job does
(`xunshi.lib.pdfconvert.docx_to_pdf`: a fresh process per document, the worker's own profile).

    PYTHONPATH=. .venv/bin/python bench/pdf_convert.py [runs]          (default 3)

Each document is built in the GB/T 9704 layout of `xunshi.lib.officedoc` (title, numbered
headings, body paragraphs of 仿宋), of about 1, 10 and 50 pages; the first conversion of a
fresh profile is timed apart (LibreOffice writes its profile then), then the median of `runs`
conversions per size. Note the machine's load (`uptime`) with the figures.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from xunshi.lib.officedoc import (
    cn_number,
    docx_bytes,
    new_document,
    paragraph,
    signature,
    title_line,
)
from xunshi.lib.pdfconvert import docx_to_pdf

_SENTENCE = "巡视组通过个别谈话、调阅资料、受理信访等方式，深入了解被巡视党组织落实主体责任情况。"


def document(paragraphs: int) -> bytes:
    doc = new_document("关于巡视某县党委的情况报告")
    title_line(doc, "关于巡视某县党委的情况报告")
    for n in range(paragraphs):
        if n % 10 == 0:
            paragraph(doc, f"{cn_number(n // 10 + 1)}、发现的主要问题")
        paragraph(doc, _SENTENCE * 3)
    signature(doc, "省委第一巡视组", dt.date(2026, 11, 2))
    return docx_bytes(doc)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        first = time.perf_counter()
        docx_to_pdf(document(1), work=work)
        print(f"first conversion (new profile): {time.perf_counter() - first:.2f} s")
        for paragraphs in (4, 60, 300):
            content = document(paragraphs)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                pdf = docx_to_pdf(content, work=work)
                times.append(time.perf_counter() - start)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(
                f"{pages:3d} pages, {len(content) // 1024} KB docx → {len(pdf) // 1024} KB pdf: "
                f"median {statistics.median(times):.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f})"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
