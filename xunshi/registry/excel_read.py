"""Reading an uploaded workbook: is it a real .xlsx, its sheets and headers, each cell's value.

Headers are matched by name (the ``*`` of a required column does not matter, nor the order),
rows keep the number Excel shows (the header is row 1) and fully empty rows are skipped. Cells
are read raw, as openpyxl gives them: an ID number stored as an Excel number arrives as an int
or a float and is refused by ``normalize_id_number`` before anything turns it into text. Each
cell rule raises ``CellError`` with a Chinese message that names the column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook

from xunshi.lib.ids import IdError, normalize_id_number, normalize_uscc

from .excel import LAYOUTS, YES, Column, Sheet

__all__ = [
    "MAX_ERRORS",
    "MAX_ROWS",
    "NOT_XLSX",
    "Errors",
    "ImportFile",
    "Row",
    "RowError",
    "Tick",
    "parse_rows",
    "read_import_file",
    "upload_problem",
]

NOT_XLSX = "文件不是有效的Excel（.xlsx）文件"
#: Rows per file; a larger file is refused rather than held in memory.
MAX_ROWS = 100_000
#: Errors kept for the job page; the count goes on beyond it.
MAX_ERRORS = 2_000
_MAX_UNPACKED_RATIO = 25

Tick = Callable[[], None]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Errors:
    items: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(sheet, row, column, message))

    def __bool__(self) -> bool:
        return self.count > 0

    def as_list(self, kind: str) -> list[dict[str, Any]]:
        """The errors kept, in reading order: sheet, row, then column as in the layout."""
        sheets = {s.name: i for i, s in enumerate(LAYOUTS[kind])}
        columns = {(s.name, c.header): i for s in LAYOUTS[kind] for i, c in enumerate(s.columns)}

        def key(e: RowError) -> tuple[int, int, int]:
            return (sheets.get(e.sheet, -1), e.row or 0, columns.get((e.sheet, e.column), -1))

        return [e.as_dict() for e in sorted(self.items, key=key)]


@dataclass
class ImportFile:
    """The raw rows of each sheet (Excel row number, header key → cell value) and errors."""

    kind: str
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    errors: Errors = field(default_factory=Errors)

    @property
    def total(self) -> int:
        return sum(len(r) for r in self.rows.values())


class CellError(ValueError):
    """A cell's value is unusable; the message is Chinese and names the column."""


# Reading ------------------------------------------------------------------------------------


def upload_problem(upload: UploadedFile) -> str | None:
    """Why the upload cannot be imported (too large, not a real .xlsx), or None."""
    limit = settings.XUNSHI_IMPORT_MAX_BYTES
    if (upload.size or 0) > limit:
        return f"文件超过{filesizeformat(limit)}的上限，请拆分后分批导入"
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        # A few kilobytes can unpack to gigabytes; openpyxl would hold them in memory.
        if unpacked > _MAX_UNPACKED_RATIO * limit:
            return f"文件解压后超过{filesizeformat(_MAX_UNPACKED_RATIO * limit)}，请拆分后分批导入"
        upload.seek(0)
        load_workbook(upload, read_only=True).close()
    except Exception:
        return NOT_XLSX
    finally:
        upload.seek(0)
    return None


def _header_name(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)) if value is not None else ""
    return "".join(text.split()).strip("*")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ws: Any, sheet: Sheet, book: ImportFile) -> None:
    ws.reset_dimensions()  # some tools write a wrong size; read what is there
    rows: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
    header = next(rows, ())
    by_header = {c.header: c for c in sheet.columns}
    positions: dict[int, str] = {}
    seen: set[str] = set()
    bad = False
    for index, value in enumerate(header):
        name = _header_name(value)
        if not name:
            continue
        if name not in by_header:
            book.errors.add(sheet.name, 1, name, f"无法识别的列“{name}”，请使用模板中的列名")
            bad = True
        elif name in seen:
            book.errors.add(sheet.name, 1, name, f"列“{name}”重复")
            bad = True
        else:
            seen.add(name)
            positions[index] = by_header[name].key
    for column in sheet.columns:
        if column.header not in seen:
            book.errors.add(
                sheet.name, 1, column.header, f"缺少列“{column.header}”，请使用系统提供的模板"
            )
            bad = True
    if bad:
        return
    out: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if all(_blank(v) for v in values):
            continue
        if len(out) >= MAX_ROWS:
            book.errors.add(sheet.name, number, "", f"数据超过{MAX_ROWS}行，请拆分后分批导入")
            break
        out.append((number, {key: values[i] for i, key in positions.items() if i < len(values)}))
    book.rows[sheet.name] = out


def read_import_file(path: Path, kind: str) -> ImportFile:
    """Read every sheet of the kind's layout; a missing sheet or header is an error."""
    book = ImportFile(kind)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        book.errors.add("", None, "", NOT_XLSX)
        return book
    try:
        for sheet in LAYOUTS[kind]:
            if sheet.name not in wb.sheetnames:
                book.errors.add(
                    sheet.name, None, "", f"缺少工作表“{sheet.name}”，请使用系统提供的模板"
                )
                continue
            _read_sheet(wb[sheet.name], sheet, book)
    finally:
        wb.close()
    first = LAYOUTS[kind][0].name
    if not book.errors and not book.rows.get(first):
        book.errors.add(first, None, "", f"工作表“{first}”中没有数据")
    return book


# Cells --------------------------------------------------------------------------------------


def _nfkc(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def _as_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return YES if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    return str(raw).strip()


def _limit(column: Column, text: str) -> str:
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"{column.header}超过{column.max_length}个字符")
    return text


def _text(column: Column, raw: Any) -> str:
    return _limit(column, _as_text(raw))


def _code(column: Column, raw: Any) -> str:
    if isinstance(raw, bool):
        raise CellError(f"{column.header}应为文本")
    if isinstance(raw, int | float):
        # Excel keeps 15 significant digits: a longer number may already have lost some.
        if float(raw).is_integer() and abs(raw) < 10**15:
            text = str(int(raw))
        else:
            raise CellError(
                f"{column.header}被Excel存成了数字，可能已失真，请将该列设为文本格式后重新填写"
            )
    elif isinstance(raw, str):
        text = _nfkc(raw)
    else:
        raise CellError(f"{column.header}应为文本")
    if any(ch.isspace() for ch in text):
        raise CellError(f"{column.header}“{text}”中不能有空格")
    return _limit(column, text)


_MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


def _id_number(column: Column, raw: Any) -> str:
    if isinstance(raw, str) and ("*" in raw or "＊" in raw):
        text = "".join(_nfkc(raw).split()).upper()
        if not _MASKED_ID.fullmatch(text):
            raise CellError(f"{column.header}格式不正确")
        return text
    try:
        return normalize_id_number(raw)
    except IdError as e:
        raise CellError(str(e)) from e


def _uscc(column: Column, raw: Any) -> str:
    try:
        return normalize_uscc(raw)
    except IdError as e:
        raise CellError(str(e)) from e


def _choice(column: Column, raw: Any) -> str:
    text = _nfkc(_as_text(raw))
    for value, label in column.choices:
        if text in {_nfkc(label), value}:
            return value
    raise CellError(f"{column.header}“{_as_text(raw)}”不在可选范围内")


def _bool(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _nfkc(_as_text(raw))
    if text in {YES, "否"}:
        return text == YES
    raise CellError(f"{column.header}应填“是”或“否”，不能是“{text}”")


def _int(column: Column, raw: Any) -> int:
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and _nfkc(raw).isdigit():
        value = int(_nfkc(raw))
    if value is None or not 0 <= value <= 2_147_483_647:
        raise CellError(f"{column.header}“{_as_text(raw)}”应为不小于0的整数")
    return value


_MONTH_FORMS = [
    re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})(?:\s*[-./]\s*(\d{1,2}))?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})?"),
]


def _month(column: Column, raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, float):
        text = repr(raw)
        # 2019.10 typed into a number cell comes back as 2019.1.
        if re.fullmatch(r"\d{4}\.\d", text):
            raise CellError(
                f"{column.header}“{text}”被Excel存成了数字，分不清是1月还是10月，"
                "请将该列设为文本格式后重新填写"
            )
    else:
        text = _nfkc(_as_text(raw))
    if column.open_end and text in {"至今", "今"}:
        return None
    for form in _MONTH_FORMS:
        m = form.fullmatch(text)
        if m:
            try:
                value = dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
            except ValueError:
                break
            if 1900 <= value.year <= 2100:
                return value
            break
    raise CellError(f"{column.header}“{text}”无法识别，请写成2019-03、2019.03或2019年3月")


def _list(column: Column, raw: Any) -> tuple[str, ...]:
    parts = (p.strip() for p in re.split(r"[；;\n]", _as_text(raw)))
    return tuple(dict.fromkeys(p for p in parts if p))


_PARSERS: dict[str, Callable[[Column, Any], Any]] = {
    "text": _text,
    "code": _code,
    "id_number": _id_number,
    "uscc": _uscc,
    "choice": _choice,
    "bool": _bool,
    "int": _int,
    "month": _month,
    "list": _list,
}
_EMPTY: dict[str, Any] = {"int": None, "month": None, "list": ()}


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    ok: bool = True


def parse_rows(sheet: Sheet, book: ImportFile, tick: Tick) -> list[Row]:
    parsed = []
    for number, cells in book.rows.get(sheet.name, []):
        row = Row(number, {})
        for column in sheet.columns:
            raw = cells.get(column.key)
            if _blank(raw):
                if column.required:
                    book.errors.add(sheet.name, number, column.header, "必填")
                    row.ok = False
                    continue
                row.values[column.key] = (
                    column.default if column.kind == "bool" else _EMPTY.get(column.kind, "")
                )
                continue
            try:
                row.values[column.key] = _PARSERS[column.kind](column, raw)
            except CellError as e:
                book.errors.add(sheet.name, number, column.header, str(e))
                row.ok = False
        parsed.append(row)
        tick()
    return parsed
