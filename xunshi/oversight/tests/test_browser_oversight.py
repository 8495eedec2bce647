"""The oversight pages in a real browser, on the linked province's `LINKED_TODAY`: the city's
office reads its counties, the behind-pace list and 兰考县's page, returns 兰考县's round plan
with a reason; 兰考县's office sees the reason on its round page and files the plan again; the
province's office sees the city with its counties grouped under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import (
    NEEDS_CHROMIUM,
    chromium_page,
    main_text,
    nav_click,
    serve,
    shot,
    sign_in,
)

pytestmark = NEEDS_CHROMIUM

SETUP = """
import django

django.setup()

from xunshi.testsupport.bodies import build_linked_world
from xunshi.testsupport.world import build_world

build_linked_world(build_world())
"""
REASON = "请补充各村巡察进驻时间和人员分工。"


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=20_000) as p:
        yield p


def test_the_city_returns_a_county_plan_and_the_county_files_it_again(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    with serve(tmp_path, SETUP, freeze="2026-12-01T10:00:00") as base:
        sign_in(page, base, "kf_office", PASSWORD)
        nav_click(page, "上下联动")
        lankao = page.locator("table.oversight-bodies tr", has_text="中共兰考县委")
        assert "届期已过 90%" in lankao.inner_text() and "覆盖落后" in lankao.inner_text()
        shot(page, "oversight-01-city-home")
        page.locator("#behind-link").click()
        row = page.locator("table.behind tr", has_text="中共兰考县委").inner_text()
        assert "仅覆盖25%（1/4个单位）" in row and "红色预警" in row
        shot(page, "oversight-02-behind")
        page.locator("table.behind a", has_text="中共兰考县委").click()
        assert "兰考县委十四届第一轮巡察" in main_text(page)
        shot(page, "oversight-03-county-page")
        page.locator("#rounds a", has_text="第1版").click()
        assert "韩光明" in main_text(page) and "张庄村党支部" in main_text(page)
        page.locator("#return-form button").click()
        assert "退回巡察工作方案须填写退回理由。" in page.locator(".messages").inner_text()
        page.locator("#return-form textarea").fill(REASON)
        page.locator("#return-form button").click()
        assert "已退回" in page.locator("#filing-status").inner_text()
        shot(page, "oversight-04-plan-returned")

        sign_in(page, base, "lk_office", PASSWORD)
        nav_click(page, "轮次与巡察组")
        page.get_by_role("link", name="兰考县委十四届第一轮巡察").click()
        assert REASON in page.locator("#return-reason").inner_text()
        shot(page, "oversight-05-round-returned")
        page.locator("#refile").click()
        assert "巡察工作方案第2版" in page.locator("#filing-status").inner_text()
        nav_click(page, "上下联动")
        assert "本单位向中共开封市委的报备" in main_text(page)
        shot(page, "oversight-06-county-own-filings")

        sign_in(page, base, "alice", PASSWORD)
        nav_click(page, "上下联动")
        names = page.locator("table.oversight-bodies tbody tr td:first-child a:first-of-type")
        assert names.all_inner_texts() == ["中共开封市委", "中共杞县委", "中共兰考县委"]
        shot(page, "oversight-07-province-home")
