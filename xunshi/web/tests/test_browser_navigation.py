"""The grouped navigation in a real browser: the office's bar stays on one line on a 1366×768
screen, each group opens its menu (with the mouse or the keyboard) and every entry in it can
be followed. Screenshots of the office's, the team leader's and the liaison's bars (a menu
open) go to $XUNSHI_SCREENSHOTS (test-artifacts/screenshots)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD

from .browser import NEEDS_CHROMIUM, chromium_page, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

WORLD = (
    "import django; django.setup(); from xunshi.testsupport.world import build_world; build_world()"
)
OFFICE_SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("navigation")
    with serve(folder, WORLD) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page() as p:
        p.set_viewport_size(OFFICE_SCREEN)
        yield p


def _one_line(page: Any) -> None:
    """The navigation's entries side by side in one row, and the header one row high."""
    nav = page.locator("nav.mainnav")
    rows = nav.evaluate(
        "n => Array.from(n.children).map(c => [c.getBoundingClientRect().top,"
        " c.getBoundingClientRect().bottom])"
    )
    link = nav.locator(":scope > a").first.bounding_box()
    box = nav.bounding_box()
    assert max(top for top, _ in rows) < min(bottom for _, bottom in rows), rows
    assert box["height"] < 2 * link["height"], (box, link)
    header = page.locator("header.topbar").bounding_box()
    me = page.locator("header .me").bounding_box()
    assert me["y"] < box["y"] + box["height"], (me, box)  # not wrapped under the navigation
    assert header["height"] < 3 * link["height"], header


def _group(page: Any, title: str) -> Any:
    return page.locator("nav.mainnav details.navgroup", has=page.locator("summary", has_text=title))


def test_the_office_s_navigation_is_one_line_and_its_groups_open(server: str, page: Any) -> None:
    sign_in(page, server, "alice", PASSWORD)
    _one_line(page)
    plan = _group(page, "计划与巡视")
    assert not page.get_by_role("link", name="轮次与巡视组").is_visible()
    plan.locator("summary").click()
    assert page.get_by_role("link", name="轮次与巡视组").is_visible()
    shot(page, "nav-01-office")
    _one_line(page)  # the open menu lies over the page, the bar stays as it was
    # Opening another group closes the first; a click elsewhere closes it too.
    _group(page, "整改").locator("summary").click()
    assert not plan.evaluate("d => d.open")
    page.locator("main").click()
    assert not _group(page, "整改").evaluate("d => d.open")
    plan.locator("summary").click()
    page.get_by_role("link", name="轮次与巡视组").click()
    page.wait_for_url(f"{server}/rounds/")
    assert page.locator("nav.mainnav summary.current").inner_text() == "计划与巡视"


def test_the_keyboard_opens_a_group_and_follows_an_entry(server: str, page: Any) -> None:
    sign_in(page, server, "alice", PASSWORD)
    summary = _group(page, "整改").locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert _group(page, "整改").evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert not _group(page, "整改").evaluate("d => d.open")
    assert summary.evaluate("s => s === document.activeElement")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "整改台账"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/rectification/")


def test_every_entry_of_the_office_opens_from_its_group(server: str, page: Any) -> None:
    sign_in(page, server, "alice", PASSWORD)
    hrefs = page.locator("nav.mainnav a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 19  # with 本级设置 (the team access grace), 知识库 and 公文模板
    for href in hrefs:
        page.goto(f"{server}/desk/")
        link = page.locator(f'nav.mainnav a[href="{href}"]')
        group = page.locator("nav.mainnav details.navgroup", has=page.locator(f'a[href="{href}"]'))
        if group.count():
            group.locator("summary").click()
        link.click()
        page.wait_for_url(f"{server}{href}")
        assert page.locator("h1").first.inner_text().strip()


@pytest.mark.parametrize(
    ("username", "title", "name"),
    [("dave", "登记与队伍", "nav-02-leader"), ("erin", "", "nav-03-liaison")],
)
def test_the_leader_s_and_the_liaison_s_bars(
    server: str, page: Any, username: str, title: str, name: str
) -> None:
    sign_in(page, server, username, PASSWORD)
    _one_line(page)
    if title:
        _group(page, title).locator("summary").click()
        assert _group(page, title).locator("a").first.is_visible()
    shot(page, name)
