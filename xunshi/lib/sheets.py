"""Excel workbooks of lists and tables: the one writer of every export a user takes away.

A list on a page, a chart's data table and the plan workbook are each a `Table` (a sheet's
title, its header and its rows); `workbook_bytes` writes one or more of them as an .xlsx in
openpyxl's write-only mode, so a long list streams instead of building every cell in memory.

No cell is ever a formula. A text that starts with = + - @ (or a tab or carriage return, which
some spreadsheets skip before reading a formula) is written as a string cell in text format,
so that `=HYPERLINK("…")` typed into a petition comes back as those characters and Excel or
LibreOffice runs nothing when the file is opened (CSV/formula injection, CWE-1236). The text
itself is kept as it was: an auditor reading the export sees what the user typed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

__all__ = ["FORMULA_STARTS", "Table", "cell_value", "table_bytes", "workbook_bytes"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_WIDTH = 60
# Excel refuses a sheet title longer than 31 characters or with any of these.
_TITLE_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Table:
    """One sheet: its title (the tab's name), the header row and the data rows."""

    title: str
    head: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Column widths in characters; None measures the header (rows are streamed, not measured).
    widths: Sequence[int] | None = None


def cell_value(value: Any) -> Any:
    """A value as a cell may hold it: numbers and dates as they are, None empty, the rest text."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime):
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


def _cell(ws: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=cell_value(value))
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # a string cell, never a formula
        cell.number_format = "@"
    elif isinstance(cell.value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(cell.value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    cell.alignment = _WRAP
    return cell


def _write(wb: Workbook, table: Table) -> None:
    ws = wb.create_sheet(table.title.translate(_TITLE_BAD)[:31] or "Sheet")
    widths = table.widths or [min(_MAX_WIDTH, max(8, len(str(h)) * 2 + 4)) for h in table.head]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    head = []
    for text in table.head:
        cell = _cell(ws, text)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        head.append(cell)
    ws.append(head)
    for row in table.rows:
        ws.append([_cell(ws, value) for value in row])


def workbook_bytes(tables: Iterable[Table]) -> bytes:
    """The tables as one .xlsx workbook, a sheet each, in order."""
    wb = Workbook(write_only=True)
    for table in tables:
        _write(wb, table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_bytes(title: str, head: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One table as a workbook of one sheet."""
    return workbook_bytes([Table(title, head, rows)])
