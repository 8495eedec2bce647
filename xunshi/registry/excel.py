"""The Excel layout of registry imports and exports, and the writer of both.

One layout per kind names every column of every sheet: its Chinese header, whether it is
required, and the kind of value it holds. ``orgs`` has the sheet 单位; ``cadres`` has 干部,
工作经历, 学习经历 and 亲属. The downloadable template, the export and the importer are all
built from these layouts, so an exported file re-imports as it is.

The workbooks are made for the people who fill them in: required headers end with ``*``,
every code, ID and year-month column is formatted as text (``@``) so that Excel does not
turn an 18-digit ID number into ``1.10105E+17``, enumerations carry a drop-down list, and a
second sheet 说明 explains each column.

Formula injection: text that starts with ``= + - @`` is written as a string cell with
Excel's quote-prefix flag (Excel shows it as text even after the cell is edited) and with a
single leading space, so that it stays inert when someone saves the sheet as CSV. The
importer strips leading and trailing spaces, so escaped text re-imports unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planner.avoidance import KIN_RELATIONS

from .models import Cadre, CadreKin, CadreStudy, CadreWork, Gender, OrgUnit, Sector

__all__ = [
    "KINDS",
    "LAYOUTS",
    "NOTES_SHEET",
    "XLSX_CONTENT_TYPE",
    "Column",
    "Sheet",
    "month_text",
    "write_workbook",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_SHEET = "说明"
YES, NO = "是", "否"
LIST_SEPARATOR = "；"
# Excel's limit for a drop-down list written inline in the validation formula.
_INLINE_LIST_MAX = 255
_LAST_ROW = 1048576
_FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    """One column of a sheet; ``key`` is the field name in the import's input dataclass."""

    key: str
    header: str
    kind: str = "text"  # text code id_number uscc choice bool int month list
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label in the sheet)
    default: bool = False  # the value of an empty bool cell
    open_end: bool = False  # an empty month means 至今
    help: str = ""
    width: int = 14

    @property
    def title(self) -> str:
        return f"{self.header}*" if self.required else self.header

    @property
    def text_format(self) -> bool:
        return self.kind in {"code", "id_number", "uscc", "month"}

    @property
    def labels(self) -> tuple[str, ...]:
        if self.kind == "bool":
            return (YES, NO)
        return tuple(label for _value, label in self.choices)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]


def _chinese(choices: Iterable[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    """The choices with their Chinese labels as plain strings, whatever the request's language.

    The models' labels are lazy translations; the sheets are Chinese in every interface
    language, so that a template downloaded in English imports like any other. With
    translations deactivated, gettext returns the msgid, which is the Chinese label.
    """
    with translation.override(None):
        return tuple((str(value), str(label)) for value, label in choices)


def _len(model: Any, field: str) -> int:
    length = model._meta.get_field(field).max_length
    assert isinstance(length, int)
    return length


_MONTH_HELP = "写成2019-03、2019.03、2019年3月或2019-03-15，也可以是Excel日期"

ORG_SHEET = Sheet(
    "单位",
    (
        Column(
            "code",
            "单位编码",
            "code",
            True,
            _len(OrgUnit, "code"),
            help="单位的唯一编码；库中已有该编码则更新，没有则新增",
        ),
        Column("name", "单位名称", "text", True, _len(OrgUnit, "name"), width=28),
        Column("short_name", "简称", max_length=_len(OrgUnit, "short_name")),
        Column("sector", "板块", "choice", True, choices=_chinese(Sector.choices), width=16),
        Column(
            "region_code",
            "行政区划代码",
            "code",
            max_length=12,
            help="GB/T 2260代码，须是系统中已有的行政区划",
        ),
        Column(
            "parent_code",
            "上级单位编码",
            "code",
            max_length=_len(OrgUnit, "code"),
            help="须已在单位名录中，或在本文件中（顺序不限）",
        ),
        Column("tags", "标签", "list", help="多个标签用“；”分隔", width=20),
        Column("headcount", "人数", "int", help="不小于0的整数"),
        Column("uscc", "统一社会信用代码", "uscc", help="18位，校验码须正确", width=22),
        Column("principal_name", "主要负责人", max_length=_len(OrgUnit, "principal_name")),
        Column("principal_post", "主要负责人职务", max_length=_len(OrgUnit, "principal_post")),
        Column(
            "principal_code",
            "主要负责人干部编号",
            "code",
            max_length=_len(Cadre, "code"),
            help="须已在干部库中（请先导入干部库）",
            width=18,
        ),
        Column("in_scope", "纳入巡视范围", "bool", default=True, help="是或否，空白视为“是”"),
    ),
)

CADRE_SHEET = Sheet(
    "干部",
    (
        Column(
            "code",
            "人员编号",
            "code",
            True,
            _len(Cadre, "code"),
            help="干部的唯一编号；库中已有该编号则更新，没有则新增",
        ),
        Column("name", "姓名", "text", True, _len(Cadre, "name")),
        Column("gender", "性别", "choice", True, choices=_chinese(Gender.choices), width=8),
        Column(
            "id_number",
            "身份证号码",
            "id_number",
            True,
            18,
            width=22,
            help="18位，末位可以是X；必须是文本格式。导出文件中的脱敏号码（含*）只能用于"
            "库中已有的同一干部",
        ),
        Column("rank", "职级", max_length=_len(Cadre, "rank")),
        Column(
            "unit_code",
            "所在单位编码",
            "code",
            max_length=_len(OrgUnit, "code"),
            help="须已在单位名录中；单位不在名录中时留空，只填单位名称",
        ),
        Column("unit_name", "单位名称", "text", True, _len(Cadre, "unit_name"), width=24),
        Column("post", "职务", max_length=_len(Cadre, "post")),
        Column("skills", "专业类别", "list", help="多个类别用“；”分隔", width=20),
        Column("can_lead", "可任组长", "bool", help="是或否，空白视为“否”"),
        Column(
            "origin_code",
            "籍贯区划代码",
            "code",
            max_length=12,
            help="GB/T 2260代码，须是系统中已有的行政区划",
        ),
        Column("active", "在库", "bool", default=True, help="是或否，空白视为“是”"),
    ),
)

_CODE_FIRST = Column(
    "cadre_code", "人员编号", "code", True, _len(Cadre, "code"), help="须在本文件“干部”表中"
)

WORK_SHEET = Sheet(
    "工作经历",
    (
        _CODE_FIRST,
        Column("unit_name", "单位名称", "text", True, _len(CadreWork, "unit_name"), width=24),
        Column(
            "org_code",
            "单位编码",
            "code",
            max_length=_len(OrgUnit, "code"),
            help="须已在单位名录中；不在名录中的单位留空",
        ),
        Column("post", "职务", max_length=_len(CadreWork, "post")),
        Column("start", "起始年月", "month", help=_MONTH_HELP),
        Column("end", "截止年月", "month", open_end=True, help=_MONTH_HELP + "；空白表示至今"),
        Column("is_leader", "领导职务", "bool", help="是或否，空白视为“否”"),
    ),
)

STUDY_SHEET = Sheet(
    "学习经历",
    (
        _CODE_FIRST,
        Column("school_name", "学校", "text", True, _len(CadreStudy, "school_name"), width=24),
        Column(
            "org_code",
            "学校单位编码",
            "code",
            max_length=_len(OrgUnit, "code"),
            help="学校在单位名录中时填写其编码",
        ),
        Column("degree", "学历学位", max_length=_len(CadreStudy, "degree")),
        Column("start", "入学年月", "month", help=_MONTH_HELP),
        Column("end", "毕业年月", "month", open_end=True, help=_MONTH_HELP + "；空白表示在读"),
    ),
)

KIN_SHEET = Sheet(
    "亲属",
    (
        _CODE_FIRST,
        Column("name", "姓名", "text", True, _len(CadreKin, "name")),
        Column("relation", "关系", "choice", True, choices=tuple(KIN_RELATIONS.items()), width=20),
        Column(
            "org_code",
            "单位编码",
            "code",
            max_length=_len(OrgUnit, "code"),
            help="亲属工作单位在单位名录中时填写其编码（回避审查据此判断）",
        ),
        Column("unit_name", "工作单位", max_length=_len(CadreKin, "unit_name"), width=24),
        Column("post", "职务", max_length=_len(CadreKin, "post")),
    ),
)

LAYOUTS: dict[str, tuple[Sheet, ...]] = {
    "orgs": (ORG_SHEET,),
    "cadres": (CADRE_SHEET, WORK_SHEET, STUDY_SHEET, KIN_SHEET),
}
KINDS = tuple(LAYOUTS)

_GENERAL_NOTES = {
    "orgs": [
        "第1行是列名，请勿修改或删除任何一列；从第2行起每行一个单位。带*的列必填。",
        "按单位编码导入：库中已有的单位按本文件更新，没有的新增；内容相同的不作改动。",
        "上级单位可以在本文件中晚于下级单位出现。",
        "编码类的列已设为文本格式，请不要改成数字或常规格式。",
    ],
    "cadres": [
        "共四个工作表：干部、工作经历、学习经历、亲属，都须保留；第1行是列名，请勿修改。带*的列必填。",
        "按人员编号导入：库中已有的干部按本文件更新，没有的新增；内容相同的不作改动。",
        "某名干部的工作经历、学习经历和亲属以本文件为准，整体替换库中原有记录；"
        "本文件中没有列出的，视为没有。",
        "身份证号码列必须是文本格式：设成数字的号码末几位会丢失，系统会拒绝导入。",
        "导出的文件中身份证号码已脱敏（含*），可以原样再导入，不会改动库中的号码。",
    ],
}


def month_text(value: dt.date | None) -> str:
    """A date as the importer reads it back: 2019-03 for the first of a month."""
    if value is None:
        return ""
    return f"{value:%Y-%m}" if value.day == 1 else f"{value:%Y-%m-%d}"


def _escaped(text: str) -> tuple[str, bool]:
    if text.startswith(_FORMULA_STARTS):
        return " " + text, True
    return text, False


def _display(column: Column, value: Any) -> Any:
    """The value as it appears in the cell: labels for choices, 是/否, joined lists."""
    if value is None or value == "":
        return None
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "choice":
        return dict(column.choices).get(value, value)
    if column.kind == "list":
        return LIST_SEPARATOR.join(value) or None
    if column.kind == "month":
        return month_text(value) or None
    if column.kind == "int":
        return int(value)
    return str(value)


_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="B8232F")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


def _prepare(ws: Any, sheet: Sheet) -> None:
    """Widths, text format and drop-down lists; must precede the first row (write-only)."""
    ws.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        dim = ws.column_dimensions[letter]
        dim.width = column.width
        if column.text_format:
            dim.number_format = "@"
        if column.labels:
            formula = '"' + ",".join(column.labels) + '"'
            assert len(formula) <= _INLINE_LIST_MAX, column.header
            dv = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入有误",
                error=f"请从下拉列表中选择{column.header}",
            )
            dv.add(f"{letter}2:{letter}{_LAST_ROW}")
            ws.data_validations.append(dv)


def _header(ws: Any, sheet: Sheet) -> list[Any]:
    cells = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    return cells


def _row(ws: Any, sheet: Sheet, values: Sequence[Any]) -> list[Any]:
    cells = []
    for column, raw in zip(sheet.columns, values, strict=True):
        value = _display(column, raw)
        escaped = False
        if isinstance(value, str):
            value, escaped = _escaped(value)
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text
        if column.text_format:
            cell.number_format = "@"
        if escaped:
            cell.quotePrefix = True
        cells.append(cell)
    return cells


def _notes(wb: Workbook, kind: str) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    for index, width in enumerate((12, 20, 8, 70), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for line in _GENERAL_NOTES[kind]:
        ws.append([line])
    ws.append([])
    title = []
    for text in ("工作表", "列名", "必填", "填写说明"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        title.append(cell)
    ws.append(title)
    for sheet in LAYOUTS[kind]:
        for column in sheet.columns:
            ws.append(
                [sheet.name, column.header, YES if column.required else "", _column_help(column)]
            )


def _column_help(column: Column) -> str:
    parts = [column.help] if column.help else []
    if column.kind == "choice":
        parts.append("可选：" + "、".join(column.labels))
    if column.kind == "list" and not column.help:
        parts.append("多项用“；”分隔")
    if column.max_length and column.kind == "text":
        parts.append(f"不超过{column.max_length}个字符")
    return "；".join(parts)


def write_workbook(
    kind: str, out: IO[bytes], rows: Mapping[str, Iterable[Sequence[Any]]] | None = None
) -> None:
    """Write the workbook of the kind to out: the template when rows is empty, else an export.

    rows maps a sheet name to its rows, each row holding one stored value per column (codes,
    choice values, bools, dates, tuples), in the order of the layout.
    """
    wb = Workbook(write_only=True)
    for sheet in LAYOUTS[kind]:
        ws = wb.create_sheet(sheet.name)
        _prepare(ws, sheet)
        ws.append(_header(ws, sheet))
        for values in (rows or {}).get(sheet.name, ()):
            ws.append(_row(ws, sheet, values))
    _notes(wb, kind)
    wb.save(out)
