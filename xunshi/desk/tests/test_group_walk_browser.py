"""The leading group in a real browser: gina signs in, lands on 我的待办, sees the plans waiting
for the group's approval with their count, follows the row to the group's page and on to the
round, approves its plan at the group's meeting (领导小组第N次会议, its date), comes back and
finds the count gone down.

The server runs on the test world with its clock at 9:00 on Thursday 20 August 2026, before
the round's entry (1 September): the world's round has its teams and targets and waits for
the group, and so does a draft of the year's plan made in the setup. Screenshots of the desk
before and after, and of the round page with the approval, go to $XUNSHI_SCREENSHOTS
(test-artifacts/screenshots).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, main_text, serve, shot, sign_in

from .browser_desk import desk_count

pytestmark = NEEDS_CHROMIUM

SETUP = """
import datetime as dt, zoneinfo, time_machine
import django

django.setup()
# The draft is made on the server's day, as the office would have made it.
shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
time_machine.travel(dt.datetime(2026, 8, 20, 8, 30, tzinfo=shanghai)).start()

from xunshi.accounts.actors import SYSTEM
from xunshi.rounds import yearplan_actions
from xunshi.testsupport.world import build_world

world = build_world()
yearplan_actions.year_plan_create(actor=SYSTEM, body=world.body, year=2027, theme="乡村振兴")
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("group")
    with serve(folder, SETUP, freeze="2026-08-20T09:00:00") as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page() as p:
        yield p


def test_the_leading_group_approves_a_round_plan_from_its_desk(server: str, page: Any) -> None:
    sign_in(page, server, "gina", PASSWORD)
    assert page.url == f"{server}/desk/", page.url
    assert page.locator("h1").first.inner_text() == "我的待办"
    waiting = page.locator("[data-rule=plan_approvals]")
    assert desk_count(page, "plan_approvals") == 2
    assert "十一届省委第一轮巡视" in waiting.inner_text()
    shot(page, "group-01-desk")

    waiting.locator("a", has_text="去办理").first.click()
    page.wait_for_url(re.compile(r"/decisions/$"))
    page.locator("#waiting-plans a", has_text="十一届省委第一轮巡视").click()
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    approval = page.locator("#round-approval")
    assert "本轮巡视工作方案尚未经领导小组审批，巡视组不能授权。" in approval.inner_text()
    form = approval.locator("form")
    form.locator("input[name=meeting_number]").fill("7")
    form.locator("input[name=held_on]").fill("2026-08-18")
    form.locator("textarea[name=opinion]").fill("同意本轮巡视工作方案。")
    form.locator("#round-approve").click()
    page.wait_for_load_state()
    assert "已记录：领导小组第7次会议审批巡视工作方案。" in page.locator(".messages").inner_text()
    approval = page.locator("#round-approval")
    assert "领导小组第7次会议（2026年8月18日）审批巡视工作方案。" in approval.inner_text()
    assert "由孙丽（领导小组）记录" in approval.inner_text()
    shot(page, "group-02-round-approved")

    page.goto(f"{server}/desk/")
    assert desk_count(page, "plan_approvals") == 1
    assert "十一届省委第一轮巡视" not in page.locator("[data-rule=plan_approvals]").inner_text()
    shot(page, "group-03-desk-after")
    page.goto(f"{server}/decisions/")
    assert "领导小组第7次会议" in main_text(page)
