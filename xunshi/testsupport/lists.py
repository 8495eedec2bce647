"""The rows of a list as a user sees them, on the page and in its Excel export, for the tests
that compare the two (xunshi/rounds/list_filters.py)."""

from __future__ import annotations

import io
from typing import Any

import lxml.html
from openpyxl import load_workbook

__all__ = ["export_cells", "export_rows", "page_rows"]


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def page_rows(html: str | bytes, table_class: str) -> list[list[str]]:
    """The body rows of the page's table of that class, each cell's text with its spaces
    collapsed; an "empty list" row (one cell spanning the table) is no row."""
    doc = lxml.html.fromstring(html)
    rows = []
    for tr in doc.xpath(f'//table[contains(concat(" ", @class, " "), " {table_class} ")]/tbody/tr'):
        cells = tr.xpath("./td")
        if len(cells) == 1 and cells[0].get("colspan"):
            continue
        rows.append([_text(td) for td in cells])
    return rows


def export_cells(content: bytes, sheet: int = 0) -> list[list[Any]]:
    """Every row of one sheet of an export, the header first, as the cells' objects."""
    wb = load_workbook(io.BytesIO(content))
    return [list(row) for row in wb.worksheets[sheet].iter_rows()]


def export_rows(content: bytes, sheet: int = 0) -> list[list[str]]:
    """The data rows of one sheet (no header), each value as text ("" for an empty cell,
    a date as YYYY-MM-DD)."""
    out = []
    for row in export_cells(content, sheet)[1:]:
        values = []
        for cell in row:
            value = cell.value
            if value is None:
                values.append("")
            elif hasattr(value, "date") and hasattr(value, "hour"):
                values.append(value.date().isoformat())
            else:
                values.append(str(value))
        out.append(values)
    return out
