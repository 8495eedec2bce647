"""Each role in a real browser: sign in, land on the desk, see what waits with its count,
follow one thing to its page, do it, come back and find the count gone down.

The server runs on the desk's scene (scene.py) with its clock at 9:00 on Monday 12 April 2027.
The office verifies 兰考县's claimed item; dave, leading team 2, approves a working paper; hong,
a member of team 2, signs her pledge; erin, 兰考县's liaison, reports progress on the overdue
item and sends the rectification report up. A screenshot of each desk goes to
$XUNSHI_SCREENSHOTS (test-artifacts/screenshots).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, run, serve, shot

from .browser_desk import desk_count, land

pytestmark = NEEDS_CHROMIUM

SETUP = """
import django

django.setup()

from xunshi.desk.tests.scene import build_scene
from xunshi.testsupport.world import build_world

build_scene(build_world())
"""


# The reminder job, run on the served database at 9:30 on the scene's day.
REMINDERS = """
import datetime as dt, zoneinfo, time_machine
import django

django.setup()
shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
time_machine.travel(dt.datetime(2027, 4, 12, 9, 30, tzinfo=shanghai)).start()
from xunshi.desk.actions import reminders_run

reminders_run()
"""
FOLDERS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("desk")
    FOLDERS["server"] = folder
    with serve(folder, SETUP, freeze="2027-04-12T09:00:00") as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page() as p:
        yield p


def test_the_office_verifies_the_claimed_item_from_its_desk(server: str, page: Any) -> None:
    land(page, server, "alice")
    assert desk_count(page, "clue_disposal") == 2
    assert page.locator("[data-rule=clue_disposal]").inner_text().count("逾期113天") == 2
    assert desk_count(page, "items_claimed") == 1
    shot(page, "desk-01-office")
    page.locator("[data-rule=items_claimed] a", has_text="去办理").click()
    page.wait_for_url(re.compile(r"/rectification/\d+/#item-3$"))
    verify = page.locator("form.verify")
    verify.locator("select[name$=decision]").select_option("close")
    verify.locator("button").click()
    page.wait_for_load_state()
    page.goto(f"{server}/desk/")
    assert desk_count(page, "items_claimed") == 0
    assert desk_count(page, "clue_disposal") == 2


def test_the_leader_approves_a_paper_from_his_desk(server: str, page: Any) -> None:
    land(page, server, "dave")
    assert desk_count(page, "papers_to_review") == 2
    assert "还有1份谈话记录未签认。" in page.locator("[data-rule=stage_blockers]").inner_text()
    shot(page, "desk-02-leader")
    page.locator("[data-rule=papers_to_review] a", has_text="去办理").nth(1).click()
    page.wait_for_url(re.compile(r"/inspections/papers/\d+/$"))
    page.locator("input[name=approve][value=yes]").check()
    page.get_by_role("button", name="提交审定结果").click()
    page.wait_for_load_state()
    page.goto(f"{server}/desk/")
    assert desk_count(page, "papers_to_review") == 1


def test_the_member_signs_her_pledge_from_her_desk(server: str, page: Any) -> None:
    land(page, server, "hong")
    assert desk_count(page, "own_pledge") == 1
    assert desk_count(page, "own_papers") == 2
    shot(page, "desk-03-member")
    page.locator("[data-rule=own_pledge] a", has_text="去办理").click()
    page.wait_for_url(re.compile(r"/rounds/teams/\d+/$"))
    page.get_by_role("button", name="签署承诺").click()
    page.wait_for_load_state()
    assert "您已签署廉洁承诺。" in page.locator(".messages").inner_text()
    page.goto(f"{server}/desk/")
    assert desk_count(page, "own_pledge") == 0


def test_the_liaison_reports_progress_and_sends_the_report_up(server: str, page: Any) -> None:
    land(page, server, "erin")
    assert desk_count(page, "report_due") == 1
    assert "逾期100天" in page.locator("[data-rule=report_due]").inner_text()
    assert desk_count(page, "deadlines_week") == 1
    shot(page, "desk-04-liaison")
    page.locator("[data-rule=report_due] a", has_text="去办理").click()
    page.wait_for_url(re.compile(r"/rectification/\d+/$"))
    item = page.locator("#item-1")
    item.locator("summary", has_text="报告整改进展").click()
    item.locator("textarea[name$=text]").fill("已完成资金拨付。")
    item.get_by_role("button", name="报告进展").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="报送整改情况报告").click()
    page.wait_for_load_state()
    page.goto(f"{server}/desk/")
    assert desk_count(page, "report_due") == 0
    assert desk_count(page, "deadlines_week") == 1


def test_the_leading_group_and_the_admins_land_on_their_desks(server: str, page: Any) -> None:
    for n, username in enumerate(["gina", "sam", "sue", "aud"], start=5):
        land(page, server, username)
        shot(page, f"desk-0{n}-{username}")
    assert "审计链" in page.locator(".desk-figures").inner_text()


def test_the_reminders_wait_in_the_header_and_the_centre(server: str, page: Any) -> None:
    run(FOLDERS["server"], REMINDERS)
    land(page, server, "alice")
    waiting = sum(
        desk_count(page, rule)
        for rule in page.eval_on_selector_all(
            "[data-rule]", "rows => rows.map(r => r.dataset.rule)"
        )
    )
    badge = page.locator("header .reminders .badge")
    assert waiting > 0 and int(badge.inner_text()) == waiting
    badge.click()
    page.wait_for_url(re.compile(r"/desk/notifications/\?unread=1$"))
    assert page.locator("tr.unread").count() == waiting
    shot(page, "desk-09-reminders")
    first = page.locator("tr.unread").first
    assert "兰考县" in first.inner_text() or "码上巡察" in first.inner_text()
    first.get_by_role("button", name="查看").click()
    page.wait_for_load_state()
    assert "/desk/" not in page.url
    assert int(page.locator("header .reminders .badge").inner_text()) == waiting - 1
    page.goto(f"{server}/desk/notifications/")
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state()
    assert page.locator("header .reminders .badge").count() == 0
    assert page.locator("tr.unread").count() == 0
