"""Lists in a real browser: a long list printed to PDF (no navigation, buttons or forms; the
page's title on every sheet; the table's header repeated and no row cut in two), and a
cadre picked by typing a part of the name instead of the code."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from xunshi.testsupport.world import PASSWORD

from .browser import NEEDS_CHROMIUM, SHOTS, chromium_page, main_text, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

# The world with 兰考县's inspection on site and 60 petitions, each naming so many persons
# that its row takes several lines, so that the list runs over several sheets.
SETUP = """
import django; django.setup()
import datetime as dt
from xunshi.fieldwork.actions import petition_create
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.world import build_world
PERSONS = "县交通局局长钱某、" + "、".join(f"第{k}科室负责人某某" for k in range(1, 9)) + "（完）"
w = build_world()
move_on_site(w.inspection1)
for n in range(60):
    petition_create(
        actor=w.users["carol"], inspection=w.inspection1, channel="letter",
        received_on=dt.date(2026, 9, 1 + n % 28), content=f"第{n + 1}件反映内容。",
        real_name=False, reported_persons=PERSONS,
    )
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(tmp_path_factory.mktemp("lists"), SETUP, freeze="2026-09-30T10:00:00") as url:
        yield url


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_a_long_list_prints_with_its_title_on_every_sheet_and_no_controls(server, tmp_path):
    with chromium_page(timeout_ms=30_000) as page:
        sign_in(page, server, "alice", PASSWORD)
        page.goto(f"{server}/inspections/1/petitions/")
        assert "导出Excel" in main_text(page)
        pdf = tmp_path / "petitions.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    sheets = _pages(pdf)
    assert len(sheets) >= 2
    for n, sheet in enumerate(sheets, start=1):
        assert "信访 · 兰考县" in sheet, n  # the page's title, at the top
        assert "收到日期" in sheet and "被反映人" in sheet, n  # the table's header again
        assert f"{n}/{len(sheets)}" in sheet.replace(" ", "")  # the sheet's number
        for control in ["导出Excel", "查询", "退出", "修改密码", "登记信访件", "上一页"]:
            assert control not in sheet, (n, control)
    text = "\n".join(sheets)
    for number in range(1, 51):  # the first page of the list: 50 rows, each once, whole
        assert len(re.findall(f"第{number}号(?!\\d)", text)) == 1, number
    # A row's lines stay on one sheet: each sheet has as many rows' ends as rows' starts.
    for sheet in sheets:
        assert sheet.count("县交通局局长钱某") == sheet.count("（完）") > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(SHOTS / "print")],
        check=True,
    )


def _pick(page, typed: str, name: str) -> str:  # type: ignore[no-untyped-def]
    """Type into the membership form's picker, click the option of `name`, post the form;
    the code the picker wrote into the field."""
    form = page.locator("form", has=page.locator("input[name=cadre_code]"))
    form.locator(".picker-q").fill(typed)
    option = form.locator(".picker-option", has_text=name)
    option.wait_for()
    shot(page, f"picker-{typed}")
    option.click()
    assert name in form.locator(".picker-chosen").inner_text()
    code = str(form.locator("input[name=cadre_code]").input_value())
    form.locator("button", has_text="编入本组").click()
    page.wait_for_load_state()
    return code


def test_the_office_picks_a_cadre_by_typing_part_of_the_name(server):
    with chromium_page(timeout_ms=30_000) as page:
        sign_in(page, server, "alice", PASSWORD)
        page.goto(f"{server}/rounds/teams/2/")
        # The picker fills in the code; the action's refusal is the one it always was.
        assert _pick(page, "陈", "陈伟") == "C005"
        assert "不能将陈伟编入第二巡视组" in main_text(page) and "应当回避" in main_text(page)
        # Pinyin initials find 刘红梅.
        assert _pick(page, "lhm", "刘红梅") == "C004"
        assert "已将刘红梅编入第二巡视组" in main_text(page)
