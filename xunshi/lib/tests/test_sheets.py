"""The one Excel writer: a list comes back as it was written, and no cell is a formula."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from xunshi.lib.sheets import Table, table_bytes, workbook_bytes


def _read(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_a_typed_formula_comes_back_as_its_text_in_a_string_cell():
    typed = ['=HYPERLINK("http://127.0.0.1/x","点此")', "+1+1", "-2", "@SUM(A1)", "\t=1"]
    ws = _read(table_bytes("信访件", ["内容"], [[t] for t in typed])).active
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == typed
    assert {c.data_type for c in cells} == {"s"}


def test_numbers_dates_and_empty_cells_keep_their_kind():
    rows = [["金水区", 3, dt.date(2026, 3, 2), None, True, -5]]
    ws = _read(
        table_bytes("整改台账", ["单位", "问题数", "期限", "备注", "逾期", "差额"], rows)
    ).active
    assert [c.value for c in ws[1]] == ["单位", "问题数", "期限", "备注", "逾期", "差额"]
    unit, count, due, note, late, diff = ws[2]
    assert (unit.value, count.value, note.value, late.value, diff.value) == (
        "金水区",
        3,
        None,
        "是",
        -5,
    )
    assert due.value == dt.datetime(2026, 3, 2)
    assert due.is_date


def test_several_tables_are_sheets_in_order_with_safe_titles():
    wb = _read(
        workbook_bytes(
            [Table("图表：问题/分类", ["a"], [[1]]), Table("数据", ["b"], iter([[2], [3]]))]
        )
    )
    assert wb.sheetnames == ["图表：问题_分类", "数据"]
    assert [r[0].value for r in wb["数据"].iter_rows(min_row=2)] == [2, 3]
