"""A Word document as LibreOffice prints it: converted to PDF headless, read back with
poppler's pdftotext (the text, and each printed line with its position) and pypdf (the
texts and drawings painted red). Tests use it to check that a generated .docx opens, says
what it should and keeps the GB/T 9704 layout; without LibreOffice they are skipped with a
message (.ci/run installs it)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

__all__ = ["PrintedLine", "docx_pdf", "docx_pdf_text", "printed_lines", "red_marks"]

MISSING = "LibreOffice or pdftotext is missing (.ci/run installs them: " + (
    "apt-get install libreoffice-writer-nogui poppler-utils)"
)


def docx_pdf(content: bytes, folder: Path) -> Path:
    """The .docx bytes printed to a PDF file by LibreOffice."""
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip(MISSING)
    source = folder / "document.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            "soffice",
            # A profile of its own, so that parallel test processes do not share one.
            f"-env:UserInstallation=file://{folder}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / "document.pdf"


def docx_pdf_text(content: bytes, folder: Path) -> str:
    """The printed text of the .docx bytes, whitespace removed (layout breaks lines anywhere)."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(docx_pdf(content, folder)), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return "".join(result.stdout.decode().split())


@dataclass(frozen=True)
class PrintedLine:
    """One line as printed: its page (from 1), text without spaces, the number of words
    pdftotext saw in it (spaces between them) and its box in points from the page's top
    left corner."""

    page: int
    text: str
    left: float
    right: float
    top: float
    bottom: float
    words: int = 1

    @property
    def height(self) -> float:
        return self.bottom - self.top


_LINE = re.compile(r"<line ([^>]*)>(.*?)</line>", re.S)
_EDGE = re.compile(r'(\w+)="([\d.]+)"')
_WORD = re.compile(r"<word [^>]*>([^<]*)</word>")


def printed_lines(pdf: Path) -> list[PrintedLine]:
    """Every printed line of the PDF, page by page, from pdftotext's bounding boxes."""
    result = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    lines = []
    for number, page in enumerate(result.stdout.decode().split("<page ")[1:], start=1):
        for box, words in _LINE.findall(page):
            edge = dict(_EDGE.findall(box))
            found = [html.unescape(w) for w in _WORD.findall(words)]
            x0, x1 = float(edge["xMin"]), float(edge["xMax"])
            y0, y1 = float(edge["yMin"]), float(edge["yMax"])
            lines.append(PrintedLine(number, "".join(found), x0, x1, y0, y1, len(found)))
    return lines


_FILLS = (b"f", b"F", b"f*", b"b", b"B")
_STROKES = (b"S", b"s")


def _is_red(colour: list[float]) -> bool:
    return len(colour) == 3 and colour[0] > 0.8 and colour[1] < 0.2 and colour[2] < 0.2


def red_marks(pdf: Path, page: int = 1) -> tuple[str, bool]:
    """What the page paints red: the text shown in a red fill colour, and whether a red
    rule (a path filled or stroked red) is drawn."""
    state: dict[str, Any] = {"fill": [0.0], "stroke": [0.0], "stack": [], "rule": False}
    texts: list[str] = []

    def before(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        if op == b"q":
            state["stack"].append((state["fill"], state["stroke"]))
        elif op == b"Q" and state["stack"]:
            state["fill"], state["stroke"] = state["stack"].pop()
        elif op in (b"rg", b"sc", b"scn") and len(args) == 3:
            state["fill"] = [float(a) for a in args]
        elif op in (b"RG", b"SC", b"SCN") and len(args) == 3:
            state["stroke"] = [float(a) for a in args]
        elif (op in _FILLS and _is_red(state["fill"])) or (
            op in _STROKES and _is_red(state["stroke"])
        ):
            state["rule"] = True

    def text(shown: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if _is_red(state["fill"]):
            texts.append(shown)

    PdfReader(pdf).pages[page - 1].extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join("".join(texts).split()), state["rule"]
