"""A Word document's text as LibreOffice prints it: converted to PDF headless, read back with
poppler's pdftotext. Tests use it to check that a generated .docx opens and says what it
should; without LibreOffice they are skipped with a message (.ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["docx_pdf_text"]

MISSING = "LibreOffice or pdftotext is missing (.ci/run installs them: " + (
    "apt-get install libreoffice-writer-nogui poppler-utils)"
)


def docx_pdf_text(content: bytes, folder: Path) -> str:
    """The printed text of the .docx bytes, whitespace removed (layout breaks lines anywhere)."""
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
    result = subprocess.run(
        ["pdftotext", "-layout", str(folder / "document.pdf"), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return "".join(result.stdout.decode().split())
